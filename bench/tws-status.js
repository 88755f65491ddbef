// The TWS status path: load on the HWA master versus the number of callers, and the cost of
// reading a large plan.
//  1. 500 concurrent GET /api/status on a cold cache: how many upstream reads (goal: one per list).
//  2. 500 connections for a while on the cached path: throughput, p99, and upstream reads per TTL.
//  3. The client reading a 10,000-job plan from the simulator, page by page.
// The app runs as a child process against a simulator in this process, over loopback HTTP.
// Usage: npm run build && node bench/tws-status.js [seconds of sustained load]
const { join } = require('node:path');
const { startApp, load, fmt } = require('./lib');

const DIST = join(__dirname, '..', 'dist');
const { TwsSimulator } = require(join(DIST, 'tws-simulator/tws-simulator'));
const { HwaTwsClient } = require(join(DIST, 'tws/hwa-tws-client'));

const APP_PORT = 18_120;
const CONCURRENT = 500;
const TTL_SECONDS = 5;
const SUSTAINED_S = Number(process.argv[2] ?? 15);
const BIG_PLAN_JOBS = 10_000;
const PAGE_SIZES = [1000, 250];
const CREDENTIALS = { user: 'benchuser', password: 'bench-pass' };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function statusPath() {
  const simulator = await new TwsSimulator({ seed: 42, ...CREDENTIALS }).start();
  const app = await startApp({
    port: APP_PORT,
    env: {
      TWS_HOST: '127.0.0.1',
      TWS_PORT: new URL(simulator.url).port,
      TWS_PROTOCOL: 'http',
      TWS_USER: CREDENTIALS.user,
      TWS_PASSWORD: CREDENTIALS.password,
      TWS_CACHE_TTL_SECONDS: String(TTL_SECONDS),
    },
  });
  const url = `http://127.0.0.1:${APP_PORT}/api/status`;
  try {
    // Let the boot-time reads (if any) settle, then start from a cold cache: wait out the TTL.
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 100));
    simulator.resetCounts();
    const latencies = [];
    const t0 = process.hrtime.bigint();
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const started = process.hrtime.bigint();
        const res = await fetch(url);
        await res.arrayBuffer();
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        return res.status;
      }),
    );
    const burstMs = Number(process.hrtime.bigint() - t0) / 1e6;
    latencies.sort((a, b) => a - b);
    const ok = answers.filter((s) => s === 200).length;
    console.log(
      `cold cache, ${CONCURRENT} concurrent GET /api/status (${simulator.plan.jobs.length} jobs, ${simulator.plan.workstations.length} workstations):`,
    );
    console.log(
      `  answered 200: ${ok}/${CONCURRENT} in ${fmt(burstMs, 0)} ms   p50 ${fmt(percentile(latencies, 50))} ms   p99 ${fmt(percentile(latencies, 99))} ms`,
    );
    console.log(
      `  upstream reads: jobs ${simulator.requestCount('jobs.list')}, workstations ${simulator.requestCount('workstations.list')}, total HWA requests ${simulator.requestCount()} (goal: 1 per list)`,
    );

    simulator.resetCounts();
    const run = await load({ url, connections: CONCURRENT, duration: SUSTAINED_S });
    const jobsReads = simulator.requestCount('jobs.list');
    const codes = Object.entries(run.statusCodeStats ?? {})
      .map(([code, { count }]) => `${code}: ${count}`)
      .join(', ');
    const bound = Math.ceil(SUSTAINED_S / TTL_SECONDS) + 1;
    console.log(`cached path, ${CONCURRENT} connections for ${SUSTAINED_S} s, TWS_CACHE_TTL_SECONDS=${TTL_SECONDS}:`);
    console.log(
      `  ${fmt(run.requests.average, 0)} req/s   p50 ${fmt(run.latency.p50)} ms   p99 ${fmt(run.latency.p99)} ms   requests ${run.requests.total}   non-2xx ${run.non2xx}   errors ${run.errors} (timeouts ${run.timeouts})`,
    );
    console.log(`  status codes: ${codes}`);
    console.log(
      `  upstream reads: jobs ${jobsReads}, workstations ${simulator.requestCount('workstations.list')} for ${run.requests.total} answers (goal: at most ${bound}, one per list per TTL)`,
    );
  } finally {
    await app.stop();
    await simulator.stop();
  }
}

async function bigPlan() {
  const t0 = process.hrtime.bigint();
  const simulator = await new TwsSimulator({ seed: 42, jobs: BIG_PLAN_JOBS, ...CREDENTIALS }).start();
  console.log(
    `client reading a ${BIG_PLAN_JOBS}-job plan from the simulator over HTTP (plan built in ${fmt(Number(process.hrtime.bigint() - t0) / 1e6, 0)} ms):`,
  );
  try {
    for (const pageSize of PAGE_SIZES) {
      const client = new HwaTwsClient(
        { baseUrl: simulator.url, credentials: CREDENTIALS, verifyTls: true },
        {
          timeoutMs: 30_000,
          retryAttempts: 1,
          retryBaseDelayMs: 100,
          circuitThreshold: 5,
          circuitResetMs: 30_000,
          pageSize,
          maxPlanObjects: 100_000,
        },
      );
      try {
        await client.getJobsStatus();
        const times = [];
        let jobs = 0;
        simulator.resetCounts();
        for (let i = 0; i < 3; i++) {
          const started = process.hrtime.bigint();
          jobs = (await client.getJobsStatus()).length;
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        const pages = simulator.requestCount('jobs.list') / 3;
        times.sort((a, b) => a - b);
        const started = process.hrtime.bigint();
        const status = await client.getSystemStatus();
        const systemMs = Number(process.hrtime.bigint() - started) / 1e6;
        console.log(
          `  page size ${String(pageSize).padStart(4)}: ${jobs} jobs in ${pages} pages, median ${fmt(times[1], 0)} ms (min ${fmt(times[0], 0)}, max ${fmt(times[2], 0)}); whole SystemStatus (${status.critical_jobs.length} critical) ${fmt(systemMs, 0)} ms`,
        );
      } finally {
        await client.close();
      }
    }
  } finally {
    await simulator.stop();
  }
}

async function main() {
  await statusPath();
  await bigPlan();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
