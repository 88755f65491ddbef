import request from 'supertest';
import { ToolRegistry } from '../src/agents/tools/tool-registry';
import { type RunningApp, startApp } from './support/app-harness';
import { type FakeEmbeddingsServer, startFakeEmbeddingsServer } from './support/fake-embeddings-server';

/** The request body of seed 2's example. */
const seedThread = () => ({
  thread_ts: '1234567890.123456',
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

const metric = (text: string, name: string): number =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

describe('Knowledge (e2e)', () => {
  let running: RunningApp;
  const http = () => request(running.url);

  beforeAll(async () => {
    running = await startApp({
      INGEST_MAX_MESSAGES: '5',
      INGEST_MAX_TEXT_CHARS: '300',
      INGEST_MAX_TOTAL_BYTES: '2kb',
      KNOWLEDGE_CHUNK_CHARS: '200',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  });

  afterAll(() => running.close());

  describe('POST /api/ingest-thread', () => {
    it("answers the seed's request with the seed's response, counting what was stored", async () => {
      const res = await http().post('/api/ingest-thread').send(seedThread()).expect(200);
      expect(res.body).toEqual({ success: true, message: 'Thread ingested successfully', memories_saved: 1 });
    });

    it('re-ingesting the thread replaces it: still one memory', async () => {
      await http().post('/api/ingest-thread').send(seedThread()).expect(200);
      const res = await http().get('/api/knowledge/search').query({ q: 'deploy GitHub Actions workflow' }).expect(200);
      expect(res.body.count).toBe(1);
      expect(res.body.results[0]).toMatchObject({
        kind: 'thread',
        status: 'active',
        provenance: {
          channel_id: 'C01ABC123',
          thread_ts: '1234567890.123456',
          chunk_index: 0,
          caller_id: 'unauthenticated',
        },
      });
      expect(res.body.results[0].content).toContain('U01USER123: We deploy using GitHub Actions');
    });

    it.each([
      ['thread_ts missing', { thread_ts: undefined }],
      ['channel_id missing', { channel_id: undefined }],
      ['channel_id empty', { channel_id: '' }],
    ])("400 with the seed's message when %s", async (_, change) => {
      const res = await http()
        .post('/api/ingest-thread')
        .send({ ...seedThread(), ...change })
        .expect(400);
      expect(res.body.error).toBe('thread_ts and channel_id are required');
    });

    it.each([
      ['the body is empty', {}],
      ['only messages are given', { messages: seedThread().messages }],
      ['both keys and the messages are missing', { messages: [] }],
      ['thread_ts is blank and channel_id malformed', { thread_ts: '  ', channel_id: 'C 1', messages: [] }],
    ])("400 with exactly the seed's message when %s", async (_, body) => {
      const res = await http().post('/api/ingest-thread').send(body).expect(400);
      expect(res.body).toMatchObject({
        error: 'thread_ts and channel_id are required',
        statusCode: 400,
        requestId: expect.any(String),
      });
    });

    it.each([
      ['thread_ts', { thread_ts: 1234567890.123456 }, 'thread_ts must be a string such as "1234567890.123456"'],
      ['channel_id', { channel_id: 42 }, 'channel_id must be a string such as "C01ABC123"'],
    ])('400 saying so when %s is not a string', async (_, change, message) => {
      const res = await http()
        .post('/api/ingest-thread')
        .send({ ...seedThread(), ...change })
        .expect(400);
      expect(res.body.error).toBe(message);
    });

    it.each([
      ['missing', undefined],
      ['empty', []],
      ['not an array', 'hello'],
    ])('400 when messages are %s', async (_, messages) => {
      const res = await http()
        .post('/api/ingest-thread')
        .send({ ...seedThread(), messages })
        .expect(400);
      expect(res.body.error).toBe('messages must be a non-empty array');
    });

    it('405 for a GET, as the seed lists', async () => {
      const res = await http().get('/api/ingest-thread').expect(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body.error).toMatch(/not allowed/);
    });

    it('400 naming the problem when a message has no text, and for a body that is not JSON', async () => {
      const noText = await http()
        .post('/api/ingest-thread')
        .send({ ...seedThread(), messages: [{ user: 'U1', ts: '1.1' }] })
        .expect(400);
      expect(noText.body.error).toBe('each message needs a text');
      const notJson = await http()
        .post('/api/ingest-thread')
        .set('Content-Type', 'application/json')
        .send('{"thread_ts": ')
        .expect(400);
      expect(notJson.body).toMatchObject({ error: expect.stringMatching(/JSON/i), statusCode: 400 });
    });

    it('concurrent ingests of one thread over HTTP leave exactly one version of it', async () => {
      const version = (n: number) => ({
        thread_ts: '1700000009.000001',
        channel_id: 'C0RACE',
        messages: Array.from({ length: 5 }, (_, i) => ({
          user: `U${i}`,
          text: `RACEJOB step ${i} of version ${n}: ${'detail '.repeat(15)}`,
          ts: `1.${i}`,
        })),
      });
      const responses = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) => http().post('/api/ingest-thread').send(version(n))),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
      const found = await http()
        .get('/api/knowledge/search')
        .query({ q: 'RACEJOB step version', limit: 50 })
        .expect(200);
      const versions = new Set(found.body.results.map((r: { content: string }) => /version (\d)/.exec(r.content)?.[1]));
      expect(versions.size).toBe(1);
      expect(responses[0].body.memories_saved).toBe(5);
      expect(found.body.count).toBe(5);
    });

    it('accepts messages with images and remembers each image by name and type', async () => {
      const withImage = {
        thread_ts: '1700000010.000001',
        channel_id: 'C0OPS',
        messages: [
          {
            user: 'U1',
            text: 'IMGJOB abended, screenshot attached',
            ts: '1.1',
            type: 'message',
            images: [{ name: 'abend.png', mime_type: 'image/png', data: 'iVBORw0KGgo=' }],
          },
        ],
      };
      expect((await http().post('/api/ingest-thread').send(withImage).expect(200)).body.memories_saved).toBe(1);
      const res = await http().get('/api/knowledge/search').query({ q: 'IMGJOB abended' }).expect(200);
      expect(res.body.results[0].content).toBe(
        'U1: IMGJOB abended, screenshot attached [image: abend.png (image/png)]',
      );
      const bad = {
        ...withImage,
        messages: [{ ...withImage.messages[0], images: [{ name: 'x.exe', mime_type: 'application/x-msdownload' }] }],
      };
      expect((await http().post('/api/ingest-thread').send(bad).expect(400)).body.error).toMatch(/image type/);
    });

    it('rejects HTML in a message but accepts Slack link syntax as plain text', async () => {
      const html = seedThread();
      html.messages[0].text = 'see <img src=x onerror=alert(1)>';
      expect((await http().post('/api/ingest-thread').send(html).expect(400)).body.error).toMatch(/markup/);
      const slack = { ...seedThread(), thread_ts: '1234567899.000001' };
      slack.messages[0].text = 'Runbook <https://wiki.example.com/tws|TWS wiki> for <@U02USER456> <!here>';
      await http().post('/api/ingest-thread').send(slack).expect(200);
      const res = await http().get('/api/knowledge/search').query({ q: 'runbook wiki' }).expect(200);
      expect(res.body.results[0].content).toContain(
        'Runbook TWS wiki (https://wiki.example.com/tws) for @U02USER456 @here',
      );
    });

    it('enforces INGEST_MAX_MESSAGES, INGEST_MAX_TEXT_CHARS and INGEST_MAX_TOTAL_BYTES', async () => {
      const many = {
        ...seedThread(),
        messages: Array.from({ length: 6 }, (_, i) => ({ user: 'U1', text: `m${i}`, ts: `1.${i}` })),
      };
      expect((await http().post('/api/ingest-thread').send(many).expect(400)).body.error).toMatch(/at most 5 messages/);
      const long = { ...seedThread(), messages: [{ user: 'U1', text: 'a'.repeat(301), ts: '1.1' }] };
      expect((await http().post('/api/ingest-thread').send(long).expect(400)).body.error).toMatch(/longer than 300/);
      const heavy = {
        ...seedThread(),
        messages: [
          {
            user: 'U1',
            text: 'screenshot',
            ts: '1.1',
            images: [{ name: 'a.png', mime_type: 'image/png', data: 'QUFB'.repeat(600) }],
          },
        ],
      };
      expect((await http().post('/api/ingest-thread').send(heavy).expect(413)).body.error).toMatch(/limit is 2048/);
    });
  });

  describe('feedback and search', () => {
    let memoryId: string;

    beforeAll(async () => {
      await http()
        .post('/api/ingest-thread')
        .send({
          thread_ts: '1700000001.000001',
          channel_id: 'C0OPS',
          messages: [{ user: 'U9', text: 'FTA_PARIS unlinked: restart netman on the agent', ts: '1.1' }],
        })
        .expect(200);
      const res = await http().get('/api/knowledge/search').query({ q: 'FTA_PARIS unlinked', limit: 1 }).expect(200);
      memoryId = res.body.results[0].id;
    });

    it('records feedback and shows it in search results', async () => {
      const res = await http()
        .post(`/api/knowledge/${memoryId}/feedback`)
        .send({ feedback: 'worked', rating: 5 })
        .expect(200);
      expect(res.body).toEqual({ success: true, message: 'Feedback recorded', memory_id: memoryId });
      const found = await http().get('/api/knowledge/search').query({ q: 'FTA_PARIS' }).expect(200);
      expect(found.body.results[0]).toMatchObject({ id: memoryId, feedback: 'worked', rating: 5 });
    });

    it.each([0, 6, 2.5, '5'])('400 for rating %p', async (rating) => {
      const res = await http().post(`/api/knowledge/${memoryId}/feedback`).send({ feedback: 'x', rating }).expect(400);
      expect(res.body.error).toBe('rating must be an integer from 1 to 5');
    });

    it('404 for an unknown or malformed memory id', async () => {
      await http()
        .post('/api/knowledge/5b2f3c1e-8a61-4d0e-9a8e-1b9f0c4d2e77/feedback')
        .send({ feedback: 'x', rating: 3 })
        .expect(404);
      await http().post('/api/knowledge/not-a-uuid/feedback').send({ feedback: 'x', rating: 3 }).expect(404);
    });

    it('400 without q, and limit is bounded', async () => {
      expect((await http().get('/api/knowledge/search').expect(400)).body.error).toMatch(/q is required/);
      await http().get('/api/knowledge/search').query({ q: 'x', limit: 0 }).expect(400);
      await http().get('/api/knowledge/search').query({ q: 'x', limit: 101 }).expect(400);
    });

    it('answers an unrelated question with no results', async () => {
      const res = await http()
        .get('/api/knowledge/search')
        .query({ q: 'annual leave policy for contractors' })
        .expect(200);
      expect(res.body).toEqual({ query: 'annual leave policy for contractors', count: 0, results: [] });
    });
  });

  it('registers the search_memory tool, which agents can run', async () => {
    const registry = running.app.get(ToolRegistry);
    expect(registry.has('search_memory')).toBe(true);
    const text = await registry
      .get('search_memory')!
      .run({ query: 'how do we deploy with GitHub Actions' }, { agentId: 'tws-troubleshooter' });
    expect(text).toContain('We deploy using GitHub Actions');
  });

  it('counts saves and searches in /metrics', async () => {
    const before = await http().get('/metrics').expect(200);
    await http()
      .post('/api/ingest-thread')
      .send({
        thread_ts: '1700000002.000001',
        channel_id: 'C0OPS',
        messages: [{ user: 'U9', text: 'METRICS_JOB note', ts: '1.1' }],
      })
      .expect(200);
    await http().get('/api/knowledge/search').query({ q: 'METRICS_JOB' }).expect(200);
    const after = await http().get('/metrics').expect(200);
    expect(metric(after.text, 'knowledge_agent_memory_saves_total')).toBe(
      metric(before.text, 'knowledge_agent_memory_saves_total') + 1,
    );
    expect(metric(after.text, 'knowledge_agent_memory_searches_total')).toBe(
      metric(before.text, 'knowledge_agent_memory_searches_total') + 1,
    );
    expect(metric(after.text, 'knowledge_agent_memory_errors_total')).toBe(0);
  });
});

describe('Knowledge with an embeddings server (e2e)', () => {
  let running: RunningApp;
  let fake: FakeEmbeddingsServer;

  beforeAll(async () => {
    fake = await startFakeEmbeddingsServer(32);
    running = await startApp({ EMBEDDING_MODEL: 'nomic-embed-text', EMBEDDING_BASE_URL: fake.url });
  });

  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it('embeds ingested threads and searches them by meaning as well as by words', async () => {
    const thread = {
      thread_ts: '1700000003.000001',
      channel_id: 'C0OPS',
      messages: [
        { user: 'U1', text: 'Agent FTA_OSLO went offline after the network change; reopened port 31111', ts: '1.1' },
      ],
    };
    await request(running.url).post('/api/ingest-thread').send(thread).expect(200);
    expect(fake.batches.length).toBeGreaterThan(0);
    const res = await request(running.url)
      .get('/api/knowledge/search')
      .query({ q: 'FTA_OSLO disconnected' })
      .expect(200);
    expect(res.body.results[0].content).toContain('FTA_OSLO went offline');
  });

  it('counts a failed embedding in knowledge_agent_memory_errors_total, and still stores the thread', async () => {
    const before = await request(running.url).get('/metrics').expect(200);
    fake.failing = true;
    try {
      const thread = {
        thread_ts: '1700000003.000002',
        channel_id: 'C0OPS',
        messages: [{ user: 'U1', text: 'EMBEDFAIL_JOB waited on a resource', ts: '1.1' }],
      };
      const res = await request(running.url).post('/api/ingest-thread').send(thread).expect(200);
      expect(res.body.memories_saved).toBe(1);
    } finally {
      fake.failing = false;
    }
    const after = await request(running.url).get('/metrics').expect(200);
    expect(metric(after.text, 'knowledge_agent_memory_errors_total')).toBeGreaterThan(
      metric(before.text, 'knowledge_agent_memory_errors_total'),
    );
    expect(metric(after.text, 'knowledge_agent_memory_saves_total')).toBe(
      metric(before.text, 'knowledge_agent_memory_saves_total') + 1,
    );
  });
});
