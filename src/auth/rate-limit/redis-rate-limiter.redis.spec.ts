import Redis from 'ioredis';
import { testEnv } from '../../../test/support/test-env';
import { RedisConnection } from '../../redis/redis-connection';
import { systemClock } from '../clock';
import { SlackReplayGuard } from '../slack-replay-guard';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { RedisRateLimiter } from './redis-rate-limiter';

const redisUrl = testEnv.REDIS_URL;
if (!redisUrl) console.warn('REDIS_URL is not set: the Redis rate-limit and replay tests are skipped.');
const describeWithRedis = redisUrl ? describe : describe.skip;

const settings = { ratePerSecond: 0.01, burst: 20, maxClients: 100 };

describeWithRedis('Rate limit and replay memory in Redis', () => {
  const prefix = `resync-test:${process.pid}:${Date.now()}:`;
  let connections: RedisConnection[];

  const connection = () => {
    const c = new RedisConnection(new Redis(redisUrl!), prefix);
    connections.push(c);
    return c;
  };
  const limiter = (c = connection()) => new RedisRateLimiter(c, settings, new MemoryRateLimiter(settings, systemClock));

  beforeEach(() => {
    connections = [];
  });

  afterEach(async () => {
    const admin = new Redis(redisUrl!);
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
    await Promise.all(connections.map((c) => c.close()));
  });

  it('grants exactly the burst when 100 takes race from three instances', async () => {
    const instances = [limiter(), limiter(), limiter()];
    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => instances[i % 3].consume('ip:race')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterSeconds >= 1)).toBe(true);
  });

  it('lets an idle bucket expire once it would be full again', async () => {
    const c = connection();
    await new RedisRateLimiter(
      c,
      { ratePerSecond: 1000, burst: 2, maxClients: 100 },
      new MemoryRateLimiter(settings, systemClock),
    ).consume('ip:ttl');
    const ttl = await c.client!.pttl(c.key('ratelimit', 'ip:ttl'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1001);
  });

  it('falls back to a per-instance bucket while Redis is unreachable', async () => {
    const dead = new RedisConnection(
      new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null }),
      prefix,
    );
    dead.client!.on('error', () => undefined);
    const sut = new RedisRateLimiter(dead, settings, new MemoryRateLimiter(settings, systemClock));
    const decisions = await Promise.all(Array.from({ length: 21 }, () => sut.consume('ip:offline')));
    expect(decisions.map((d) => d.allowed)).toEqual([...Array(20).fill(true), false]);
    dead.client!.disconnect();
  });

  it('remembers a Slack signature across instances, so a replay fails everywhere', async () => {
    const a = new SlackReplayGuard(connection());
    const b = new SlackReplayGuard(connection());
    expect(await a.firstUse('v0=abc')).toBe(true);
    expect(await b.firstUse('v0=abc')).toBe(false);
    expect(await a.firstUse('v0=abc')).toBe(false);
    expect(await b.firstUse('v0=def')).toBe(true);
  });
});

describe(SlackReplayGuard.name, () => {
  it('remembers signatures in memory without Redis', async () => {
    const sut = new SlackReplayGuard(new RedisConnection(undefined, 'x:'));
    expect(await sut.firstUse('v0=1')).toBe(true);
    expect(await sut.firstUse('v0=1')).toBe(false);
  });
});
