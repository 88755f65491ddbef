// Hostile uploads against the running app: for each file the bench builds (the same shapes as the
// tests, at full size), /api/health/app latency p50/p99 while the job is processed, the API
// process's RSS before / peak / after, and how the job ended; beside them the same figures for a
// 300-page PDF and a document of exactly INGEST_MAX_CHUNKS chunks, which must ingest whole.
// Targets: health p99 < 100 ms and RSS growth < 100 MB during any hostile upload.
// Usage: npm run build && node bench/hostile-uploads.js   (DATABASE_URL set: also on the server)
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { startApp, fmt } = require('./lib');

const ROOT = join(__dirname, '..');
const PORT = 18_460;
const MB = 1024 * 1024;
const JOB_TIMEOUT_MS = 300_000;
const RSS_SAMPLE_MS = 25;
const SETTLE_AFTER_MS = 2000;
const MAX_CHUNKS = 5000;
const HEALTH_P99_TARGET_MS = 100;
const RSS_GROWTH_TARGET_MB = 100;

/** Test support modules (and what they import), compiled on the fly so the bench and the tests build the same files. */
function loadTestSupport(name) {
  const swc = require('@swc/core');
  require.extensions['.ts'] ??= (mod, filename) =>
    mod._compile(
      swc.transformSync(readFileSync(filename, 'utf8'), {
        filename,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      }).code,
      filename,
    );
  return require(join(ROOT, 'test', 'support', `${name}.ts`));
}

const WORDS = ['job', 'stream', 'abend', 'restart', 'workstation', 'linked', 'conman', 'plan', 'critical', 'agent'];
function prose(chars, seed) {
  const parts = [];
  let size = 0;
  let state = seed;
  while (size < chars) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const sentence = `${Array.from({ length: 8 + (state % 10) }, (_, i) => WORDS[(state >> i) % WORDS.length]).join(' ')} ${state}. `;
    parts.push(state % 5 === 0 ? `${sentence}\n\n` : sentence);
    size += sentence.length;
  }
  return parts.join('');
}

/** Prose cut (with the built chunker and the default chunking) to yield exactly `target` chunks. */
function exactChunksText(target) {
  const { chunkText } = require(join(ROOT, 'dist', 'ingestion', 'chunker.js'));
  const count = (text) => {
    let n = 0;
    for (const _ of chunkText(text, { size: 1000, overlap: 200 })) n++;
    return n;
  };
  const full = prose(target * 1000, 11);
  let low = 0;
  let high = full.length;
  while (low < high) {
    const mid = Math.floor((low + high + 1) / 2);
    if (count(full.slice(0, mid)) <= target) low = mid;
    else high = mid - 1;
  }
  const text = full.slice(0, low);
  if (count(text) !== target) throw new Error(`could not cut a text of exactly ${target} chunks`);
  return Buffer.from(text);
}

const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function upload(url, name, content) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await fetch(`${url}/api/rag/upload`, { method: 'POST', body: form });
  return { status: res.status, body: await res.json() };
}

async function jobOf(url, id) {
  return (await fetch(`${url}/api/rag/jobs/${id}`)).json();
}

/** Uploads one file and watches the app until its job ends: health latency, RSS, outcome. */
async function measure(app, url, name, fileName, content) {
  const before = app.rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, app.rssMb())), RSS_SAMPLE_MS);
  const started = Date.now();
  const health = [];
  let outcome;
  try {
    const receipt = await upload(url, fileName, content);
    if (receipt.status !== 202 && receipt.status !== 200) {
      outcome = `${receipt.status} at upload: ${receipt.body.error}`;
    } else {
      let job = await jobOf(url, receipt.body.job_id);
      let lastPoll = Date.now();
      while (job.status === 'queued' || job.status === 'processing') {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/health/app`);
        await res.arrayBuffer();
        health.push(performance.now() - t0);
        if (Date.now() - lastPoll > 200) {
          job = await jobOf(url, receipt.body.job_id);
          lastPoll = Date.now();
        }
        if (Date.now() - started > JOB_TIMEOUT_MS) throw new Error(`${name}: job still ${job.status}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      outcome =
        job.status === 'done'
          ? `done, ${job.chunks} chunks, attempt ${job.attempts}`
          : `${job.status} (attempt ${job.attempts}): ${job.error}`;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_MS));
  const after = app.rssMb();
  return { name, size: content.length, seconds, health, before, peak, after, outcome };
}

function report(row, hostile) {
  const p50 = percentile(row.health, 50);
  const p99 = percentile(row.health, 99);
  const growth = row.peak - row.before;
  const verdict = hostile
    ? p99 < HEALTH_P99_TARGET_MS && growth < RSS_GROWTH_TARGET_MB
      ? 'within targets'
      : 'OVER TARGET'
    : '';
  console.log(
    `| ${row.name} | ${fmt(row.size / MB, 2)} MB | ${fmt(row.seconds, 1)} s | ${row.health.length} | ${fmt(p50, 1)} / ${fmt(p99, 1)} ms | ` +
      `${fmt(row.before, 0)} / ${fmt(row.peak, 0)} / ${fmt(row.after, 0)} MB (+${fmt(growth, 0)}) | ${row.outcome} | ${verdict} |`,
  );
}

async function run(label, env) {
  const hostile = loadTestSupport('hostile-documents');
  const { buildPdf, buildDocx } = loadTestSupport('documents');
  const app = await startApp({
    port: PORT,
    startTimeoutMs: 120_000,
    env: { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000', ...env },
  });
  const url = `http://127.0.0.1:${PORT}`;
  try {
    // Warm up: the first parse thread and the first job's code paths, so "before" is a steady state.
    await measure(app, url, 'warm-up', 'warm-up.docx', buildDocx(['warm up']));
    console.log(`\n${label} (default limits)\n`);
    console.log(
      '| file | size | until the job ended | health probes | health p50 / p99 | RSS before / peak / after | outcome | |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    const files = [
      ['XLSX, 500,000 rows → one shared string', 'rows.xlsx', () => hostile.manyRowsXlsx(500_000)],
      ['DOCX, zip headers lie (1.1 GB inflated)', 'lying.docx', () => hostile.lyingDocx(1100)],
      ['XLSX, zip headers lie (1.1 GB inflated)', 'lying.xlsx', () => hostile.lyingXlsx(1100)],
      ['DOCX, billion laughs', 'laughs.docx', () => hostile.billionLaughsDocx()],
      ['PDF, a billion pages', 'pages.pdf', () => hostile.billionPagesPdf()],
      ['PDF, broken xref', 'broken.pdf', () => hostile.brokenXrefPdf()],
      ['text, one 20 MB line', 'line.txt', () => hostile.oneLineText(20 * MB - 1024)],
    ];
    for (const [name, file, build] of files) report(await measure(app, url, name, file, build()), true);
    const pdf = buildPdf(
      Array.from({ length: 300 }, (_, p) =>
        prose(2400, p + 7)
          .replace(/\n/g, ' ')
          .match(/.{1,90}(\s|$)/g)
          .join('\n'),
      ),
    );
    report(await measure(app, url, 'PDF, 300 pages (legitimate)', 'three-hundred.pdf', pdf), false);
    const text = exactChunksText(MAX_CHUNKS);
    report(await measure(app, url, `text of ${MAX_CHUNKS} chunks (legitimate)`, 'five-thousand.txt', text), false);
  } finally {
    await app.stop();
  }
}

async function main() {
  await run('Embedded PGlite', {});
  if (process.env.DATABASE_URL) {
    const { createServerDatabase } = loadTestSupport('server-database');
    const server = await createServerDatabase(process.env.DATABASE_URL);
    try {
      await run('PostgreSQL server (a throw-away database on DATABASE_URL)', { DATABASE_URL: server.url });
    } finally {
      await server.drop();
    }
  } else console.log('DATABASE_URL is not set: the PostgreSQL server figures are skipped.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
