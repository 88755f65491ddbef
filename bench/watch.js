// The incident watch under a large plan, and how soon a failure reaches an operator's chat.
//  1. One watch pass over a 10,000-job plan with 100 failed jobs: its duration, the HWA requests it
//     made (by route) and the memory searches it ran, for 100 incidents opened and enriched.
//  2. Latency from a plan change (a running job killed in the simulator, no /api/execute) to the
//     `info` frame in an open chat, with WATCH_INTERVAL_SECONDS and TWS_CACHE_TTL_SECONDS at 1 s.
// The app runs as a child process against a simulator in this process, over loopback HTTP.
// Usage: npm run build && node bench/watch.js [latency samples]
const { join } = require('node:path');
const WsClient = require('ws');
const { startApp } = require('./lib');

const DIST = join(__dirname, '..', 'dist');
const { TwsSimulator } = require(join(DIST, 'tws-simulator/tws-simulator'));

const APP_PORT = 18_140;
const BIG_PLAN_JOBS = 10_000;
const FAILURES = 100;
const SAMPLES = Number(process.argv[2] ?? 10);
const CREDENTIALS = { user: 'benchuser', password: 'bench-pass' };
const CLOCK = Date.parse('2026-11-22T22:00:00Z');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function appEnv(simulator, extra) {
  return {
    TWS_HOST: '127.0.0.1',
    TWS_PORT: new URL(simulator.url).port,
    TWS_PROTOCOL: 'http',
    TWS_USER: CREDENTIALS.user,
    TWS_PASSWORD: CREDENTIALS.password,
    RATE_LIMIT_RPS: '100000',
    RATE_LIMIT_BURST: '100000',
    ...extra,
  };
}

async function metric(name, labels = '') {
  const text = await (await fetch(`http://127.0.0.1:${APP_PORT}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Ends the run of `job` in ABEND (or SUCC), as the plan would. */
function endRun(simulator, job, state, returnCode) {
  const run = simulator.plan.lastRun(job);
  run.state = state;
  run.startedAt ??= CLOCK;
  run.endedAt = CLOCK;
  run.returnCode = returnCode;
  run.failure =
    state === 'ABEND' ? { returnCode, lines: ['ORA-01017: invalid username/password; logon denied'] } : undefined;
  job.state = state;
}

async function onePass() {
  const simulator = await new TwsSimulator({
    seed: 42,
    jobs: BIG_PLAN_JOBS,
    clock: () => CLOCK,
    ...CREDENTIALS,
  }).start();
  // Exactly FAILURES failed jobs, each with a run (so a log), every workstation linked.
  const withRuns = simulator.plan.jobs.filter((j) => simulator.plan.lastRun(j));
  for (const job of withRuns) if (job.state === 'ABEND') endRun(simulator, job, 'SUCC', 0);
  for (const ws of simulator.plan.workstations) ws.linked = true;
  const step = Math.floor(withRuns.length / FAILURES);
  for (let i = 0; i < FAILURES; i++) endRun(simulator, withRuns[i * step], 'ABEND', 12);
  simulator.resetCounts();

  const app = await startApp({
    port: APP_PORT,
    env: appEnv(simulator, { WATCH_ENABLED: 'true', WATCH_INTERVAL_SECONDS: '3600', TWS_CACHE_TTL_SECONDS: '3600' }),
    startTimeoutMs: 180_000,
  });
  try {
    const deadline = Date.now() + 300_000;
    while ((await metric('resync_watch_passes_total', '{outcome="ok"}')) < 1 && Date.now() < deadline) await sleep(100);
    const seconds = await metric('resync_watch_pass_duration_seconds_sum');
    const opened = await metric('resync_incidents_opened_total', '{kind="job_abend"}');
    const searches = await metric('knowledge_agent_memory_searches_total');
    const routes = ['jobs.list', 'workstations.list', 'job.log', 'job.successors', 'job.predecessors'];
    const reads = Object.fromEntries(routes.map((r) => [r, simulator.requestCount(r)]));
    const total = simulator.requestCount();
    console.log(
      `one pass over ${BIG_PLAN_JOBS} jobs with ${FAILURES} failures (${simulator.plan.workstations.length} workstations):`,
    );
    console.log(`  pass ${seconds.toFixed(2)} s; ${opened} job_abend incidents opened; ${searches} memory searches`);
    console.log(`  HWA requests ${total}: ${JSON.stringify(reads)}; app RSS ${app.rssMb()} MB`);
  } finally {
    await app.stop();
    await simulator.stop();
  }
}

async function latency() {
  const simulator = await new TwsSimulator({ seed: 42, clock: () => CLOCK, ...CREDENTIALS }).start();
  const app = await startApp({
    port: APP_PORT,
    env: appEnv(simulator, { WATCH_ENABLED: 'true', WATCH_INTERVAL_SECONDS: '1', TWS_CACHE_TTL_SECONDS: '1' }),
    startTimeoutMs: 180_000,
  });
  const frames = [];
  const socket = new WsClient(`ws://127.0.0.1:${APP_PORT}/ws/tws-specialist`);
  socket.on('message', (data) => frames.push({ at: performance.now(), frame: JSON.parse(String(data)) }));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  try {
    await sleep(2_000); // the first pass opens what was already broken
    const samples = [];
    for (let i = 0; i < SAMPLES; i++) {
      const job = simulator.plan.jobs.find(
        (j) => j.state === 'EXEC' || (j.state === 'SUCC' && simulator.plan.lastRun(j)),
      );
      if (!job) break;
      const key = simulator.plan.key(job);
      const t0 = performance.now();
      if (job.state === 'EXEC') simulator.plan.killJob(job);
      else endRun(simulator, job, 'ABEND', 8);
      for (;;) {
        const seen = frames.find(
          (f) => f.at >= t0 && f.frame.incident?.object === key && f.frame.incident.kind === 'job_abend',
        );
        if (seen) {
          samples.push(seen.at - t0);
          break;
        }
        if (performance.now() - t0 > 10_000) throw new Error(`no frame for ${key} within 10 s`);
        await sleep(5);
      }
    }
    samples.sort((a, b) => a - b);
    console.log(`plan change → chat info frame (interval 1 s, cache TTL 1 s), ${samples.length} failures:`);
    console.log(
      `  median ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms, max ${samples.at(-1).toFixed(0)} ms`,
    );
  } finally {
    socket.close();
    await app.stop();
    await simulator.stop();
  }
}

(async () => {
  await onePass();
  await latency();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
