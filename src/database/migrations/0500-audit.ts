import type { Migration } from './migration';

/**
 * The human-review queue: one flag per memory, with what the auditor found and the decision.
 * The question and answer are copied so the queue reads the same whatever happens to the memory.
 */
export const auditMigration: Migration = {
  id: '0500_audit',
  up: () => `
    CREATE TABLE IF NOT EXISTS audit_flags (
      id uuid PRIMARY KEY,
      memory_id text NOT NULL UNIQUE,
      agent_id text NOT NULL DEFAULT '',
      user_query text NOT NULL DEFAULT '',
      agent_response text NOT NULL DEFAULT '',
      reason text NOT NULL,
      rules text[] NOT NULL DEFAULT '{}',
      confidence real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      reviewer text,
      reviewed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS audit_flags_status_created_idx ON audit_flags (status, created_at DESC, id);
  `,
};
