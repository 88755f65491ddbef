import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import request from 'supertest';
import { IKnowledgeGraph } from '../src/knowledge/knowledge-graph.port';
import { type RunningApp, startApp } from './support/app-harness';

/** A conversation as the agent runner records it (the write gate audits it). */
interface Conversation {
  userQuery: string;
  agentResponse: string;
  agentId: string;
}

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`${CHROMIUM} is missing: the browser tests of /revisao and the dashboard are skipped.`);
const itInBrowser = hasChromium ? it : it.skip;

/** Markup that would run if the page ever parsed memory text as HTML. */
const HOSTILE_QUESTION = '<img src=x onerror="window.__xss = \'question\'"> how do I clean up?';
const HOSTILE_ANSWER =
  '<script>window.__xss = "answer"</script><svg onload="window.__xss = \'svg\'"></svg> then rm -rf /opt/tws "&amp;" done';
const HOSTILE_AGENT = '<b onmouseover="window.__xss=1">agent</b>';

describe('Pages: /revisao and the dashboard (e2e)', () => {
  let running: RunningApp;
  let browser: Browser | undefined;
  const http = () => request(running.url);

  /** Stores the conversation in the knowledge graph, as the agent runner does (the write gate audits it). */
  const remember = async (conversation: Conversation): Promise<string> => {
    const memoryId = await running.app
      .get<IKnowledgeGraph>(IKnowledgeGraph)
      .addConversation(conversation.userQuery, conversation.agentResponse, conversation.agentId);
    return memoryId;
  };

  beforeAll(async () => {
    running = await startApp({ RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000', DASHBOARD_CACHE_SECONDS: '0' });
    if (hasChromium)
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    await running.close();
  });

  it.each(['/revisao', '/api/dashboard', '/dashboard'])(
    'serves %s as HTML under a strict policy with no inline script',
    async (path) => {
      const res = await http().get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(res.text).not.toMatch(/\son[a-z]+=/i);
      expect(res.text).not.toMatch(/\sstyle=/i);
    },
  );

  it('serves the page assets with their types and nothing else', async () => {
    const js = await http().get('/assets/revisao.js').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).not.toContain('innerHTML');
    await http().get('/assets/pages.css').expect(200).expect('Content-Type', 'text/css; charset=utf-8');
    for (const path of [
      '/assets/..%2Fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/nope.js',
      '/assets/static-pages.js',
    ]) {
      const res = await http().get(path).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    }
  });

  it('summarises the TWS plan, the memories under review, the audit queue and the chat connections', async () => {
    await remember({ userQuery: 'q', agentResponse: 'DROP TABLE jobs;', agentId: 'a' });
    const res = await http().get('/api/dashboard/summary').expect(200);
    expect(res.body).toMatchObject({
      generated_at: expect.stringMatching(/Z$/),
      audit: {
        available: true,
        pending: expect.any(Number),
        approved: expect.any(Number),
        rejected: expect.any(Number),
        total: expect.any(Number),
      },
      tws: {
        available: true,
        workstations: { total: expect.any(Number), by_status: expect.any(Object) },
        jobs: { total: expect.any(Number), by_status: expect.any(Object) },
        critical_jobs: { total: expect.any(Number), by_status: expect.any(Object) },
      },
      knowledge: {
        available: true,
        flagged: expect.any(Number),
        approved: expect.any(Number),
        rejected: expect.any(Number),
      },
      connections: { available: true, active: 0 },
    });
    expect(res.body.audit.pending).toBeGreaterThanOrEqual(1);
  });

  itInBrowser('renders a hostile memory as text, runs none of it, and approves it from the page', async () => {
    const memoryId = await remember({
      userQuery: HOSTILE_QUESTION,
      agentResponse: HOSTILE_ANSWER,
      agentId: HOSTILE_AGENT,
    });
    const page = await browser!.newPage();
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${running.url}/revisao`);
      await page.waitForSelector('body[data-ready="true"]');
      const item = page.locator(`li.flag[data-memory-id="${memoryId}"]`);
      await expect(item.locator('pre.user-query').textContent()).resolves.toBe(HOSTILE_QUESTION);
      await expect(item.locator('pre.agent-response').textContent()).resolves.toBe(HOSTILE_ANSWER);
      await expect(item.locator('.agent').textContent()).resolves.toBe(HOSTILE_AGENT);
      expect(await page.locator('#flags img, #flags script, #flags svg, #flags b').count()).toBe(0);
      await item.hover();
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();

      await item.locator('button[data-action="approve"]').click();
      await item.waitFor({ state: 'detached' });
      await expect(page.locator('#message').textContent()).resolves.toContain(memoryId);

      await page.selectOption('#filters select[name="status"]', 'approved');
      await page.click('#filters button[type="submit"]');
      const approved = page.locator(`li.flag[data-memory-id="${memoryId}"][data-status="approved"]`);
      await approved.waitFor();
      await expect(approved.locator('.decision').textContent()).resolves.toContain('unauthenticated');
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }

    const flags = await http().get('/api/audit/flags').query({ status: 'approved' }).expect(200);
    expect(flags.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ memory_id: memoryId, status: 'approved' })]),
    );
    expect((await running.app.get<IKnowledgeGraph>(IKnowledgeGraph).getMemory(memoryId))?.status).toBe('approved');
  });

  itInBrowser('shows a conflicting decision taken elsewhere instead of hiding it', async () => {
    const memoryId = await remember({ userQuery: 'q', agentResponse: 'mkfs.ext4 /dev/sdb ', agentId: 'a' });
    const page = await browser!.newPage();
    try {
      await page.goto(`${running.url}/revisao`);
      await page.waitForSelector('body[data-ready="true"]');
      await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'reject' }).expect(200);
      await page.locator(`li.flag[data-memory-id="${memoryId}"] button[data-action="approve"]`).click();
      await page.waitForSelector(`li.flag[data-memory-id="${memoryId}"]`, { state: 'detached' });
      await expect(page.locator('#message').textContent()).resolves.toContain('already rejected');
    } finally {
      await page.close();
    }
  });

  itInBrowser('draws the dashboard from its summary', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${running.url}/dashboard`);
      await page.waitForSelector('body[data-ready="true"]');
      const audit = page.locator('article.card[data-part="audit"]');
      await expect(audit.locator('table').textContent()).resolves.toMatch(/pendentes\d+/);
      expect(await page.locator('article.card').count()).toBe(4);
      await expect(page.locator('article.card[data-part="tws"] table').first().textContent()).resolves.toMatch(
        /^total\d+/,
      );
      expect(await page.locator('.unavailable').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});

describe('/revisao with credentials configured (e2e)', () => {
  const KEY = 'ka_page_reviewer_01';
  let running: RunningApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    running = await startApp({ A2A_API_KEYS: JSON.stringify({ [KEY]: 'ops-reviewer' }) });
    if (hasChromium)
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  itInBrowser("asks for a credential, then reviews as the key's caller", async () => {
    const conversation = { userQuery: 'q', agentResponse: 'The password: Pa55word!', agentId: 'a' };
    const memoryId = await running.app
      .get<IKnowledgeGraph>(IKnowledgeGraph)
      .addConversation(conversation.userQuery, conversation.agentResponse, conversation.agentId);
    const page = await browser!.newPage();
    try {
      await page.goto(`${running.url}/revisao`);
      await page.waitForSelector('body[data-ready="true"]');
      await expect(page.locator('#message').textContent()).resolves.toContain('401');

      await page.click('details.credentials summary');
      await page.fill('#credentials input[name="value"]', KEY);
      await page.click('#credentials button[type="submit"]');
      const item = page.locator(`li.flag[data-memory-id="${memoryId}"]`);
      await item.locator('button[data-action="reject"]').click();
      await item.waitFor({ state: 'detached' });
    } finally {
      await page.close();
    }
    const rejected = await request(running.url)
      .get('/api/audit/flags')
      .set('X-API-Key', KEY)
      .query({ status: 'rejected' })
      .expect(200);
    expect(rejected.body).toEqual([expect.objectContaining({ memory_id: memoryId, reviewer: 'ops-reviewer' })]);
  });
});
