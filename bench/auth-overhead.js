// Cost of the global guards, in the same run: a public route vs routes behind authentication
// (API key) + roles, and + the token-bucket limiter; rounds are interleaved so load from other
// processes hits every route alike. Then the guards' own work per request, in process.
// With REDIS_URL set, the Redis token bucket (one Lua script per take) is measured too.
// Usage: npm run build && node bench/auth-overhead.js [seconds per round]
const { join } = require('node:path');
const { startApp, load, fmt } = require('./lib');

const PORT = 18_110;
const ROUND_S = Number(process.argv[2] ?? 3);
const ROUNDS = 3;
const KEY = 'ka_bench_key';
const ENV = {
  A2A_API_KEYS: JSON.stringify({ [KEY]: 'bench-agent', ka_other_key1: 'other-1', ka_other_key2: 'other-2' }),
  RATE_LIMIT_RPS: '10000000',
  RATE_LIMIT_BURST: '10000000',
};

const ROUTES = [
  // Probes are not request-logged; the routes below are, so part of their gap is one log line each.
  ['public      GET /api/health/app', { path: '/api/health/app' }],
  ['auth+roles  GET /api/protected', { path: '/api/protected', headers: { 'x-api-key': KEY } }],
  // Also seals its 16-byte body with AES-256-GCM (a few µs) and validates the DTO.
  [
    'auth+roles+limit POST /api/sensitive',
    {
      path: '/api/sensitive',
      method: 'POST',
      body: '{"data":"bench payload 16b"}',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    },
  ],
];

async function measureHttp(env, label) {
  const app = await startApp({ port: PORT, env });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    const totals = ROUTES.map(() => ({ requests: 0, seconds: 0, latency: 0, non2xx: 0 }));
    const request = (route, duration) =>
      load({
        url: `${base}${route.path}`,
        method: route.method ?? 'GET',
        ...(route.body && { body: route.body }),
        headers: route.headers,
        duration,
      });
    for (const [, route] of ROUTES) await request(route, 1);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [, route]] of ROUTES.entries()) {
        const run = await request(route, ROUND_S);
        totals[i].requests += run.requests.total;
        totals[i].seconds += ROUND_S;
        totals[i].latency += run.latency.mean / ROUNDS;
        totals[i].non2xx += run.non2xx + run.errors;
      }
    }
    console.log(`${label}: 50 connections, ${ROUNDS} interleaved rounds of ${ROUND_S}s per route`);
    for (const [i, [name]] of ROUTES.entries()) {
      const t = totals[i];
      console.log(
        `  ${name.padEnd(38)} ${fmt(t.requests / t.seconds, 0).padStart(7)} req/s   mean ${fmt(t.latency, 2)} ms   non-2xx ${t.non2xx}`,
      );
    }
    const [pub, guarded, limited] = totals.map((t) => t.requests / t.seconds);
    console.log(`  throughput ratio auth+roles/public:       ${fmt(guarded / pub, 2)}`);
    console.log(
      `  throughput ratio auth+roles+limit/public: ${fmt(limited / pub, 2)} (includes the DTO and AES-GCM work)`,
    );
  } finally {
    await app.stop();
  }
}

/** The guards' own work per request, without HTTP: resolve the caller from headers, take a token. */
async function measureInProcess() {
  const dist = join(__dirname, '..', 'dist');
  const { loadConfig } = require(join(dist, 'config/load-config'));
  const { Authenticator } = require(join(dist, 'auth/authenticator'));
  const { SlackReplayGuard } = require(join(dist, 'auth/slack-replay-guard'));
  const { MemoryRateLimiter } = require(join(dist, 'auth/rate-limit/memory-rate-limiter'));
  const { RedisConnection } = require(join(dist, 'redis/redis-connection'));
  const { systemClock } = require(join(dist, 'auth/clock'));
  const config = loadConfig(ENV);
  const authenticator = new Authenticator(
    config,
    new SlackReplayGuard(new RedisConnection(undefined, 'b:')),
    systemClock,
  );
  const limiter = new MemoryRateLimiter(config.rateLimit, systemClock);
  const headers = { 'x-api-key': KEY };
  const n = 200_000;
  for (let i = 0; i < 10_000; i++) await authenticator.resolve({ headers });
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await authenticator.resolve({ headers });
  const authUs = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await limiter.consume(`ip:10.0.${(i >> 8) & 255}.${i & 255}`);
  const limitUs = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  console.log(`in process, ${n} calls each (3 configured API keys, 65k distinct client buckets):`);
  console.log(`  authenticate (API key, constant-time against every key): ${fmt(authUs, 2)} µs per request`);
  console.log(`  rate limiter take (in-memory bucket):                    ${fmt(limitUs, 2)} µs per request`);
}

async function main() {
  await measureHttp(ENV, 'HTTP, embedded');
  await measureInProcess();
  if (process.env.REDIS_URL) {
    const Redis = require('ioredis');
    const { RedisRateLimiter } = require(join(__dirname, '..', 'dist', 'auth/rate-limit/redis-rate-limiter'));
    const { MemoryRateLimiter } = require(join(__dirname, '..', 'dist', 'auth/rate-limit/memory-rate-limiter'));
    const { RedisConnection } = require(join(__dirname, '..', 'dist', 'redis/redis-connection'));
    const { systemClock } = require(join(__dirname, '..', 'dist', 'auth/clock'));
    const settings = { ratePerSecond: 1e7, burst: 1e7, maxClients: 1000 };
    const connection = new RedisConnection(new Redis(process.env.REDIS_URL), `resync-bench-${process.pid}:`);
    const limiter = new RedisRateLimiter(connection, settings, new MemoryRateLimiter(settings, systemClock));
    const n = 20_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n / 50; i++)
      await Promise.all(Array.from({ length: 50 }, (_, j) => limiter.consume(`ip:${j}`)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`  rate limiter take in Redis (one Lua script), 50 in flight: ${fmt(n / seconds, 0)} takes/s`);
    const keys = await connection.client.keys(`resync-bench-${process.pid}:*`);
    if (keys.length) await connection.client.del(...keys);
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
