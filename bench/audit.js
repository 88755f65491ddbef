// Audit figures: rule evaluation cost, flag submission, the review listing under load, and racing
// reviews. Boots the built app in this process (PGlite, or the server when DATABASE_URL is set).
// Usage: npm run build && node bench/audit.js [seconds]
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { load, fmt } = require('./lib');

const DIST = join(__dirname, '..', 'dist');
const DURATION_S = Number(process.argv[2] ?? 5);
const FLAGS = 2_000;
const RACES = 200;

const ANSWERS = [
  'Rerun the job after fixing the input file; the workstation is LINKED again.',
  'Run rm -rf /opt/tws/stdlist/* to free space.',
  'Connect with password: Hunter2!x and retry.',
  "I don't know what caused that ABEND.",
  'Check the job log with conman sj MASTER#PAYROLL.PAYROLL01; it failed with RC=12 after the input file was missing.',
];

function timeRules() {
  const { DEFAULT_RULES, evaluateRules } = require(join(DIST, 'audit', 'audit-rules.js'));
  const n = 20_000;
  let started = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    evaluateRules(
      { userQuery: 'How do I fix job PAYROLL01?', agentResponse: ANSWERS[i % ANSWERS.length] },
      DEFAULT_RULES,
      100_000,
    );
  const typicalUs = Number(process.hrtime.bigint() - started) / 1e3 / n;
  const hostile = `${'password='.repeat(5_000)}${'rm -'.repeat(5_000)}<${'a'.repeat(40_000)}`.slice(0, 100_000);
  started = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) evaluateRules({ userQuery: hostile, agentResponse: hostile }, DEFAULT_RULES, 100_000);
  const hostileMs = Number(process.hrtime.bigint() - started) / 1e6 / 20;
  console.log(
    `rules: ${fmt(typicalUs, 1)} µs per typical conversation; ${fmt(hostileMs, 1)} ms for 2 × 100k hostile characters`,
  );
}

async function main() {
  timeRules();
  const { createApp } = require(join(DIST, 'app.factory.js'));
  const { IAuditQueue } = require(join(DIST, 'audit', 'audit-queue.port.js'));
  const dataDir = mkdtempSync(join(tmpdir(), 'resync-bench-audit-'));
  const app = await createApp({
    env: {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      LOG_FORMAT: 'json',
      RATE_LIMIT_RPS: '1000000',
      RATE_LIMIT_BURST: '1000000',
      DATABASE_URL: process.env.DATABASE_URL,
    },
  });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const queue = app.get(IAuditQueue);
  const run = `${process.pid}_${Date.now()}`;

  let started = process.hrtime.bigint();
  for (let i = 0; i < FLAGS; i++) {
    await queue.submit({
      memoryId: `bench_${run}_${i}`,
      userQuery: `question ${i}`,
      agentResponse: ANSWERS[1 + (i % 3)],
      agentId: 'bench',
    });
  }
  const submitMs = Number(process.hrtime.bigint() - started) / 1e6 / FLAGS;
  console.log(
    `submit (rules + flag row + memory status): ${fmt(submitMs, 2)} ms per flagged conversation (${FLAGS} sequential)`,
  );

  for (const path of [
    '/api/audit/flags?limit=50',
    `/api/audit/flags?status=all&query=question%2019&limit=50`,
    '/api/audit/metrics',
  ]) {
    const result = await load({ url: base + path, duration: DURATION_S, connections: 20 });
    console.log(
      `GET ${path.padEnd(52)} ${fmt(result.requests.average, 0).padStart(6)} req/s   p50 ${fmt(result.latency.p50)} ms   p99 ${fmt(result.latency.p99)} ms   errors ${result.errors + result.non2xx}`,
    );
  }

  started = process.hrtime.bigint();
  let single = 0;
  for (let i = 0; i < RACES; i++) {
    const memoryId = `bench_${run}_${i}`;
    const responses = await Promise.all(
      ['approve', 'reject', 'approve', 'reject'].map((action) =>
        fetch(`${base}/api/audit/review`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ memory_id: memoryId, action }),
        }).then(async (res) => ({ status: res.status, body: await res.json() })),
      ),
    );
    if (responses.filter((r) => r.status === 200 && r.body.changed).length === 1) single++;
  }
  const raceMs = Number(process.hrtime.bigint() - started) / 1e6 / RACES;
  console.log(
    `racing reviews: ${single}/${RACES} flags decided exactly once under 4 concurrent opposite reviews; ${fmt(raceMs, 1)} ms per race`,
  );

  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
