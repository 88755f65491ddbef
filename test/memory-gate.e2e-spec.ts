import { sql } from 'kysely';
import request from 'supertest';
import { Database } from '../src/database/database';
import { type RunningApp, startApp } from './support/app-harness';

/**
 * Every memory write passes one gate: credentials are redacted before anything is stored, the
 * auditor's rules run, and a risky memory waits in the review queue — served by no search and no
 * answer until a human approves it. On a default install: no LLM, embedded database, open mode.
 */
const SECRET = 'hunter2-secret';
const RUNBOOK_SECRETS = ['Sup3r-S3nha!', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0d3MifQ.c2lnbmF0dXJlLXRoYXQtbWF0dGVycw'];
const OPEN = { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000', INGEST_POLL_INTERVAL_MS: '100' };

const riskyThread = (thread_ts: string) => ({
  thread_ts,
  channel_id: 'C0OPS',
  messages: [
    { user: 'U01ALICE', text: 'The stdlist filesystem on the wombatmaster is full again', ts: thread_ts },
    {
      user: 'U02BOB',
      text: `Log in with TWS_PASSWORD=${SECRET} and run rm -rf /opt/tws/stdlist/* to free the wombatmaster`,
      ts: '1700000001.000002',
    },
  ],
});

interface Flag {
  memory_id: string;
  memory_kind: string;
  user_query: string;
  agent_response: string;
  rules: string[];
  status: string;
}

async function settledJob(app: RunningApp, id: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await request(app.url).get(`/api/rag/jobs/${id}`).expect(200);
    if (body.status === 'done' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every text column of the two tables that hold memories, as one string. */
async function storedText(app: RunningApp): Promise<string> {
  const db = app.app.get(Database).db();
  const memories = await sql`SELECT content, user_query, agent_response, metadata::text AS metadata
    FROM knowledge_memories`.execute(db);
  const flags = await sql`SELECT user_query, agent_response, reason FROM audit_flags`.execute(db);
  return JSON.stringify([memories.rows, flags.rows]);
}

describe('The memory write gate on a default install (e2e)', () => {
  let running: RunningApp;
  const http = () => request(running.url);
  const search = async (q: string) =>
    (await http().get('/api/knowledge/search').query({ q, limit: 20 }).expect(200)).body as {
      count: number;
      results: { id: string; content: string; status: string }[];
    };
  const ask = async (question: string) =>
    (await http().post('/api/query').send({ question }).expect(200)).body as { answer: string; memories_used: number };
  const pendingFlags = async (query: string) =>
    (await http().get('/api/audit/flags').query({ query }).expect(200)).body as Flag[];

  beforeAll(async () => {
    running = await startApp(OPEN);
  });

  afterAll(() => running?.close());

  it('redacts a thread’s password, flags its rm -rf and serves it only once approved', async () => {
    const ingested = await http().post('/api/ingest-thread').send(riskyThread('1700000001.000001')).expect(200);
    expect(ingested.body).toMatchObject({ success: true, memories_saved: 1 });

    // Waiting for review: no search result, no answer uses it.
    expect((await search('wombatmaster')).count).toBe(0);
    const before = await ask('What should I do about the wombatmaster?');
    expect(before.memories_used).toBe(0);
    expect(before.answer).not.toContain(SECRET);
    expect(before.answer).not.toContain('rm -rf');

    // The review queue shows it, redacted, with both reasons.
    const [flag, ...others] = await pendingFlags('wombatmaster');
    expect(others).toEqual([]);
    expect(flag).toMatchObject({
      memory_kind: 'thread',
      status: 'pending',
      rules: expect.arrayContaining(['destructive_command', 'credential_leak']),
    });
    expect(flag.agent_response).toContain('rm -rf /opt/tws/stdlist/*');
    expect(flag.agent_response).toContain('TWS_PASSWORD=[REDACTED]');
    expect(JSON.stringify(flag)).not.toContain(SECRET);
    expect(await storedText(running)).not.toContain(SECRET);

    const reviewed = await http()
      .post('/api/audit/review')
      .send({ memory_id: flag.memory_id, action: 'approve' })
      .expect(200);
    expect(reviewed.body).toMatchObject({ status: 'approved', changed: true });

    // Approved: served, still without the secret.
    const found = await search('wombatmaster');
    expect(found.results).toEqual([expect.objectContaining({ id: flag.memory_id, status: 'approved' })]);
    expect(found.results[0].content).toContain('TWS_PASSWORD=[REDACTED]');
    const after = await ask('What should I do about the wombatmaster?');
    expect(after.memories_used).toBe(1);
    expect(after.answer).toContain('rm -rf /opt/tws/stdlist/*');
    expect(after.answer).not.toContain(SECRET);
  });

  it('keeps a rejected thread out for good, even when the bridge sends it again', async () => {
    await http().post('/api/ingest-thread').send(riskyThread('1700000002.000001')).expect(200);
    const flags = await pendingFlags('wombatmaster');
    expect(flags).toHaveLength(1);
    await http().post('/api/audit/review').send({ memory_id: flags[0].memory_id, action: 'reject' }).expect(200);
    await http().post('/api/ingest-thread').send(riskyThread('1700000002.000001')).expect(200);
    expect(await pendingFlags('wombatmaster')).toEqual([]);
    expect((await search('wombatmaster')).results.map((r) => r.id)).not.toContain(flags[0].memory_id);
  });

  it('serves a harmless thread at once and flags nothing', async () => {
    await http()
      .post('/api/ingest-thread')
      .send({
        thread_ts: '1700000003.000001',
        channel_id: 'C0OPS',
        messages: [
          { user: 'U01ALICE', text: 'Relinking the numbatagent fixed the LINKED state', ts: '1700000003.0001' },
        ],
      })
      .expect(200);
    expect((await search('numbatagent relinking')).results).toEqual([expect.objectContaining({ status: 'active' })]);
    expect(await pendingFlags('numbatagent')).toEqual([]);
  });

  it('screens an uploaded runbook the same way: secrets redacted, the risky chunk waits for review', async () => {
    const runbook = [
      'Runbook: purging the quollserver stdlist',
      `Connect as twsadmin, senha=${RUNBOOK_SECRETS[0]}, with Authorization: Bearer ${RUNBOOK_SECRETS[1]}`,
      'Then run rm -rf /opt/tws/stdlist/* on the quollserver and restart the agent.',
    ].join('\n');
    const res = await http()
      .post('/api/rag/upload')
      .attach('file', Buffer.from(runbook), { filename: 'quoll-runbook.txt', contentType: 'text/plain' })
      .expect(202);
    expect(await settledJob(running, res.body.job_id)).toMatchObject({ status: 'done' });

    expect((await search('quollserver')).count).toBe(0);
    expect((await ask('What should I do about the quollserver?')).memories_used).toBe(0);
    const [flag] = await pendingFlags('quollserver');
    expect(flag).toMatchObject({ memory_kind: 'document', rules: expect.arrayContaining(['destructive_command']) });
    expect(flag.user_query).toContain('quoll-runbook.txt');
    for (const secret of RUNBOOK_SECRETS) {
      expect(JSON.stringify(flag)).not.toContain(secret);
      expect(await storedText(running)).not.toContain(secret);
    }

    await http().post('/api/audit/review').send({ memory_id: flag.memory_id, action: 'approve' }).expect(200);
    const found = await search('quollserver');
    expect(found.results).toEqual([expect.objectContaining({ id: flag.memory_id, status: 'approved' })]);
    const answer = await ask('What should I do about the quollserver?');
    expect(answer.memories_used).toBe(1);
    for (const secret of RUNBOOK_SECRETS) expect(answer.answer).not.toContain(secret);
  });

  it('counts what waits in the queue in /api/audit/metrics', async () => {
    const { body } = await http().get('/api/audit/metrics').expect(200);
    expect(body).toMatchObject({ approved: 2, rejected: 1 });
  });
});

describe('The memory write gate with AUDIT_SERVE_FLAGGED=true (e2e)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ ...OPEN, AUDIT_SERVE_FLAGGED: 'true' });
  });

  afterAll(() => running?.close());

  it('serves a flagged memory marked as unreviewed, still redacted', async () => {
    await request(running.url).post('/api/ingest-thread').send(riskyThread('1700000004.000001')).expect(200);
    const found = await request(running.url).get('/api/knowledge/search').query({ q: 'wombatmaster' }).expect(200);
    expect(found.body.results).toEqual([expect.objectContaining({ status: 'flagged' })]);
    expect(found.body.results[0].content).not.toContain(SECRET);
    const answer = await request(running.url)
      .post('/api/query')
      .send({ question: 'What should I do about the wombatmaster?' })
      .expect(200);
    expect(answer.body.memories_used).toBe(1);
    expect(answer.body.answer).toContain('unreviewed');
    expect(answer.body.answer).not.toContain(SECRET);
  });
});
