import { sql } from 'kysely';
import request from 'supertest';
import { Database } from '../src/database/database';
import { type RunningApp, startApp } from './support/app-harness';
import { createServerDatabase } from './support/database-targets';
import { buildPdf } from './support/documents';
import {
  billionLaughsDocx,
  billionPagesPdf,
  brokenXrefPdf,
  lyingDocx,
  lyingXlsx,
  manyRowsXlsx,
  oneLineText,
  paragraphsText,
} from './support/hostile-documents';
import { testEnv } from './support/test-env';

/** Lowered limits keep the hostile files small; the bench runs them at full size with the defaults. */
const LIMITS = {
  RATE_LIMIT_RPS: '100000',
  RATE_LIMIT_BURST: '100000',
  INGEST_POLL_INTERVAL_MS: '100',
  CHUNK_SIZE: '200',
  CHUNK_OVERLAP: '0',
  INGEST_MAX_UNPACKED_BYTES: '2mb',
  INGEST_MAX_ROWS: '5000',
  INGEST_MAX_CHARS: '1000000',
};
/** Generous for a loaded CI machine; the bench holds the real target (p99 < 100 ms). */
const HEALTH_BUDGET_MS = 1000;

interface Settled {
  job: Record<string, unknown>;
  healthMs: number[];
}

/** Polls the job until it ends, timing /api/health/app all the while. */
async function settle(app: RunningApp, id: string, timeoutMs = 60_000): Promise<Settled> {
  const healthMs: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const started = performance.now();
    await request(app.url).get('/api/health/app').expect(200);
    healthMs.push(performance.now() - started);
    const { body } = await request(app.url).get(`/api/rag/jobs/${id}`).expect(200);
    if (body.status === 'done' || body.status === 'failed') return { job: body, healthMs };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const upload = async (app: RunningApp, content: Buffer, name: string) =>
  (await request(app.url).post('/api/rag/upload').attach('file', content, name).expect(202)).body as {
    job_id: string;
  };

const storedChunks = async (app: RunningApp, sourceFile: string) => {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM knowledge_memories WHERE source_file = ${sourceFile}`.execute(app.app.get(Database).db());
  return Number(rows[0].n);
};

/** A document of INGEST_MAX_CHUNKS chunks is written whole (in batches: one INSERT would pass 65,535 parameters). */
async function ingestsMaxChunks(app: RunningApp): Promise<void> {
  const { job_id } = await upload(app, paragraphsText(5000), 'five-thousand.txt');
  const { job } = await settle(app, job_id, 120_000);
  expect(job).toMatchObject({ status: 'done', chunks: 5000, attempts: 1, error: null });
  expect(await storedChunks(app, 'five-thousand.txt')).toBe(5000);
}

describe('Hostile uploads cost a bounded amount and fail at the limit they cross (e2e)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(LIMITS);
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['many rows pointing at one shared string', () => manyRowsXlsx(20_000), 'rows.xlsx', 'INGEST_MAX_ROWS'],
    ['a DOCX whose zip headers lie', () => lyingDocx(64), 'lying.docx', 'INGEST_MAX_UNPACKED_BYTES'],
    ['an XLSX whose zip headers lie', () => lyingXlsx(64), 'lying.xlsx', 'INGEST_MAX_UNPACKED_BYTES'],
    ['a billion-laughs part', billionLaughsDocx, 'laughs.docx', 'DTD'],
    ['a PDF of a billion pages', billionPagesPdf, 'pages.pdf', 'INGEST_MAX_PAGES'],
    ['a PDF with a broken xref', brokenXrefPdf, 'broken.pdf', 'could not be read'],
    ['one 3 MB line of text', () => oneLineText(3 * 1024 * 1024), 'line.txt', 'INGEST_MAX_CHARS'],
  ])('fails %s once, naming why, while /api/health/app keeps answering', async (_, build, name, reason) => {
    const { job_id } = await upload(app, build(), name);
    const { job, healthMs } = await settle(app, job_id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining(reason) });
    expect(Math.max(...healthMs)).toBeLessThan(HEALTH_BUDGET_MS);
  });

  it('ingests a 300-page PDF whole', async () => {
    const pages = Array.from(
      { length: 300 },
      (_, i) =>
        `Page ${i + 1}: runbook step ${i + 1} for stream OPS${i}. ${'Check the stdlist, then restart. '.repeat(4)}`,
    );
    const { job_id } = await upload(app, buildPdf(pages), 'three-hundred.pdf');
    const { job } = await settle(app, job_id);
    expect(job).toMatchObject({ status: 'done', error: null });
    expect(job.chunks).toBeGreaterThanOrEqual(150);
    const { body } = await request(app.url).get('/api/knowledge/search').query({ q: 'OPS299', limit: 5 }).expect(200);
    expect(JSON.stringify(body)).toContain('Page 300: runbook step 300');
  });

  it('ingests a document of INGEST_MAX_CHUNKS chunks whole on PGlite', () => ingestsMaxChunks(app));
});

const describeOnServer = testEnv.DATABASE_URL ? describe : describe.skip;
if (!testEnv.DATABASE_URL) console.warn('DATABASE_URL is not set: the 5,000-chunk test runs on PGlite only.');

describeOnServer('A document of INGEST_MAX_CHUNKS chunks on the PostgreSQL server (e2e)', () => {
  let app: RunningApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const server = await createServerDatabase(testEnv.DATABASE_URL as string);
    drop = server.drop;
    app = await startApp({ ...LIMITS, DATABASE_URL: server.url });
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('is written whole', () => ingestsMaxChunks(app));
});
