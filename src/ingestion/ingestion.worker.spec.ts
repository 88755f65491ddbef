import { createHash, randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { sql } from 'kysely';
import { buildDocx, buildPdf } from '../../test/support/documents';
import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import type { DocumentKind } from '../config/sections/ingestion.section';
import { Database } from '../database/database';
import type { IKnowledgeGraph, MemoryProvenance } from '../knowledge/knowledge-graph.port';
import { IKnowledgeGraph as KnowledgeGraphToken } from '../knowledge/knowledge-graph.port';
import { DocumentParser } from './document-parser';
import { contentTypeOf } from './document-type';
import { IngestionMetrics, ingestionMetricProviders } from './ingestion.metrics';
import { type IngestJob, IngestionRepository } from './ingestion.repository';
import { IngestionWorker } from './ingestion.worker';
import { eventually } from '../../test/support/eventually';

/** Records what it is asked to index; can be told to fail. */
class RecordingKnowledgeGraph implements Pick<IKnowledgeGraph, 'addDocumentChunks'> {
  readonly documents: { sourceFile: string; chunks: string[]; provenance?: MemoryProvenance }[] = [];
  failures = 0;
  delayMs = 0;

  async addDocumentChunks(sourceFile: string, chunks: string[], provenance?: MemoryProvenance): Promise<number> {
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('knowledge store unavailable');
    }
    this.documents.push({ sourceFile, chunks, provenance });
    return chunks.length;
  }
}

describe.each(databaseTargets())('IngestionWorker on $name', (target) => {
  let opened: OpenedDatabase;
  let repository: IngestionRepository;
  const running: TestingModule[] = [];

  beforeAll(async () => {
    opened = await target.open();
    repository = new IngestionRepository(opened.database);
  });

  afterAll(async () => {
    await opened?.dispose();
  });

  beforeEach(async () => {
    await sql`DELETE FROM ingest_files`.execute(opened.database.db());
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((module) => module.close()));
  });

  async function startWorker(
    knowledge: RecordingKnowledgeGraph,
    env: Record<string, string> = {},
  ): Promise<IngestionWorker> {
    const config = loadConfig({ INGEST_POLL_INTERVAL_MS: '50', CHUNK_SIZE: '200', CHUNK_OVERLAP: '40', ...env });
    const module = await Test.createTestingModule({
      providers: [
        ...ingestionMetricProviders,
        IngestionMetrics,
        IngestionRepository,
        DocumentParser,
        IngestionWorker,
        { provide: AppConfig, useValue: config },
        { provide: Database, useValue: opened.database },
        { provide: KnowledgeGraphToken, useValue: knowledge },
      ],
    }).compile();
    await module.init();
    running.push(module);
    return module.get(IngestionWorker);
  }

  async function queue(kind: DocumentKind, content: Buffer, filename = `${randomUUID()}.${kind}`): Promise<IngestJob> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const { job } = await repository.saveUpload({
      sha256,
      filename,
      kind,
      contentType: contentTypeOf(kind),
      content,
      uploadedBy: 'ops',
    });
    return job;
  }

  const settled = (id: string) =>
    eventually(async () => {
      const job = await repository.getJob(id);
      return job && (job.status === 'done' || job.status === 'failed') ? job : undefined;
    });

  it('parses, chunks and indexes a queued document', async () => {
    const knowledge = new RecordingKnowledgeGraph();
    const job = await queue(
      'pdf',
      buildPdf([`Restart procedure.\n${'The agent must be stopped first.\n'.repeat(30)}`]),
      'runbook.pdf',
    );
    await startWorker(knowledge);
    const done = await settled(job.id);
    expect(done).toMatchObject({ status: 'done', error: null, attempts: 1 });
    expect(done.chunks).toBeGreaterThan(3);
    expect(knowledge.documents).toHaveLength(1);
    expect(knowledge.documents[0]).toMatchObject({
      sourceFile: 'runbook.pdf',
      provenance: { sourceFile: 'runbook.pdf', callerId: 'ops' },
    });
    expect(knowledge.documents[0].chunks[0]).toContain('Restart procedure.');
    for (const chunk of knowledge.documents[0].chunks) expect(chunk.length).toBeLessThanOrEqual(200);
  });

  it('resumes a job left processing by a worker that died, once its lease has expired', async () => {
    const job = await queue('docx', buildDocx(['Left behind by a crashed instance']));
    const dead = await repository.claimNext('dead-instance', 60, 3);
    expect(dead?.id).toBe(job.id);
    const knowledge = new RecordingKnowledgeGraph();
    await startWorker(knowledge);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await repository.getJob(job.id))?.status).toBe('processing');
    expect(knowledge.documents).toHaveLength(0);

    await sql`UPDATE ingest_jobs SET lease_expires_at = now() - interval '1 second' WHERE id = ${job.id}`.execute(
      opened.database.db(),
    );
    const done = await settled(job.id);
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    expect(knowledge.documents[0].chunks.join(' ')).toContain('Left behind by a crashed instance');
  });

  it('fails a document without text with a clear reason and does not retry it', async () => {
    const job = await queue('txt', Buffer.from('   \n\n  '));
    await startWorker(new RecordingKnowledgeGraph());
    expect(await settled(job.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('no text'),
    });
  });

  it('retries when the knowledge store fails, and gives up after INGEST_MAX_ATTEMPTS', async () => {
    const flaky = new RecordingKnowledgeGraph();
    flaky.failures = 1;
    const recovers = await queue('txt', Buffer.from('recovers on the second attempt'));
    await startWorker(flaky, { INGEST_MAX_ATTEMPTS: '2' });
    expect(await settled(recovers.id)).toMatchObject({ status: 'done', attempts: 2 });

    flaky.failures = 5;
    const fails = await queue('txt', Buffer.from('never indexed'));
    expect(await settled(fails.id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: 'knowledge store unavailable',
    });
  });

  it('fails a job whose workers kept dying instead of retrying it forever', async () => {
    const job = await queue('txt', Buffer.from('poison'));
    for (let i = 0; i < 3; i++) {
      await repository.claimNext(`crashed-${i}`, 60, 3);
      await sql`UPDATE ingest_jobs SET lease_expires_at = now() - interval '1 second' WHERE id = ${job.id}`.execute(
        opened.database.db(),
      );
    }
    await startWorker(new RecordingKnowledgeGraph(), { INGEST_MAX_ATTEMPTS: '3' });
    expect(await settled(job.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: expect.stringContaining('Gave up after 3 attempts'),
    });
  });

  it('lets several workers share the queue without taking a job twice', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => queue('txt', Buffer.from(`document number ${i}`))),
    );
    const knowledge = new RecordingKnowledgeGraph();
    knowledge.delayMs = 20;
    const workers = await Promise.all([
      startWorker(knowledge, { INGEST_WORKER_CONCURRENCY: '3' }),
      startWorker(knowledge, { INGEST_WORKER_CONCURRENCY: '3' }),
    ]);
    for (const job of jobs) expect(await settled(job.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(knowledge.documents.map((d) => d.chunks[0]).sort()).toEqual(
      jobs.map((_, i) => `document number ${i}`).sort(),
    );
    expect(workers[0].owner).not.toBe(workers[1].owner);
  });

  it('returns the existing job for the same bytes and requeues it when it had failed', async () => {
    const content = Buffer.from('same bytes');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const first = await queue('txt', content, 'a.txt');
    const again = await repository.saveUpload({
      sha256,
      filename: 'b.txt',
      kind: 'txt',
      contentType: 'text/plain',
      content,
    });
    expect(again).toMatchObject({ duplicate: true, job: { id: first.id, filename: 'a.txt' } });

    await sql`UPDATE ingest_jobs SET status = 'failed', error = 'x', attempts = 3 WHERE id = ${first.id}`.execute(
      opened.database.db(),
    );
    const retried = await repository.saveUpload({
      sha256,
      filename: 'a.txt',
      kind: 'txt',
      contentType: 'text/plain',
      content,
    });
    expect(retried.job).toMatchObject({ id: first.id, status: 'queued', attempts: 0, error: null });
  });
});
