// Knowledge store at scale: insert N memories (default 100,000), then p50/p95 of search latency,
// text-only and hybrid (text + HNSW over 32-dimension vectors), on PGlite and — when DATABASE_URL is
// set — on the PostgreSQL server (text only where it lacks pgvector). Prints the insert rates too.
// Usage: npm run build && node bench/knowledge-search.js [N] ; DATABASE_URL=postgres://... adds the server.
const { mkdtempSync, rmSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { fmt } = require('./lib');

const DIST = join(__dirname, '..', 'dist');
const N = Number(process.argv[2] ?? 100_000);
const BATCH = 1_000;
const QUERIES = 200;
const DIMENSION = 32;

const { openDatabase } = require(join(DIST, 'database/database.factory'));
const { runMigrations } = require(join(DIST, 'database/migrator'));
const { MIGRATIONS } = require(join(DIST, 'database/migrations'));
const { loadConfig } = require(join(DIST, 'config/load-config'));
const { MemoryRepository, toVectorLiteral } = require(join(DIST, 'knowledge/memory-repository'));
const { MemoryEmbedder, EMBEDDING_SETTING_KEY } = require(join(DIST, 'knowledge/memory-embedder'));
const { PgKnowledgeGraph } = require(join(DIST, 'knowledge/pg-knowledge-graph'));
const { TermWeights } = require(join(DIST, 'knowledge/term-weights'));
const { sql } = require('kysely');

// A deterministic pseudo-random stream, so every run stores the same memories.
let seed = 42;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = (list) => list[Math.floor(rand() * list.length)];

const JOBS = Array.from(
  { length: 3000 },
  (_, i) => `${pick(['PAYROLL', 'ETL', 'BACKUP', 'INVOICE', 'REPORT', 'ORDERS', 'LEDGER', 'FEED'])}_${i}`,
);
const HOSTS = Array.from({ length: 400 }, (_, i) => `${pick(['FTA', 'CPU', 'DA', 'WIN'])}_${i}`);
const CODES = [
  'RC=12',
  'RC=8',
  'RC=4',
  'ORA-01017',
  'AWSBJW001E',
  'AWSITA104E',
  'OutOfMemoryError',
  'SIGKILL',
  'ENOSPC',
  'EACCES',
];
const VERBS = [
  'abended',
  'failed',
  'hung',
  'stayed in HOLD',
  'did not start',
  'ran twice',
  'was cancelled',
  'unlinked',
  'timed out',
  'waited',
];
const CAUSES = [
  'the input file was missing',
  'the database password expired',
  'the filesystem was full',
  'the heap was too small',
  'the firewall closed port 31111',
  'netman was stopped',
  'the certificate expired',
  'a predecessor never completed',
  'the resource had no free units',
  'the workstation limit was zero',
  'the UNTIL time was before AT',
  'the plan was not extended',
  'the mailbox was full',
  'the agent service stopped after patching',
  'the service account was locked',
  'the time zone was wrong',
];
const FIXES = [
  'reran the job after restoring the file',
  'reset the password with composer',
  'purged old stdlist logs',
  'raised the heap to 4g',
  'reopened the port and linked the workstation',
  'started netman and linked it',
  'imported the new CA certificate',
  'released the dependency by hand',
  'killed the hung job holding the resource',
  'restored the limit to 20',
  'fixed the UNTIL time in the definition',
  'reran JnextPlan',
  'restarted batchman and enlarged the mailbox',
  'restarted the agent',
  'unlocked the account',
  'set the stream time zone',
];
const memoryText = () => ({
  problem: `Job ${pick(JOBS)} on ${pick(HOSTS)} ${pick(VERBS)} with ${pick(CODES)}: ${pick(CAUSES)}`,
  solution: `We ${pick(FIXES)}, then checked ${pick(JOBS)} and ${pick(HOSTS)}.`,
});
const question = () =>
  `why ${pick(JOBS)} ${pick(VERBS)} with ${pick(CODES)} ${rand() < 0.5 ? `on ${pick(HOSTS)}` : ''} ${pick(CAUSES)}`;

/** The same bag-of-words vector as the test fake, computed in process: no HTTP in the figures. */
function embedding(text) {
  const vector = new Array(DIMENSION).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    vector[
      createHash('sha256')
        .update(word.replace(/(ing|ed|es|s)$/, ''))
        .digest()
        .readUInt32BE(0) % DIMENSION
    ] += 1;
  }
  if (!vector.some((v) => v !== 0)) vector[0] = 1;
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}
const embeddings = { model: 'bench-hash-32', embed: async (texts) => texts.map(embedding) };

const metrics = { saved() {}, searched() {}, failed() {} };
const noModules = {
  get() {
    throw new Error('none');
  },
};

function graph(database, env) {
  const config = loadConfig({ DATA_DIR: tmpdir(), ...env });
  const repository = new MemoryRepository(database);
  const embedder = new MemoryEmbedder(database, repository, metrics, env.EMBEDDING_MODEL ? embeddings : null);
  const kg = new PgKnowledgeGraph(config, repository, embedder, new TermWeights(repository), metrics, noModules);
  kg.onApplicationBootstrap();
  return kg;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
async function timeSearches(kg, count = QUERIES) {
  seed = 7;
  const times = [];
  let found = 0;
  for (let i = 0; i < count; i++) {
    const q = question();
    const t0 = process.hrtime.bigint();
    const hits = await kg.searchSimilarIssues(q, 5);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (hits.length > 0) found++;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), found };
}

async function bench(name, database) {
  await runMigrations(database, MIGRATIONS);
  const repository = new MemoryRepository(database);
  seed = 42;
  const t0 = Date.now();
  for (let start = 0; start < N; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const { problem, solution } = memoryText();
      const content = `Problem: ${problem}\nSolution: ${solution}`;
      rows.push({
        kind: 'conversation',
        content,
        contentHash: createHash('sha256').update(`${i}:${content}`).digest('hex'),
        scopeKey: '',
        userQuery: problem,
        agentResponse: solution,
        agentId: 'bench',
      });
    }
    await repository.insert(rows);
  }
  const bulkRate = N / ((Date.now() - t0) / 1000);
  // What autovacuum (server) or the store's own refresh (embedded) does after a bulk load.
  await repository.analyze();

  const text = graph(database, {});
  const singles = 500;
  const t1 = Date.now();
  for (let i = 0; i < singles; i++) {
    const { problem, solution } = memoryText();
    await text.addConversation(`${problem} #${i}`, solution, 'bench');
  }
  const singleRate = singles / ((Date.now() - t1) / 1000);

  await timeSearches(text, 50); // warm caches
  const textRun = await timeSearches(text);
  console.log(`${name}: ${N + singles} memories`);
  console.log(
    `  insert: ${fmt(bulkRate, 0)}/s in batches of ${BATCH}, ${fmt(singleRate, 0)}/s one addConversation at a time`,
  );
  console.log(
    `  text search:   p50 ${fmt(textRun.p50)} ms   p95 ${fmt(textRun.p95)} ms   (${textRun.found}/${QUERIES} queries with results)`,
  );

  if (!database.hasVector) {
    console.log('  hybrid search: n/a (no pgvector on this server: full-text only)');
    return;
  }
  // Vectors for every row, then the HNSW index built once (building it row by row is far slower).
  const t2 = Date.now();
  await sql
    .raw(`ALTER TABLE knowledge_memories ALTER COLUMN embedding TYPE vector(${DIMENSION})`)
    .execute(database.db());
  for (;;) {
    const rows = await repository.unembedded(BATCH);
    if (rows.length === 0) break;
    const values = rows.map((r) => sql`(${r.id}::uuid, ${toVectorLiteral(embedding(r.content))}::vector)`);
    await sql`UPDATE knowledge_memories m SET embedding = v.e FROM (VALUES ${sql.join(values)}) AS v(id, e) WHERE m.id = v.id`.execute(
      database.db(),
    );
  }
  const vectorsMs = Date.now() - t2;
  const t3 = Date.now();
  await sql`CREATE INDEX knowledge_memories_embedding_hnsw ON knowledge_memories USING hnsw (embedding vector_cosine_ops)`.execute(
    database.db(),
  );
  const indexMs = Date.now() - t3;
  await sql`INSERT INTO app_settings (key, value) VALUES (${EMBEDDING_SETTING_KEY}, ${JSON.stringify({ model: embeddings.model, dimension: DIMENSION })}::jsonb)`.execute(
    database.db(),
  );
  const hybrid = graph(database, { EMBEDDING_MODEL: embeddings.model, EMBEDDING_BASE_URL: 'http://127.0.0.1:9/v1' });
  await timeSearches(hybrid, 50);
  const hybridRun = await timeSearches(hybrid);
  console.log(`  vectors: ${fmt(vectorsMs / 1000)} s to store ${N + singles}, HNSW build ${fmt(indexMs / 1000)} s`);
  console.log(
    `  hybrid search: p50 ${fmt(hybridRun.p50)} ms   p95 ${fmt(hybridRun.p95)} ms   (${hybridRun.found}/${QUERIES} queries with results)`,
  );
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'resync-bench-kg-'));
  const pglite = await openDatabase({ dataDir, poolMax: 1 });
  try {
    await bench('PGlite', pglite);
  } finally {
    await pglite.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.log('PostgreSQL: skipped (set DATABASE_URL to include the server)');
    return;
  }
  const { Client } = require('pg');
  const name = `resync_bench_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const server = await openDatabase({ url: url.toString(), poolMax: 5, dataDir: tmpdir() });
  try {
    await bench('PostgreSQL server', server);
  } finally {
    await server.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
