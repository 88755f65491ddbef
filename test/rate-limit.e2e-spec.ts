import request from 'supertest';
import { RATE_LIMITED_MESSAGE } from '../src/auth/auth.errors';
import { type RunningApp, startApp } from './support/app-harness';
import { testEnv } from './support/test-env';

/** GET routes that may call a model (the knowledge search embeds its query when EMBEDDING_MODEL is set). */
const LLM_BACKED_READS = ['/api/knowledge/search'];

/** Default burst, but a refill so slow that no token comes back while a test runs. */
const SLOW_REFILL = { RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '20' };

const post = (url: string, headers: Record<string, string> = {}) =>
  request(url).post('/api/sensitive').set(headers).send({ data: 'x' });

async function burst(
  url: string,
  n: number,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await post(url, headers(i))).status);
  return statuses;
}

describe('Rate limiting (e2e)', () => {
  describe('per client IP, no proxy trusted', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp(SLOW_REFILL);
    });
    afterAll(() => running.close());

    it('lets a burst of 20 pass, then answers 429 with Retry-After and RateLimit headers', async () => {
      const first = await post(running.url).expect(200);
      expect(first.headers['ratelimit-policy']).toBe('"per-client";q=20;w=2000');
      expect(first.headers.ratelimit).toMatch(/^"per-client";r=19;t=\d+$/);
      expect(await burst(running.url, 19)).toEqual(Array(19).fill(200));

      const refused = await post(running.url).expect(429);
      expect(refused.body).toMatchObject({ error: RATE_LIMITED_MESSAGE, statusCode: 429 });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.headers.ratelimit).toMatch(/^"per-client";r=0;t=\d+$/);
      expect((await request(running.url).get('/metrics')).text).toMatch(/^rate_limited_requests_total 1$/m);
    });

    it('ignores X-Forwarded-For from an untrusted peer', async () => {
      const statuses = await burst(running.url, 3, (i) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}` }));
      expect(statuses).toEqual([429, 429, 429]);
    });

    it('leaves routes without @RateLimited alone', async () => {
      await request(running.url).get('/api/health/app').expect(200);
      await request(running.url).post('/api/protected').expect(405);
    });
  });

  describe('coverage: every state-changing or LLM-backed route', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '1' });
    });
    afterAll(() => running.close());

    /** Routes as Express serves them, so a route added later is covered without editing this test. */
    const servedRoutes = (): { method: string; path: string }[] => {
      const router = (
        running.app.getHttpAdapter().getInstance() as {
          router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
        }
      ).router;
      return router.stack.flatMap((layer) =>
        layer.route && Object.keys(layer.route.methods).length < 20
          ? Object.keys(layer.route.methods).map((method) => ({
              method: method.toUpperCase(),
              path: layer.route!.path,
            }))
          : [],
      );
    };

    it('answers 429 on each of them once the client IP bucket is empty, and leaves plain reads alone', async () => {
      await post(running.url).expect(200);
      const routes = servedRoutes();
      const limited = routes.filter((r) => !['GET', 'HEAD'].includes(r.method) || LLM_BACKED_READS.includes(r.path));
      expect(limited.map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining([
          'POST /api/query',
          'POST /api/ingest-thread',
          'POST /api/chat',
          'POST /api/rag/upload',
        ]),
      );
      const notLimited: string[] = [];
      for (const route of limited) {
        const url = route.path.replace(/:[A-Za-z_]+/g, '00000000-0000-4000-8000-000000000000');
        const res = await request(running.url)[route.method.toLowerCase() as 'post'](url).send({});
        if (res.status !== 429 || res.body.error !== RATE_LIMITED_MESSAGE || !res.headers['retry-after'])
          notLimited.push(`${route.method} ${route.path} → ${res.status}`);
      }
      expect(notLimited).toEqual([]);
      for (const path of ['/api/agents', '/api/status', '/api/audit/metrics', '/api/health/app']) {
        expect((await request(running.url).get(path)).status).not.toBe(429);
      }
    });
  });

  describe('guard order: authentication, then roles, then the bucket', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({
        RATE_LIMIT_RPS: '0.01',
        RATE_LIMIT_BURST: '1',
        A2A_API_KEYS: '{"ka_writer1":"writer","ka_reader1":{"caller":"reader","roles":["read"]}}',
      });
    });
    afterAll(() => running.close());

    it('answers 401 and 403 before taking a token, so the one token is still there for the real request', async () => {
      await post(running.url).expect(401);
      await post(running.url, { 'X-API-Key': 'ka_wrong_key' }).expect(401);
      await post(running.url, { 'X-API-Key': 'ka_reader1' }).expect(403);
      await post(running.url, { 'X-API-Key': 'ka_writer1' }).expect(200);
      await post(running.url, { 'X-API-Key': 'ka_writer1' }).expect(429);
      // An empty bucket does not hide a missing credential.
      await post(running.url).expect(401);
    });
  });

  describe('behind a trusted proxy (TRUSTED_PROXIES=loopback)', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ ...SLOW_REFILL, TRUSTED_PROXIES: 'loopback' });
    });
    afterAll(() => running.close());

    it('limits each forwarded client separately', async () => {
      const client = { 'X-Forwarded-For': '203.0.113.7' };
      expect(await burst(running.url, 21, () => client)).toEqual([...Array(20).fill(200), 429]);
      await post(running.url, { 'X-Forwarded-For': '203.0.113.8' }).expect(200);
      // Rightmost address is the one the trusted proxy saw: a client cannot pick its own bucket.
      await post(running.url, { 'X-Forwarded-For': '203.0.113.99, 203.0.113.7' }).expect(429);
    });
  });

  const redisUrl = testEnv.REDIS_URL;
  if (!redisUrl) console.warn('REDIS_URL is not set: the shared-bucket test across two instances is skipped.');
  (redisUrl ? describe : describe.skip)('two instances sharing one Redis', () => {
    let a: RunningApp;
    let b: RunningApp;
    beforeAll(async () => {
      const env = {
        ...SLOW_REFILL,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `resync-test-${process.pid}-${Date.now()}:`,
      };
      [a, b] = await Promise.all([startApp(env), startApp(env)]);
    });
    afterAll(() => Promise.all([a?.close(), b?.close()]));

    it('counts requests to either instance against one bucket', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await post(i % 2 ? a.url : b.url)).status);
      expect(statuses).toEqual(Array(20).fill(200));
      await post(a.url).expect(429);
      await post(b.url).expect(429);
    });

    it('takes exactly the burst when 60 requests race across both instances', async () => {
      // A fresh prefix, so a fresh bucket: the previous test emptied the shared one.
      const env = {
        ...SLOW_REFILL,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `resync-test-race-${process.pid}-${Date.now()}:`,
      };
      const [c, d] = await Promise.all([startApp(env), startApp(env)]);
      try {
        const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => post(i % 2 ? c.url : d.url)));
        const counts = answers.reduce<Record<number, number>>(
          (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
          {},
        );
        expect(counts).toEqual({ 200: 20, 429: 40 });
      } finally {
        await Promise.all([c.close(), d.close()]);
      }
    });
  });
});
