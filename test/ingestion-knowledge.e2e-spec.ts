import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import request from 'supertest';
import { Database } from '../src/database/database';
import { type RunningApp, startApp } from './support/app-harness';
import { createServerDatabase } from './support/database-targets';
import { buildDocx, buildPdf, buildXlsx } from './support/documents';
import { newDataDir } from './support/temp-data-dir';
import { testEnv } from './support/test-env';

const OPEN = { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000', INGEST_POLL_INTERVAL_MS: '100' };

async function settledJob(app: RunningApp, id: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await request(app.url).get(`/api/rag/jobs/${id}`).expect(200);
    if (body.status === 'done' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const search = async (app: RunningApp, q: string) =>
  (await request(app.url).get('/api/knowledge/search').query({ q, limit: 10 }).expect(200)).body as {
    results: { content: string; provenance?: { sourceFile?: string } }[];
  };

describe('Uploaded documents reach the knowledge graph (e2e)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(OPEN);
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    [
      'pdf',
      'ops-runbook.pdf',
      async () => buildPdf(['Runbook', 'When JOBMAN shows zebraquartz, restart the fault-tolerant agent']),
    ],
    [
      'docx',
      'incident.docx',
      async () => buildDocx(['Incident report', 'The cause was a full filesystem: marmoset volume at 100%']),
    ],
    [
      'xlsx',
      'codes.xlsx',
      async () =>
        buildXlsx({
          Codes: [
            ['Code', 'Meaning'],
            ['RC77', 'quokkaflux credentials expired'],
          ],
        }),
    ],
  ])('indexes a %s upload so search finds it', async (_, name, build) => {
    const res = await request(app.url)
      .post('/api/rag/upload')
      .attach('file', await build(), name)
      .expect(202);
    const job = await settledJob(app, res.body.job_id);
    expect(job).toMatchObject({ status: 'done', error: null });
    expect(job.chunks).toBeGreaterThanOrEqual(1);
    const word = { 'ops-runbook.pdf': 'zebraquartz', 'incident.docx': 'marmoset', 'codes.xlsx': 'quokkaflux' }[
      name
    ] as string;
    const found = await search(app, word);
    expect(found.results.some((r) => r.content.includes(word))).toBe(true);
  });

  it('fails a document without text with a reason the operator can act on', async () => {
    const res = await request(app.url)
      .post('/api/rag/upload')
      .attach('file', buildPdf(['']), 'scanned.pdf')
      .expect(202);
    const job = await settledJob(app, res.body.job_id);
    expect(job).toMatchObject({ status: 'failed', error: expect.stringContaining('no text') });
  });

  it('counts uploads, jobs and chunks in /metrics', async () => {
    const { text } = await request(app.url).get('/metrics').expect(200);
    expect(text).toMatch(/ingest_uploads_total\{result="new"\} [1-9]/);
    expect(text).toMatch(/ingest_jobs_total\{outcome="done"\} [1-9]/);
    expect(text).toMatch(/ingest_jobs_total\{outcome="failed"\} [1-9]/);
    expect(text).toMatch(/ingest_chunks_total [1-9]/);
  });
});

/** Where the restarted instances keep their data: the same PGlite directory, or one throw-away server database. */
interface Store {
  name: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

async function pgliteStore(): Promise<Store> {
  const dataDir = await newDataDir('resync-ingest-restart-');
  return { name: 'PGlite', env: { DATA_DIR: dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}

async function serverStore(serverUrl: string): Promise<Store> {
  const server = await createServerDatabase(serverUrl);
  return { name: 'PostgreSQL server', env: { DATABASE_URL: server.url }, dispose: server.drop };
}

const stores: [string, () => Promise<Store>][] = [['PGlite', pgliteStore]];
if (testEnv.DATABASE_URL) stores.push(['PostgreSQL server', () => serverStore(testEnv.DATABASE_URL as string)]);
else console.warn('DATABASE_URL is not set: the restart test runs on PGlite only.');

describe.each(stores)('A job interrupted by a crash is finished after a restart, on %s (e2e)', (_, openStore) => {
  let store: Store;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    store = await openStore();
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await store?.dispose();
  });

  it('resumes the job once the dead worker’s lease has expired', async () => {
    // The first instance takes the upload; its worker "dies" mid-job: the row stays processing.
    const first = await startApp({ ...OPEN, ...store.env, INGEST_WORKER_CONCURRENCY: '0' });
    apps.push(first);
    const pdf = buildPdf(['Interrupted ingestion', 'The pangolinstep procedure survives a crash']);
    const res = await request(first.url).post('/api/rag/upload').attach('file', pdf, 'crash.pdf').expect(202);
    await sql`UPDATE ingest_jobs SET status = 'processing', attempts = 1, lease_owner = 'crashed-instance',
      lease_expires_at = now() - interval '1 second', started_at = now() WHERE id = ${res.body.job_id}`.execute(
      first.app.get(Database).db(),
    );
    expect((await request(first.url).get(`/api/rag/jobs/${res.body.job_id}`)).body.status).toBe('processing');
    await first.close();

    const second = await startApp({ ...OPEN, ...store.env });
    apps.push(second);
    const job = await settledJob(second, res.body.job_id);
    expect(job).toMatchObject({ status: 'done', attempts: 2, error: null });
    const found = await search(second, 'pangolinstep');
    expect(found.results.some((r) => r.content.includes('pangolinstep'))).toBe(true);
  });
});
