import type { Migration } from './migration';

/**
 * Uploaded documents (bytes kept in the database, keyed by their SHA-256, so every instance can
 * read them) and one durable ingestion job per document, claimed by workers under a lease.
 */
export const ingestionMigration: Migration = {
  id: '0400_ingestion',
  up: () => `
    CREATE TABLE IF NOT EXISTS ingest_files (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      filename text NOT NULL,
      kind text NOT NULL,
      content_type text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea NOT NULL,
      uploaded_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS ingest_files_filename_idx ON ingest_files (filename, created_at DESC);

    CREATE TABLE IF NOT EXISTS ingest_jobs (
      id uuid PRIMARY KEY,
      file_sha256 text NOT NULL UNIQUE REFERENCES ingest_files (sha256) ON DELETE CASCADE,
      filename text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'processing', 'done', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      chunks integer,
      error text,
      lease_owner text,
      lease_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX IF NOT EXISTS ingest_jobs_claim_idx ON ingest_jobs (status, created_at);
  `,
};
