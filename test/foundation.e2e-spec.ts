import request from 'supertest';
import { CacheFactory } from '../src/cache/cache-factory';
import { Database } from '../src/database/database';
import { type RunningApp, startApp } from './support/app-harness';

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }>; requestBody?: unknown }>>;
}

/** Every path the two seed documents show (`/api/execute` comes with the TWS actions). */
const CONTRACT_PATHS = [
  '/',
  '/health',
  '/metrics',
  '/api/health/app',
  '/api/health/tws',
  '/api/metrics',
  '/api/agents',
  '/api/status',
  '/api/query',
  '/api/ingest-thread',
  '/api/chat',
  '/api/rag/upload',
  '/api/audit/flags',
  '/api/audit/review',
  '/api/audit/metrics',
  '/api/sensitive',
  '/api/protected',
  '/api/admin/users',
  '/api/review',
  '/api/files/{path}',
  '/revisao',
  '/api/dashboard',
];
/** Answers that are not a JSON document: the redirect, HTML pages and raw file downloads. */
const UNTYPED_ANSWERS = new Set(['/', '/revisao', '/api/dashboard', '/api/files/{path}']);
/** Served without credentials: probes, metrics, docs and the static pages. */
const PUBLIC_PATHS = new Set([
  '/',
  '/health',
  '/metrics',
  '/api/metrics',
  '/api/health/app',
  '/api/health/ready',
  '/api/health/tws',
  '/revisao',
  '/api/dashboard',
]);

describe('Foundation (e2e)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ SERVICE_NAME: 'resync-e2e', BODY_LIMIT: '2kb' });
  });

  afterAll(() => running.close());

  const http = () => request(running.url);

  describe('health', () => {
    it('GET /health names the service', async () => {
      const res = await http().get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok', service: 'resync-e2e' });
    });

    it('GET /api/health/app is ok', async () => {
      const res = await http().get('/api/health/app').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /api/health/ready checks the database', async () => {
      const res = await http().get('/api/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.details.database.status).toBe('up');
    });
  });

  describe('errors', () => {
    it('answers malformed JSON with 400 and the parser message', async () => {
      const res = await http().post('/health').set('Content-Type', 'application/json').send('{"x": ').expect(400);
      expect(res.body.error).toMatch(/^Invalid request: /);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.requestId).toEqual(expect.any(String));
    });

    it('answers an unknown route with a 404 JSON body', async () => {
      const res = await http().get('/api/nope').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: expect.stringContaining('/api/nope') });
    });

    it('answers a wrong method on a known path with 405 and Allow', async () => {
      const res = await http().delete('/api/health/app').expect(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.body).toMatchObject({ statusCode: 405, error: expect.stringContaining('DELETE') });
      // The Knowledge Agent's example: GET on a POST endpoint.
      for (const path of ['/api/query', '/api/ingest-thread', '/api/review']) {
        const get = await http().get(path).expect(405);
        expect([path, get.headers.allow, get.body.requestId]).toEqual([path, 'POST', expect.any(String)]);
      }
    });

    it('refuses a body over BODY_LIMIT with 413', async () => {
      const res = await http()
        .post('/health')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(4096) }))
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: expect.stringContaining('limit') });
    });
  });

  describe('unexpected failures', () => {
    it('answers 500 with a bare body, never the stack, and logs it with the request id', async () => {
      // A store that fails mid-request is the realistic unexpected error: a fresh app whose database is gone.
      const broken = await startApp({});
      try {
        await broken.app.get(Database).close();
        const res = await request(broken.url)
          .post('/api/review')
          .set('X-Request-Id', 'boom-500')
          .send({ content: 'a note' })
          .expect(500);
        expect(res.body).toEqual({ error: 'Internal server error', statusCode: 500, requestId: 'boom-500' });
        expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
        const logged = await broken.waitForLog(
          (line) => line.msg === 'Unhandled error' && line.requestId === 'boom-500',
        );
        expect(logged).toBeDefined();
        expect(broken.logs().filter((line) => line.msg === 'Unhandled error')).toHaveLength(1);
        expect(JSON.stringify(logged!.err)).toContain('stack');
      } finally {
        await broken.close().catch(() => undefined);
      }
    });
  });

  describe('request ids and logs', () => {
    it('echoes a caller X-Request-Id and generates one otherwise', async () => {
      const mine = await http().get('/api/health/ready').set('X-Request-Id', 'trace-abc-123');
      expect(mine.headers['x-request-id']).toBe('trace-abc-123');
      const generated = await http().get('/api/health/ready');
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('echoes the request id on liveness probes without writing a log line per probe', async () => {
      const res = await http().get('/health').set('X-Request-Id', 'probe-not-logged').expect(200);
      expect(res.headers['x-request-id']).toBe('probe-not-logged');
      await http().get('/api/health/ready').set('X-Request-Id', 'after-probe');
      expect(
        await running.waitForLog((l) => (l.req as { id?: string } | undefined)?.id === 'after-probe'),
      ).toBeDefined();
      expect(running.logs().filter((l) => JSON.stringify(l).includes('probe-not-logged'))).toEqual([]);
    });

    it('replaces an unsafe X-Request-Id', async () => {
      const res = await http().get('/api/health/ready').set('X-Request-Id', 'bad id\twith\tspaces');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('never writes secret headers to the log', async () => {
      const secret = 'super-secret-token-value-42';
      await http()
        .get('/api/health/ready')
        .set('X-Request-Id', 'redaction-check')
        .set('Authorization', `Bearer ${secret}`)
        .set('X-API-Key', secret)
        .set('X-Internal-Token', secret)
        .set('Cookie', `session=${secret}`);
      const lines = running.logs();
      const line = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'redaction-check');
      expect(line).toBeDefined();
      const headers = (line!.req as { headers: Record<string, string> }).headers;
      expect(headers.authorization).toBe('[REDACTED]');
      expect(headers['x-api-key']).toBe('[REDACTED]');
      expect(headers['x-internal-token']).toBe('[REDACTED]');
      expect(headers.cookie).toBe('[REDACTED]');
      expect(JSON.stringify(lines)).not.toContain(secret);
    });

    it('never writes a Slack signature or a token passed in the query string to the log', async () => {
      const secret = 'query-secret-token-value-77';
      await http()
        .get(`/api/health/ready?token=${secret}&api_key=${secret}&password=${secret}&keep=visible`)
        .set('X-Request-Id', 'query-redaction')
        .set('X-Slack-Signature', `v0=${secret}`);
      const line = await running.waitForLog((l) => (l.req as { id?: string } | undefined)?.id === 'query-redaction');
      expect(line).toBeDefined();
      expect(JSON.stringify(line)).toContain('keep=visible');
      const leaking = running.logs().filter((l) => JSON.stringify(l).includes(secret));
      expect(leaking.map((l) => l.msg)).toEqual([]);
    });
  });

  describe('docs', () => {
    it('redirects / to the API docs', async () => {
      const res = await http().get('/').expect(302);
      expect(res.headers.location).toBe('/api/docs');
    });

    it('serves Swagger UI and the OpenAPI JSON', async () => {
      const ui = await http().get('/api/docs').expect(200);
      expect(ui.text).toContain('swagger');
      const json = await http().get('/api/docs-json').expect(200);
      expect(json.body.openapi).toMatch(/^3\./);
      expect(Object.keys(json.body.paths)).toEqual(
        expect.arrayContaining(['/health', '/api/health/app', '/api/metrics']),
      );
    });

    it('documents every endpoint of both contracts with its answer and its error responses', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body as OpenApiDoc;
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(CONTRACT_PATHS));
      const problems: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const name = `${method.toUpperCase()} ${path}`;
          const codes = Object.keys(operation.responses);
          const expected = ['500'];
          const success = codes.filter((code) => /^[23]\d\d$/.test(code));
          if (success.length === 0) problems.push(`${name}: no success response`);
          if (!UNTYPED_ANSWERS.has(path) && !success.some((code) => operation.responses[code].content))
            problems.push(`${name}: success without a schema`);
          if (!PUBLIC_PATHS.has(path)) expected.push('401', ...(path === '/api/protected' ? [] : ['403']));
          if (method === 'post') expected.push('400', '429');
          if (operation.requestBody && !JSON.stringify(operation.requestBody).includes('$ref'))
            problems.push(`${name}: request body without a DTO`);
          for (const code of expected) if (!codes.includes(code)) problems.push(`${name}: ${code} not documented`);
          for (const code of codes.filter((c) => /^[45]/.test(c) && c !== '404')) {
            const content = JSON.stringify(operation.responses[code].content ?? {});
            if (!content.includes('ErrorResponseDto')) problems.push(`${name}: ${code} without the error body`);
          }
        }
      }
      expect(problems).toEqual([]);
      expect(doc.paths['/'].get.responses['302']).toBeDefined();
    });
  });

  describe('metrics', () => {
    it('serves the same registry at /metrics and /api/metrics, labelled by route template', async () => {
      await http().get('/api/health/app');
      await http().get('/api/definitely/not/a/route/12345');
      await http().get('/api/rag/jobs/5f2b7c1e-8a61-4d0e-9a8e-1b9f0c4d2e77');
      const a = await http().get('/metrics').expect(200);
      const b = await http().get('/api/metrics').expect(200);
      expect(a.headers['content-type']).toContain('text/plain');
      for (const body of [a.text, b.text]) {
        expect(body).toContain('process_cpu_user_seconds_total');
        expect(body).toMatch(/http_requests_total\{method="GET",route="\/api\/health\/app",status="200"\} \d+/);
        expect(body).toContain('http_request_duration_seconds_bucket');
        expect(body).not.toContain('12345');
        expect(body).toMatch(/http_requests_total\{method="GET",route="\/api\/rag\/jobs\/:id",status="\d+"\} 1/);
        expect(body).not.toContain('5f2b7c1e');
      }
    });
  });

  describe('cache', () => {
    it('runs the loader once for 100 concurrent misses and counts hits and misses per cache name', async () => {
      const cache = running.app.get(CacheFactory).get('e2e-flight');
      let loads = 0;
      const loader = async () => {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 25));
        return { plan: 'loaded' };
      };
      const values = await Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad('plan', 30, loader)));
      expect(loads).toBe(1);
      expect(values.every((v) => v.plan === 'loaded')).toBe(true);
      expect(await cache.get('plan')).toEqual({ plan: 'loaded' });
      expect(await cache.get('absent')).toBeUndefined();

      const metrics = (await http().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^cache_loads_total\{cache="e2e-flight",outcome="ok"\} 1$/m);
      expect(metrics).toMatch(/^cache_misses_total\{cache="e2e-flight"\} 2$/m);
      expect(metrics).toMatch(/^cache_hits_total\{cache="e2e-flight",level="l1"\} 1$/m);
    });
  });

  describe('hardening', () => {
    it('sends helmet headers', async () => {
      const res = await http().get('/api/health/app');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('allows no cross-origin caller by default', async () => {
      const res = await http().get('/api/health/app').set('Origin', 'https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
