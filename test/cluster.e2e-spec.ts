import request from 'supertest';
import { CacheFactory } from '../src/cache/cache-factory';
import { RedisConnection } from '../src/redis/redis-connection';
import { type RunningApp, startApp } from './support/app-harness';
import { testEnv } from './support/test-env';
import { eventually } from './support/eventually';

const redisUrl = testEnv.REDIS_URL;
if (!redisUrl) console.warn('REDIS_URL is not set: the two-instance (cluster mode) tests are skipped.');
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('Two instances sharing one Redis (e2e)', () => {
  let a: RunningApp;
  let b: RunningApp;
  const prefix = `resync-e2e-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    a = await startApp({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    b = await startApp({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('reports Redis in readiness', async () => {
    const res = await request(a.url).get('/api/health/ready').expect(200);
    expect(res.body.details.redis.status).toBe('up');
  });

  it('answers 503 on readiness when Redis stops answering, naming it, while liveness stays ok', async () => {
    const lonely = await startApp({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    try {
      lonely.app.get(RedisConnection).client!.disconnect();
      const res = await request(lonely.url).get('/api/health/ready').expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, error: expect.stringContaining('redis') });
      // Only what is down is listed: the database still answers.
      expect(res.body.details).toEqual([{ field: 'redis', problems: [expect.any(String)] }]);
      await request(lonely.url).get('/health').expect(200);
    } finally {
      await lonely.close().catch(() => undefined);
    }
  });

  it('shares cached values and drops them everywhere on delete', async () => {
    const cacheA = a.app.get(CacheFactory).get('shared');
    const cacheB = b.app.get(CacheFactory).get('shared');
    await cacheA.set('plan', { version: 1 });
    expect(await cacheB.get('plan')).toEqual({ version: 1 });

    await cacheA.delete('plan');
    await eventually(
      async () => ((await cacheB.get('plan')) === undefined ? true : undefined),
      2000,
      'the delete reaching the other instance',
    );
  });

  it('loads a key once across instances when the first has finished', async () => {
    let loads = 0;
    const loader = async () => {
      loads++;
      return 'value';
    };
    await a.app.get(CacheFactory).get('once').getOrLoad('k', 30, loader);
    await b.app.get(CacheFactory).get('once').getOrLoad('k', 30, loader);
    expect(loads).toBe(1);
  });
});
