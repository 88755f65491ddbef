// Upload and ingestion figures: upload throughput (MB/s) for many mid-size files and one file at
// UPLOAD_MAX_BYTES, the app's RSS during that max-size upload, parse + chunk throughput for a
// large PDF and a large text, and, when a knowledge graph indexes the jobs, end-to-end chunks/s.
// Usage: npm run build && node bench/ingest.js
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { startApp, fmt, rssOf } = require('./lib');

const ROOT = join(__dirname, '..');
const PORT = 18_400;
const MAX_BYTES = 20 * 1024 * 1024;
const MID_FILES = 20;
const MID_BYTES = 1024 * 1024;
const PDF_PAGES = 300;
const JOB_TIMEOUT_MS = 120_000;

/** A test support module, compiled on the fly so the bench and the tests build the same files and databases. */
function loadTestSupport(name) {
  const swc = require('@swc/core');
  const file = join(ROOT, 'test', 'support', `${name}.ts`);
  const { code } = swc.transformSync(readFileSync(file, 'utf8'), {
    filename: file,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(join(ROOT, 'test', 'support'));
  mod._compile(code, file);
  return mod.exports;
}

const WORDS = [
  'job',
  'stream',
  'abend',
  'restart',
  'workstation',
  'linked',
  'conman',
  'plan',
  'critical',
  'path',
  'agent',
  'jobman',
];
function prose(bytes, seed = 1) {
  const parts = [];
  let size = 0;
  let state = seed;
  while (size < bytes) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const sentence =
      Array.from({ length: 8 + (state % 10) }, (_, i) => WORDS[(state >> i) % WORDS.length]).join(' ') + '. ';
    parts.push(state % 7 === 0 ? `${sentence}\n\n` : sentence);
    size += sentence.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

async function upload(url, name, content) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await fetch(`${url}/api/rag/upload`, { method: 'POST', body: form });
  const body = await res.json();
  if (res.status !== 202 && res.status !== 200)
    throw new Error(`upload ${name}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function waitForJob(url, id) {
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  for (;;) {
    // A fresh connection each time: a kept-alive one may have been closed by the server meanwhile.
    const job = await (await fetch(`${url}/api/rag/jobs/${id}`, { headers: { connection: 'close' } })).json();
    if (job.status === 'done' || job.status === 'failed' || Date.now() > deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function uploadFigures(label, env, pdf) {
  const app = await startApp({
    port: PORT,
    startTimeoutMs: 120_000,
    env: { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000', UPLOAD_MAX_BYTES: String(MAX_BYTES), ...env },
  });
  const url = `http://127.0.0.1:${PORT}`;
  try {
    const bootRss = app.rssMb();
    const mids = Array.from({ length: MID_FILES }, (_, i) => prose(MID_BYTES, i + 1 + Date.now()));
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < mids.length; i++) await upload(url, `mid-${i}.txt`, mids[i]);
    const midSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const midReceipt = await upload(url, 'mid-extra.txt', prose(MID_BYTES, Date.now() + 1));

    const big = prose(MAX_BYTES, Date.now());
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(app.child.pid))), 10);
    t0 = process.hrtime.bigint();
    const bigReceipt = await upload(url, 'max-size.txt', big);
    const bigSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    const pdfReceipt = await upload(url, `large-${Date.now()}.pdf`, pdf);

    console.log(`Uploads, ${label}`);
    console.log(
      `  ${MID_FILES} × ${MID_BYTES / 1024 / 1024} MB text, one at a time: ${fmt((MID_FILES * MID_BYTES) / 1024 / 1024 / midSeconds)} MB/s`,
    );
    console.log(
      `  one ${MAX_BYTES / 1024 / 1024} MB text (UPLOAD_MAX_BYTES): ${fmt(bigSeconds, 2)} s, ${fmt(MAX_BYTES / 1024 / 1024 / bigSeconds)} MB/s`,
    );
    console.log(`  RSS after boot ${fmt(bootRss, 0)} MB, peak during the max-size upload ${fmt(peakRss, 0)} MB`);

    // End to end, when a knowledge graph indexes the chunks.
    for (const [name, receipt] of [
      ['1 MB text', midReceipt],
      ['max-size text', bigReceipt],
      ['large PDF', pdfReceipt],
    ]) {
      const job = await waitForJob(url, receipt.job_id);
      if (job.status === 'done') {
        const seconds = (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000;
        console.log(
          `  job ${name}: ${job.chunks} chunks indexed in ${fmt(seconds, 2)} s (${fmt(job.chunks / seconds, 0)} chunks/s)`,
        );
      } else {
        console.log(
          `  job ${name}: ${job.status}${job.error ? ` (${job.error})` : ' (no knowledge graph indexed it)'}`,
        );
      }
    }
  } finally {
    await app.stop();
  }
}

/** Parsing and chunking alone, in this process, with the built modules. */
async function parseFigures(pdf) {
  const { extractText } = require(join(ROOT, 'dist', 'ingestion', 'document-text.js'));
  const { ParseBudget } = require(join(ROOT, 'dist', 'ingestion', 'parse-limits.js'));
  const limits = {
    maxUnpackedBytes: 256 * 1024 * 1024,
    maxPages: 2000,
    maxChars: 100_000_000,
    maxRows: 100_000,
    maxCells: 1_000_000,
    maxChunks: 1_000_000,
  };
  const { chunkText } = require(join(ROOT, 'dist', 'ingestion', 'chunker.js'));
  console.log('Parse + chunk (CHUNK_SIZE 1000, CHUNK_OVERLAP 200)');
  for (const [name, kind, content] of [
    [`PDF, ${PDF_PAGES} pages (${fmt(pdf.length / 1024 / 1024)} MB)`, 'pdf', pdf],
    [`text, ${MAX_BYTES / 1024 / 1024} MB`, 'txt', prose(MAX_BYTES, 3)],
  ]) {
    const start = process.hrtime.bigint();
    const text = await extractText(kind, content, new ParseBudget(limits));
    const parsed = process.hrtime.bigint();
    let chunks = 0;
    for (const _ of chunkText(text, { size: 1000, overlap: 200 })) chunks++;
    const done = process.hrtime.bigint();
    const parseS = Number(parsed - start) / 1e9;
    const chunkS = Number(done - parsed) / 1e9;
    console.log(
      `  ${name}: parse ${fmt(parseS, 2)} s, ${chunks} chunks in ${fmt(chunkS, 2)} s (${fmt(chunks / (parseS + chunkS), 0)} chunks/s overall)`,
    );
  }
}

async function main() {
  const { buildPdf } = loadTestSupport('documents');
  const pdf = buildPdf(
    Array.from({ length: PDF_PAGES }, (_, p) =>
      prose(2400, p + 7)
        .toString()
        .replace(/\n/g, ' ')
        .match(/.{1,90}(\s|$)/g)
        .join('\n'),
    ),
  );
  await parseFigures(pdf);
  await uploadFigures('embedded PGlite', {}, pdf);
  if (process.env.DATABASE_URL) {
    const { createServerDatabase } = loadTestSupport('server-database');
    const server = await createServerDatabase(process.env.DATABASE_URL);
    try {
      await uploadFigures(
        'PostgreSQL server (a throw-away database on DATABASE_URL)',
        { DATABASE_URL: server.url },
        pdf,
      );
    } finally {
      await server.drop();
    }
  } else console.log('DATABASE_URL is not set: the PostgreSQL server figures are skipped.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
