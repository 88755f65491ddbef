import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Generated, type Selectable, sql } from 'kysely';
import type { DocumentKind } from '../config/sections/ingestion.section';
import { Database } from '../database/database';

export type JobStatus = 'queued' | 'processing' | 'done' | 'failed';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'processing', 'done', 'failed'];

interface IngestFilesTable {
  sha256: string;
  filename: string;
  kind: DocumentKind;
  content_type: string;
  size_bytes: number;
  content: Uint8Array;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

interface IngestJobsTable {
  id: string;
  file_sha256: string;
  filename: string;
  status: JobStatus;
  attempts: Generated<number>;
  chunks: number | null;
  error: string | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

interface Tables {
  ingest_files: IngestFilesTable;
  ingest_jobs: IngestJobsTable;
}

export interface IngestJob {
  id: string;
  sha256: string;
  filename: string;
  status: JobStatus;
  attempts: number;
  chunks: number | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StoredFileInfo {
  sha256: string;
  filename: string;
  kind: DocumentKind;
  contentType: string;
  sizeBytes: number;
  uploadedBy: string | null;
  createdAt: Date;
  jobId: string | null;
  jobStatus: JobStatus | null;
}

export interface StoredFile extends StoredFileInfo {
  content: Buffer;
}

export interface NewUpload {
  sha256: string;
  filename: string;
  kind: DocumentKind;
  contentType: string;
  content: Buffer;
  uploadedBy?: string;
}

export interface SaveResult {
  job: IngestJob;
  duplicate: boolean;
}

/** A job a worker holds, with what it needs to parse the document. */
export interface ClaimedJob extends IngestJob {
  kind: DocumentKind;
  uploadedBy: string | null;
}

type JobRow = Selectable<IngestJobsTable>;

/**
 * File bytes cross the driver as base64 text: PGlite encodes a binary parameter or result byte by
 * byte (about 15 s and 300 MB extra for 20 MB), base64 takes a fraction of that on both drivers.
 */
const contentAsBase64 = (column: string) => sql<string>`encode(${sql.ref(column)}, 'base64')`.as('content');

const toJob = (row: JobRow): IngestJob => ({
  id: row.id,
  sha256: row.file_sha256,
  filename: row.filename,
  status: row.status,
  attempts: row.attempts,
  chunks: row.chunks,
  error: row.error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

/**
 * Uploaded documents and their ingestion jobs in PostgreSQL. Jobs are claimed with
 * `FOR UPDATE SKIP LOCKED` under a lease, so any number of instances can work the queue and a job
 * whose worker died (lease expired) is picked up again.
 */
@Injectable()
export class IngestionRepository {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db<Tables>();
  }

  /** Stores the bytes and queues a job in one transaction; the same bytes again return the existing job. */
  saveUpload(upload: NewUpload): Promise<SaveResult> {
    return this.database.transaction<Tables, SaveResult>(async (trx) => {
      const inserted = await trx
        .insertInto('ingest_files')
        .values({
          sha256: upload.sha256,
          filename: upload.filename,
          kind: upload.kind,
          content_type: upload.contentType,
          size_bytes: upload.content.length,
          content: sql<Uint8Array>`decode(${upload.content.toString('base64')}, 'base64')`,
          uploaded_by: upload.uploadedBy ?? null,
        })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning('sha256')
        .executeTakeFirst();
      if (inserted) {
        const job = await trx
          .insertInto('ingest_jobs')
          .values({ id: randomUUID(), file_sha256: upload.sha256, filename: upload.filename, status: 'queued' })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { job: toJob(job), duplicate: false };
      }
      // Already stored: a failed job gets another chance, anything else is returned as it is.
      const existing = await trx
        .updateTable('ingest_jobs')
        .set({ status: 'queued', attempts: 0, error: null, finished_at: null, updated_at: sql`now()` })
        .where('file_sha256', '=', upload.sha256)
        .where('status', '=', 'failed')
        .returningAll()
        .executeTakeFirst();
      const job =
        existing ??
        (await trx
          .selectFrom('ingest_jobs')
          .selectAll()
          .where('file_sha256', '=', upload.sha256)
          .executeTakeFirstOrThrow());
      return { job: toJob(job), duplicate: true };
    });
  }

  async getJob(id: string): Promise<IngestJob | undefined> {
    const row = await this.db.selectFrom('ingest_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async listJobs(options: { limit: number; offset: number; status?: JobStatus }): Promise<IngestJob[]> {
    let query = this.db.selectFrom('ingest_jobs').selectAll();
    if (options.status) query = query.where('status', '=', options.status);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(options.limit)
      .offset(options.offset)
      .execute();
    return rows.map(toJob);
  }

  private fileInfoQuery() {
    return this.db
      .selectFrom('ingest_files as f')
      .leftJoin('ingest_jobs as j', 'j.file_sha256', 'f.sha256')
      .select([
        'f.sha256',
        'f.filename',
        'f.kind',
        'f.content_type',
        'f.size_bytes',
        'f.uploaded_by',
        'f.created_at',
        'j.id as job_id',
        'j.status as job_status',
      ]);
  }

  private static toInfo(row: {
    sha256: string;
    filename: string;
    kind: DocumentKind;
    content_type: string;
    size_bytes: number;
    uploaded_by: string | null;
    created_at: Date;
    job_id: string | null;
    job_status: JobStatus | null;
  }): StoredFileInfo {
    return {
      sha256: row.sha256,
      filename: row.filename,
      kind: row.kind,
      contentType: row.content_type,
      sizeBytes: Number(row.size_bytes),
      uploadedBy: row.uploaded_by,
      createdAt: row.created_at,
      jobId: row.job_id,
      jobStatus: row.job_status,
    };
  }

  async listFiles(options: { limit: number; offset: number }): Promise<StoredFileInfo[]> {
    const rows = await this.fileInfoQuery()
      .orderBy('f.created_at', 'desc')
      .orderBy('f.sha256')
      .limit(options.limit)
      .offset(options.offset)
      .execute();
    return rows.map(IngestionRepository.toInfo);
  }

  /** The newest upload stored under `filename`, bytes included. */
  async findFileByName(filename: string): Promise<StoredFile | undefined> {
    const row = await this.fileInfoQuery()
      .select(contentAsBase64('f.content'))
      .where('f.filename', '=', filename)
      .orderBy('f.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { ...IngestionRepository.toInfo(row), content: Buffer.from(row.content, 'base64') };
  }

  async fileContent(sha256: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('ingest_files')
      .select(contentAsBase64('content'))
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row && Buffer.from(row.content, 'base64');
  }

  /**
   * Takes the oldest queued job, or one whose worker's lease ran out, for `owner`. Skips rows
   * another instance is claiming at this moment, so concurrent workers never take the same job.
   */
  async claimNext(owner: string, leaseSeconds: number, maxAttempts: number): Promise<ClaimedJob | undefined> {
    const { rows } = await sql<JobRow & { kind: DocumentKind; uploaded_by: string | null }>`
      WITH next AS (
        SELECT id FROM ingest_jobs
        WHERE (status = 'queued' OR (status = 'processing' AND lease_expires_at < now()))
          AND attempts < ${maxAttempts}
        ORDER BY created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      UPDATE ingest_jobs AS j
      SET status = 'processing', lease_owner = ${owner},
          lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
          attempts = j.attempts + 1, started_at = now(), updated_at = now()
      FROM next, ingest_files AS f
      WHERE j.id = next.id AND f.sha256 = j.file_sha256
      RETURNING j.*, f.kind, f.uploaded_by`.execute(this.db);
    const row = rows[0];
    return row && { ...toJob(row), kind: row.kind, uploadedBy: row.uploaded_by };
  }

  /** Jobs whose workers kept dying (every attempt's lease expired) are failed instead of retried forever. */
  async failAbandoned(maxAttempts: number): Promise<number> {
    const result = await this.db
      .updateTable('ingest_jobs')
      .set({
        status: 'failed',
        error: `Gave up after ${maxAttempts} attempts: the worker stopped before finishing each time`,
        lease_owner: null,
        lease_expires_at: null,
        finished_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('status', '=', 'processing')
      .where('lease_expires_at', '<', sql<Date>`now()`)
      .where('attempts', '>=', maxAttempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** False when `owner` no longer holds the job (its lease expired and another worker took it). */
  async renewLease(id: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const result = await this.db
      .updateTable('ingest_jobs')
      .set({ lease_expires_at: sql`now() + make_interval(secs => ${leaseSeconds})`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends the job as done, failed or back in the queue; false when `owner` had lost it. */
  async finish(
    id: string,
    owner: string,
    outcome: { status: JobStatus; chunks?: number; error?: string },
  ): Promise<boolean> {
    const final = outcome.status === 'done' || outcome.status === 'failed';
    const result = await this.db
      .updateTable('ingest_jobs')
      .set({
        status: outcome.status,
        chunks: outcome.chunks ?? null,
        error: outcome.error ?? null,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: sql`now()`,
        finished_at: final ? sql`now()` : null,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
