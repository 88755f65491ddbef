import request from 'supertest';
import { RATE_LIMITED_MESSAGE } from '../src/auth/auth.errors';
import { IKnowledgeGraph } from '../src/knowledge/knowledge-graph.port';
import { type RunningApp, startApp } from './support/app-harness';

/** The request body of seed 2's example. */
const seedThread = (thread_ts = '1234567890.123456') => ({
  thread_ts,
  channel_id: 'C01ABC123',
  messages: [
    { user: 'U01USER123', text: 'We deploy using GitHub Actions', ts: '1234567890.123456', type: 'message' },
    {
      user: 'U02USER456',
      text: 'The workflow is in .github/workflows/deploy.yml',
      ts: '1234567891.234567',
      type: 'message',
    },
  ],
});

const INTERNAL_TOKEN = 'knowledge-bridge-token-0123456789';
const REFUSED = 'You are not allowed to save memories';

describe('Knowledge endpoints with credentials (e2e)', () => {
  let running: RunningApp;
  const http = () => request(running.url);

  beforeAll(async () => {
    running = await startApp({
      INTERNAL_AUTH_TOKEN: INTERNAL_TOKEN,
      A2A_API_KEYS: JSON.stringify({
        ka_writer_key: 'root-agent',
        ka_admin_key: 'ops-admin',
        ka_reader_key: { caller: 'dashboard', roles: ['read'] },
      }),
      ADMIN_CALLERS: 'ops-admin',
      ALLOWED_SLACK_USERS: 'U01ALLOWED',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  });

  afterAll(() => running.close());

  it("401 with the seed's body without credentials", async () => {
    const res = await http().post('/api/ingest-thread').send(seedThread()).expect(401);
    expect(res.body).toMatchObject({
      error: 'Authentication required',
      statusCode: 401,
      requestId: expect.any(String),
    });
    await http().get('/api/knowledge/search').query({ q: 'deploy' }).expect(401);
    await http()
      .post('/api/knowledge/5b2f3c1e-8a61-4d0e-9a8e-1b9f0c4d2e77/feedback')
      .send({ feedback: 'x', rating: 3 })
      .expect(401);
  });

  it('401 for a wrong internal token or API key', async () => {
    await http().post('/api/ingest-thread').set('X-Internal-Token', 'not-the-token').send(seedThread()).expect(401);
    await http().post('/api/ingest-thread').set('X-API-Key', 'ka_unknown_key').send(seedThread()).expect(401);
  });

  it('403 when the memory write policy refuses the caller; 200 for a caller in ADMIN_CALLERS', async () => {
    const refused = await http()
      .post('/api/ingest-thread')
      .set('X-API-Key', 'ka_writer_key')
      .send(seedThread())
      .expect(403);
    expect(refused.body).toMatchObject({ error: REFUSED, statusCode: 403, requestId: expect.any(String) });
    const allowed = await http()
      .post('/api/ingest-thread')
      .set('X-API-Key', 'ka_admin_key')
      .send(seedThread())
      .expect(200);
    expect(allowed.body).toEqual({ success: true, message: 'Thread ingested successfully', memories_saved: 1 });
    const found = await http()
      .get('/api/knowledge/search')
      .set('X-API-Key', 'ka_writer_key')
      .query({ q: 'deploy GitHub Actions' })
      .expect(200);
    expect(found.body.results[0].provenance.caller_id).toBe('ops-admin');
  });

  it('lets the Slack bridge save for a user in ALLOWED_SLACK_USERS, and refuses other users', async () => {
    const bridge = { 'X-Internal-Token': INTERNAL_TOKEN };
    const allowed = await http()
      .post('/api/ingest-thread')
      .set({ ...bridge, 'X-Slack-User-Id': 'U01ALLOWED' })
      .send(seedThread('1234567890.000100'))
      .expect(200);
    expect(allowed.body.memories_saved).toBe(1);
    const found = await http()
      .get('/api/knowledge/search')
      .set(bridge)
      .query({ q: 'deploy GitHub Actions' })
      .expect(200);
    expect(found.body.results.map((r: { provenance: unknown }) => r.provenance)).toContainEqual(
      expect.objectContaining({
        thread_ts: '1234567890.000100',
        caller_id: 'slack-bridge',
        slack_user_id: 'U01ALLOWED',
      }),
    );

    const other = await http()
      .post('/api/ingest-thread')
      .set({ ...bridge, 'X-Slack-User-Id': 'U02OTHER' })
      .send(seedThread('1234567890.000101'))
      .expect(403);
    expect(other.body.error).toBe(REFUSED);
    await http().post('/api/ingest-thread').set(bridge).send(seedThread('1234567890.000102')).expect(403);
  });

  it('trusts X-Slack-User-Id only from the internal token: an API key cannot claim an allowed user', async () => {
    const res = await http()
      .post('/api/ingest-thread')
      .set({ 'X-API-Key': 'ka_writer_key', 'X-Slack-User-Id': 'U01ALLOWED' })
      .send(seedThread('1234567890.000200'))
      .expect(403);
    expect(res.body.error).toBe(REFUSED);
  });

  it('a read-only caller may search but neither ingest nor rate (403)', async () => {
    const reader = { 'X-API-Key': 'ka_reader_key' };
    const found = await http()
      .get('/api/knowledge/search')
      .set(reader)
      .query({ q: 'deploy GitHub Actions' })
      .expect(200);
    expect(found.body.count).toBeGreaterThan(0);
    const ingest = await http()
      .post('/api/ingest-thread')
      .set(reader)
      .send(seedThread('1234567890.000300'))
      .expect(403);
    expect(ingest.body.error).toMatch(/write role/);
    await http()
      .post(`/api/knowledge/${found.body.results[0].id}/feedback`)
      .set(reader)
      .send({ feedback: 'x', rating: 3 })
      .expect(403);
  });
});

describe('Knowledge endpoints under the rate limit (e2e)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    // A burst of 3 and a refill so slow that no token comes back while the test runs.
    running = await startApp({ RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '3' });
  });

  afterAll(() => running.close());

  it("answers 429 with the seed's message once the burst is spent, and stores nothing more", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await request(running.url)
            .post('/api/ingest-thread')
            .send(seedThread(`1700000100.00000${i}`))
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await request(running.url)
      .post('/api/ingest-thread')
      .send(seedThread('1700000100.000009'))
      .expect(429);
    expect(refused.body).toMatchObject({ error: RATE_LIMITED_MESSAGE, statusCode: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The search route is rate limited too (the bucket is empty), so the store is asked directly.
    const found = await running.app
      .get<IKnowledgeGraph>(IKnowledgeGraph)
      .searchSimilarIssues('deploy GitHub Actions', 10);
    expect(found.map((m) => m.provenance.threadTs).sort()).toEqual([
      '1700000100.000000',
      '1700000100.000001',
      '1700000100.000002',
    ]);
  });
});

describe('Knowledge search with KNOWLEDGE_SCOPE=user (e2e)', () => {
  let running: RunningApp;
  const asUser = (user: string) => ({ 'X-Internal-Token': INTERNAL_TOKEN, 'X-Slack-User-Id': user });

  beforeAll(async () => {
    running = await startApp({
      INTERNAL_AUTH_TOKEN: INTERNAL_TOKEN,
      KNOWLEDGE_SCOPE: 'user',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  });

  afterAll(() => running.close());

  it("shows a user their own memories, and never another user's, whatever the query names", async () => {
    await request(running.url).post('/api/ingest-thread').set(asUser('U01ALICE')).send(seedThread()).expect(200);
    const search = (user: string, query: Record<string, string> = {}) =>
      request(running.url)
        .get('/api/knowledge/search')
        .set(asUser(user))
        .query({ q: 'deploy GitHub Actions', ...query })
        .expect(200);
    expect((await search('U01ALICE')).body.count).toBe(1);
    expect((await search('U02BOB')).body.count).toBe(0);
    expect((await search('U02BOB', { slack_user_id: 'U01ALICE' })).body.count).toBe(0);
  });
});
