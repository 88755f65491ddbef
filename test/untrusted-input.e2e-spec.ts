import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app-harness';
import { ChatClient } from './support/chat-client';

const UNLIMITED = { RATE_LIMIT_RPS: '10000000', RATE_LIMIT_BURST: '10000000' };

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Sends bytes Node's own HTTP client refuses to write (a NUL in a header value) and returns the raw answer. */
function rawRequest(url: string, text: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('Untrusted input at the edge (e2e)', () => {
  let running: RunningApp;
  const http = () => request(running.url);

  beforeAll(async () => {
    running = await startApp(UNLIMITED);
  });

  afterAll(() => running.close());

  const expectRefused = (res: request.Response, field: string, problem: RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: expect.stringMatching(problem) as string,
      statusCode: 400,
      requestId: res.headers['x-request-id'],
      details: [{ field, problems: [expect.stringMatching(problem) as string] }],
    });
    expect(res.body.error).toContain(field);
  };

  describe('NUL characters and lone surrogates get 400 naming the field', () => {
    it('in the body of POST /api/review', async () => {
      const res = await http().post('/api/review').send({ content: 'before\u0000after' });
      expectRefused(res, 'content', /NUL/);
    });

    it('in a nested field of POST /api/ingest-thread', async () => {
      const res = await http()
        .post('/api/ingest-thread')
        .send({
          thread_ts: '1700000000.000100',
          channel_id: 'C01EDGE',
          messages: [
            { user: 'U1', text: 'fine', ts: '1700000000.000100', type: 'message' },
            { user: 'U2', text: 'job\u0000ABEND', ts: '1700000000.000200', type: 'message' },
          ],
        });
      expectRefused(res, 'messages.1.text', /NUL/);
    });

    it('in the q of GET /api/knowledge/search and the query of GET /api/audit/flags', async () => {
      expectRefused(await http().get('/api/knowledge/search?q=abend%00rc'), 'q', /NUL/);
      expectRefused(await http().get('/api/audit/flags?status=all&query=x%00'), 'query', /NUL/);
    });

    it('in knowledge feedback', async () => {
      const res = await http()
        .post(`/api/knowledge/${randomUUID()}/feedback`)
        .send({ feedback: 'worked\u0000', rating: 5 });
      expectRefused(res, 'feedback', /NUL/);
    });

    it('as a lone surrogate in POST /api/query, and in an object key', async () => {
      // JSON.stringify escapes a lone surrogate as \ud800, exactly as a hostile client would send it.
      expectRefused(await http().post('/api/query').send({ question: 'status\ud800' }), 'question', /surrogate/);
      expectRefused(
        await http()
          .post('/api/chat')
          .send({ message: 'hi', ['k\u0000']: 1 }),
        'k\\u0000',
        /NUL/,
      );
    });

    it('in the path', async () => {
      expectRefused(await http().get('/api/files/runbook%00.pdf'), 'path', /NUL/);
    });

    it('in a header value, refused by the HTTP parser, still answered in the error envelope naming the header', async () => {
      const answer = await rawRequest(
        running.url,
        'GET /api/status HTTP/1.1\r\nHost: x\r\nX-Slack-User-Id: U\u0000X\r\nConnection: close\r\n\r\n',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
      expect(body).toMatchObject({
        statusCode: 400,
        details: [{ field: 'x-slack-user-id', problems: [expect.stringMatching(/NUL/)] }],
      });
      expect(body.error).toContain('x-slack-user-id');
      expect(body.requestId).toEqual(expect.any(String));
    });

    it('lets ordinary unicode through', async () => {
      const res = await http().post('/api/review').send({ content: 'Operação concluída ✅ 😀 — 日本語' });
      expect(res.status).toBe(201);
    });
  });

  describe('JSON nested too deep', () => {
    it('gets 400 on every JSON route, before validation runs', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body as OpenApiDoc;
      const jsonRoutes = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, operation]) => operation.requestBody?.content?.['application/json'])
          .map(([method]) => ({ method, path: path.replace(/\{[^}]+\}/g, randomUUID()) })),
      );
      expect(jsonRoutes.length).toBeGreaterThanOrEqual(8);
      const answers: string[] = [];
      for (const { method, path } of jsonRoutes) {
        const agent = request(running.url) as unknown as Record<string, (path: string) => request.Test>;
        const res = await agent[method](path)
          .set('Content-Type', 'application/json')
          .send(`{"x":${nested(2000)}}`);
        answers.push(
          `${method.toUpperCase()} ${path.replace(/[0-9a-f-]{36}/, ':id')} → ${res.status} ${res.body.error}`,
        );
      }
      expect(answers).toEqual(
        jsonRoutes.map(
          ({ method, path }) =>
            `${method.toUpperCase()} ${path.replace(/[0-9a-f-]{36}/, ':id')} → 400 JSON body field (root) is nested deeper than 64 levels`,
        ),
      );
    });

    it('refuses a megabyte of brackets without parsing it, and stays responsive', async () => {
      const started = Date.now();
      const res = await http().post('/api/chat').set('Content-Type', 'application/json').send(nested(400_000));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: '(root)', problems: ['is nested deeper than 64 levels'] }]);
      expect(Date.now() - started).toBeLessThan(1000);
      await http().get('/api/health/app').expect(200);
    });

    it('accepts JSON nested as deep as the limit (the validator then judges it)', async () => {
      const res = await http()
        .post('/api/chat')
        .set('Content-Type', 'application/json')
        .send(`{"message":"hi","extra":${nested(63)}}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('property extra should not exist');
    });
  });

  describe('WebSocket frames', () => {
    it('answers an unsafe or too deep JSON frame with an error frame naming the field, and keeps the socket', async () => {
      const chat = await ChatClient.open(running.url, '/ws/tws-specialist');
      try {
        await chat.waitFor((f) => f.type === 'info');
        const [nul] = await chat.ask('{"message":"status\\u0000now"}');
        expect(nul).toMatchObject({ type: 'error', sender: 'system' });
        expect(nul.message).toMatch(/message.*NUL/);
        const [deep] = await chat.ask(`{"message":"hi","x":${nested(5000)}}`);
        expect(deep.type).toBe('error');
        expect(deep.message).toMatch(/nested deeper than 64/);
        const [plain] = await chat.ask('plain\u0000text');
        expect(plain.type).toBe('error');
        expect(plain.message).toMatch(/NUL/);
        const answer = await chat.ask('status');
        expect(answer.at(-1)).toMatchObject({ type: 'message', is_final: true });
      } finally {
        chat.close();
      }
    });
  });

  describe('credentials in the wrong place', () => {
    it('never reach the log, whatever the case or -/_ spelling of the header or query name', async () => {
      const secret = 'misplaced-key-7f3a9c';
      const query = ['x-api-key', 'X_API_KEY', 'apiKey', 'token', 'access-token', 'Authorization', 'client_secret']
        .map((name) => `${name}=${secret}`)
        .join('&');
      await http()
        .get(`/api/status?${query}&q=still-visible`)
        .set('X-Request-Id', 'misplaced-credentials')
        .set('X_API_Key', secret)
        .set('X-Api_Key', secret)
        .set('X-Auth-Token', secret)
        .set('Proxy-Authorization', `Basic ${secret}`)
        .set('X-Slack-User-Id', 'U-VISIBLE');
      const line = await running.waitForLog(
        (l) => (l.req as { id?: string } | undefined)?.id === 'misplaced-credentials',
      );
      const req = line?.req as { url: string; query: Record<string, string>; headers: Record<string, string> };
      expect(req.headers).toMatchObject({
        x_api_key: '[REDACTED]',
        'x-api_key': '[REDACTED]',
        'x-auth-token': '[REDACTED]',
        'proxy-authorization': '[REDACTED]',
        'x-slack-user-id': 'U-VISIBLE',
      });
      expect(req.query).toMatchObject({ X_API_KEY: '[REDACTED]', apiKey: '[REDACTED]', q: 'still-visible' });
      expect(req.url).toContain('q=still-visible');
      const leaking = running.logs().filter((l) => JSON.stringify(l).includes(secret));
      expect(leaking).toEqual([]);
    });
  });
});
