import Redis from 'ioredis';
import { testEnv } from '../../test/support/test-env';
import type { CacheObserver } from './cache-metrics';
import { type RemoteStore, TieredCache } from './tiered-cache';

const redisUrl = testEnv.REDIS_URL;
if (!redisUrl) console.warn('REDIS_URL is not set: the Redis (L2) cache tests are skipped.');
const describeWithRedis = redisUrl ? describe : describe.skip;

const silent: CacheObserver = { hit() {}, miss() {}, load() {}, l2Error() {} };

describeWithRedis('TieredCache with Redis (L2)', () => {
  const namespace = `resync-test:${process.pid}:${Date.now()}`;
  let redis: Redis;
  const published: string[] = [];

  const remote = (): RemoteStore => ({
    redis,
    key: (key) => `${namespace}:${key}`,
    publishInvalidation: async (key) => {
      published.push(key);
    },
  });
  const newInstance = () =>
    new TieredCache({ name: 'shared', maxEntries: 100, defaultTtlSeconds: 30, observer: silent, remote: remote() });

  beforeAll(() => {
    redis = new Redis(redisUrl!);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('lets a second instance read what the first one stored', async () => {
    const a = newInstance();
    const b = newInstance();
    await a.set('plan', { jobs: 42 });
    expect(await b.get('plan')).toEqual({ jobs: 42 });
  });

  it('fills memory from Redis with the remaining TTL', async () => {
    const a = newInstance();
    await a.set('ttl', 'v', 5);
    const b = newInstance();
    expect(await b.get('ttl')).toBe('v');
    await redis.del(`${namespace}:ttl`);
    expect(await b.get('ttl')).toBe('v');
  });

  it('expires entries in Redis with the entry TTL', async () => {
    await newInstance().set('gone', 'soon', 1);
    const pttl = await redis.pttl(`${namespace}:gone`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1000);
  });

  it('does not call the loader when another instance already loaded the key', async () => {
    await newInstance().getOrLoad('loaded', 30, async () => 'first');
    let calls = 0;
    const value = await newInstance().getOrLoad('loaded', 30, async () => {
      calls++;
      return 'second';
    });
    expect(value).toBe('first');
    expect(calls).toBe(0);
  });

  it('deletes from both levels and announces it', async () => {
    const a = newInstance();
    await a.set('del', 1);
    expect(await a.delete('del')).toBe(true);
    expect(await redis.exists(`${namespace}:del`)).toBe(0);
    expect(published).toContain('del');
    expect(await newInstance().get('del')).toBeUndefined();
  });

  it('keeps serving from memory when Redis fails', async () => {
    const broken = new Redis(redisUrl!, { lazyConnect: true, enableOfflineQueue: false });
    const sut = new TieredCache({
      name: 'broken',
      maxEntries: 10,
      defaultTtlSeconds: 30,
      observer: silent,
      remote: { redis: broken, key: (k) => k, publishInvalidation: async () => {} },
    });
    await sut.set('k', 'memory');
    expect(await sut.get('k')).toBe('memory');
    expect(await sut.getOrLoad('other', 30, async () => 'loaded')).toBe('loaded');
    broken.disconnect();
  });
});
