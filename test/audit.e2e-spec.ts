import { Client } from 'pg';
import request from 'supertest';
import { IKnowledgeGraph } from '../src/knowledge/knowledge-graph.port';
import { type RunningApp, startApp } from './support/app-harness';
import { testEnv } from './support/test-env';

/** A conversation as the agent runner records it (the write gate audits it). */
interface Conversation {
  userQuery: string;
  agentResponse: string;
  agentId: string;
}

const NO_RATE_LIMIT = { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000' };

interface Deployment {
  name: string;
  /** One instance, or two sharing one PostgreSQL server. */
  start(): Promise<RunningApp[]>;
  stop(): Promise<void>;
}

const embedded = (): Deployment => {
  let app: RunningApp | undefined;
  return {
    name: 'embedded (PGlite)',
    start: async () => [(app = await startApp({ ...NO_RATE_LIMIT, AUDIT_PAGE_SIZE: '5', AUDIT_MAX_PAGE_SIZE: '10' }))],
    stop: async () => app?.close(),
  };
};

/** Two instances on a throw-away database of the PostgreSQL server. */
const cluster = (serverUrl: string): Deployment => {
  const name = `resync_audit_${process.pid}_${Date.now()}`;
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  let apps: RunningApp[] = [];
  return {
    name: 'two instances on PostgreSQL',
    start: async () => {
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const env = { ...NO_RATE_LIMIT, DATABASE_URL: url.toString(), AUDIT_PAGE_SIZE: '5', AUDIT_MAX_PAGE_SIZE: '10' };
      apps = [await startApp(env), await startApp(env)];
      return apps;
    },
    stop: async () => {
      for (const app of apps) await app.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
};

const deployments = [embedded(), ...(testEnv.DATABASE_URL ? [cluster(testEnv.DATABASE_URL)] : [])];
if (!testEnv.DATABASE_URL)
  console.warn(
    'DATABASE_URL is not set: the audit e2e tests run on PGlite only (the PostgreSQL server variant is skipped).',
  );

let sequence = 0;

describe.each(deployments)('Audit queue over HTTP, $name (e2e)', (deployment) => {
  let apps: RunningApp[];
  const http = (instance = 0) => request(apps[instance % apps.length].url);

  /** Stores a conversation in the knowledge graph, as the agent runner does (the write gate audits it). */
  const flagged = async (overrides: Partial<Conversation> = {}): Promise<string> => {
    // Knowledge stores identical conversations once: each call asks a slightly different question.
    const conversation = {
      userQuery: `How do I clean the stdlist directory? (#${++sequence})`,
      agentResponse: 'Run rm -rf /opt/tws/stdlist/* as root.',
      agentId: 'tws-specialist',
      ...overrides,
    };
    const memoryId = await knowledge().addConversation(
      conversation.userQuery,
      conversation.agentResponse,
      conversation.agentId,
    );
    return memoryId;
  };
  const knowledge = () => apps[0].app.get<IKnowledgeGraph>(IKnowledgeGraph);

  beforeAll(async () => {
    apps = await deployment.start();
  });
  afterAll(() => deployment.stop());

  it('flags, lists, approves, repeats, refuses the opposite decision and counts', async () => {
    const before = (await http().get('/api/audit/metrics').expect(200)).body;
    const memoryId = await flagged();
    expect((await knowledge().getMemory(memoryId))?.status).toBe('flagged');

    const pending = await http().get('/api/audit/flags').query({ query: 'stdlist' }).expect(200);
    const flag = pending.body.find((f: { memory_id: string }) => f.memory_id === memoryId);
    expect(flag).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      memory_id: memoryId,
      memory_kind: 'conversation',
      agent_id: 'tws-specialist',
      user_query: expect.stringMatching(/^How do I clean the stdlist directory\? \(#\d+\)$/),
      agent_response: 'Run rm -rf /opt/tws/stdlist/* as root.',
      reason: 'The answer suggests a destructive command (rm -rf)',
      rules: ['destructive_command'],
      confidence: 0.9,
      status: 'pending',
      reviewer: null,
      reviewed_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });

    const approved = await http(1)
      .post('/api/audit/review')
      .send({ memory_id: memoryId, action: 'approve' })
      .expect(200);
    expect(approved.body).toEqual({
      memory_id: memoryId,
      status: 'approved',
      reviewer: 'unauthenticated',
      reviewed_at: expect.stringMatching(/Z$/),
      changed: true,
    });
    expect((await knowledge().getMemory(memoryId))?.status).toBe('approved');
    const again = await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'approve' }).expect(200);
    expect(again.body).toMatchObject({ status: 'approved', changed: false, reviewed_at: approved.body.reviewed_at });

    const conflict = await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'reject' }).expect(409);
    expect(conflict.body).toEqual({
      error: expect.stringContaining('already approved'),
      statusCode: 409,
      requestId: expect.any(String),
    });

    const stillPending = (await http().get('/api/audit/flags').expect(200)).body.map(
      (f: { memory_id: string }) => f.memory_id,
    );
    expect(stillPending).not.toContain(memoryId);
    const approvedList = await http()
      .get('/api/audit/flags')
      .query({ status: 'approved', query: 'stdlist' })
      .expect(200);
    expect(approvedList.body.map((f: { memory_id: string }) => f.memory_id)).toContain(memoryId);

    const after = (await http(1).get('/api/audit/metrics').expect(200)).body;
    expect(after).toEqual({
      pending: before.pending,
      approved: before.approved + 1,
      rejected: before.rejected,
      total: before.total + 1,
    });
  });

  it('rejects a memory and then refuses to approve it', async () => {
    const memoryId = await flagged({ agentResponse: 'The admin password: Sup3rS3cret!' });
    await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'reject' }).expect(200);
    expect((await knowledge().getMemory(memoryId))?.status).toBe('rejected');
    await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'approve' }).expect(409);
    const rejected = await http()
      .get('/api/audit/flags')
      .query({ status: 'rejected', query: 'admin password' })
      .expect(200);
    // The queue holds the answer redacted: the secret finds nothing.
    expect(rejected.body).toEqual([
      expect.objectContaining({
        memory_id: memoryId,
        status: 'rejected',
        rules: ['credential_leak'],
        agent_response: 'The admin password: [REDACTED]',
      }),
    ]);
    expect(
      (await http().get('/api/audit/flags').query({ status: 'all', query: 'Sup3rS3cret' }).expect(200)).body,
    ).toEqual([]);
  });

  it('lets exactly one of many concurrent reviews of one flag decide', async () => {
    const memoryId = await flagged();
    const actions = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 'approve' : 'reject'));
    const responses = await Promise.all(
      actions.map((action, i) => http(i).post('/api/audit/review').send({ memory_id: memoryId, action })),
    );
    const winners = responses.filter((res) => res.status === 200 && res.body.changed === true);
    expect(winners).toHaveLength(1);
    const final = winners[0].body.status as string;
    for (const [i, res] of responses.entries()) {
      const agrees = (actions[i] === 'approve' ? 'approved' : 'rejected') === final;
      expect(res.status).toBe(agrees ? 200 : 409);
    }
    const all = await http().get('/api/audit/flags').query({ status: 'all', query: 'stdlist', limit: 10 }).expect(200);
    expect(all.body.find((f: { memory_id: string }) => f.memory_id === memoryId)).toMatchObject({
      status: final,
      reviewer: 'unauthenticated',
    });
  });

  it('pages the list within the configured cap', async () => {
    for (let i = 0; i < 12; i++) await flagged({ userQuery: `paging check ${i}` });
    expect((await http().get('/api/audit/flags').query({ query: 'paging check' }).expect(200)).body).toHaveLength(5);
    expect(
      (await http().get('/api/audit/flags').query({ query: 'paging check', limit: 1000 }).expect(200)).body,
    ).toHaveLength(10);
    const rest = await http()
      .get('/api/audit/flags')
      .query({ query: 'paging check', limit: 10, offset: 10 })
      .expect(200);
    expect(rest.body).toHaveLength(2);
  });

  it.each([
    ['an unknown action', { memory_id: 'mem_1', action: 'delete' }, /action must be approve or reject/],
    ['no memory id', { action: 'approve' }, /memory_id/],
    ['a memory id with markup', { memory_id: '<script>', action: 'approve' }, /memory_id must be/],
    ['an extra field', { memory_id: 'mem_1', action: 'approve', reviewer: 'mallory' }, /reviewer should not exist/],
  ])('answers a review with %s with 400 and nothing changed', async (_, body, message) => {
    const res = await http().post('/api/audit/review').send(body).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: expect.stringMatching(message),
      details: expect.any(Array),
    });
  });

  it('answers a review of a memory that was never flagged with 404', async () => {
    const res = await http()
      .post('/api/audit/review')
      .send({ memory_id: 'mem_never_flagged', action: 'approve' })
      .expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'No flagged memory with id mem_never_flagged' });
  });

  it.each([
    ['an unknown status', { status: 'maybe' }, /status must be one of pending, approved, rejected, all/],
    ['a zero limit', { limit: 0 }, /limit must not be less than 1/],
    ['a limit that is not a number', { limit: 'ten' }, /limit must be a whole number/],
    ['a negative offset', { offset: -1 }, /offset must not be less than 0/],
    ['a query over AUDIT_QUERY_MAX_LENGTH', { query: 'x'.repeat(201) }, /query must be at most 200 characters/],
  ])('answers a flag listing with %s with 400', async (_, query, message) => {
    const res = await http().get('/api/audit/flags').query(query).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: expect.stringMatching(message) });
  });

  it('counts flags by rule and reviews by outcome in the Prometheus metrics', async () => {
    const memoryId = await flagged();
    await request(apps[0].url).post('/api/audit/review').send({ memory_id: memoryId, action: 'reject' }).expect(200);
    await request(apps[0].url).post('/api/audit/review').send({ memory_id: memoryId, action: 'approve' }).expect(409);
    const text = (await request(apps[0].url).get('/metrics').expect(200)).text;
    expect(text).toMatch(/^audit_flags_total\{rule="destructive_command"\} [1-9]\d*$/m);
    expect(text).toMatch(/^audit_reviews_total\{decision="reject",outcome="decided"\} [1-9]\d*$/m);
    expect(text).toMatch(/^audit_reviews_total\{decision="approve",outcome="conflict"\} [1-9]\d*$/m);
  });

  it('answers a wrong method with 405', async () => {
    await http().delete('/api/audit/review').expect(405);
  });
});

describe('Audit queue with credentials configured (e2e)', () => {
  let running: RunningApp;
  const WRITER = 'ka_reviewer_key_0001';
  const READER = 'ka_reader_key_0002';
  const http = () => request(running.url);

  beforeAll(async () => {
    running = await startApp({
      A2A_API_KEYS: JSON.stringify({ [WRITER]: 'reviewer-bot', [READER]: { caller: 'reader', roles: ['read'] } }),
      RATE_LIMIT_RPS: '1',
      RATE_LIMIT_BURST: '3',
    });
  });
  afterAll(() => running?.close());

  let memoryId: string;

  it('needs credentials to read the queue and the write role to review', async () => {
    const conversation = { userQuery: 'Can I start over?', agentResponse: 'DROP TABLE jobs;', agentId: 'a' };
    memoryId = await running.app
      .get<IKnowledgeGraph>(IKnowledgeGraph)
      .addConversation(conversation.userQuery, conversation.agentResponse, conversation.agentId);
    await http().get('/api/audit/flags').expect(401);
    await http().get('/api/audit/metrics').expect(401);
    await http().get('/api/dashboard/summary').expect(401);
    const list = await http().get('/api/audit/flags').set('X-API-Key', READER).expect(200);
    expect(list.body.map((f: { memory_id: string }) => f.memory_id)).toContain(memoryId);

    await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'approve' }).expect(401);
    await http()
      .post('/api/audit/review')
      .set('X-API-Key', READER)
      .send({ memory_id: memoryId, action: 'approve' })
      .expect(403);
    const res = await http()
      .post('/api/audit/review')
      .set('X-API-Key', WRITER)
      .send({ memory_id: memoryId, action: 'approve' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'approved', reviewer: 'reviewer-bot' });
  });

  it('serves the pages and their assets without credentials', async () => {
    for (const path of ['/revisao', '/api/dashboard', '/dashboard', '/assets/revisao.js', '/assets/pages.css']) {
      await http().get(path).expect(200);
    }
  });

  it('rate-limits reviews but not reads', async () => {
    const reviews = await Promise.all(
      Array.from({ length: 8 }, () =>
        http().post('/api/audit/review').set('X-API-Key', WRITER).send({ memory_id: memoryId, action: 'approve' }),
      ),
    );
    const limited = reviews.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].headers['retry-after']).toMatch(/^\d+$/);
    expect(limited[0].body).toMatchObject({ error: 'Rate limit exceeded. Please try again later.', statusCode: 429 });
    const reads = await Promise.all(
      Array.from({ length: 8 }, () => http().get('/api/audit/metrics').set('X-API-Key', READER)),
    );
    expect(reads.map((res) => res.status)).toEqual(Array(8).fill(200));
  });
});
