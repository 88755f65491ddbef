import type { Migration } from './migration';

/**
 * The incident watch. `active` is true while the watcher still sees the thing broken (an operator
 * may resolve it before that): one active incident per (kind, object), enforced here, so two
 * leaders racing at a failover still open it once. `incident_events` is the ordered feed (SSE
 * replays from it); `incident_deliveries` is the webhook outbox, one row per event and target.
 */
export const watchMigration: Migration = {
  id: '0600_watch',
  up: () => `
    CREATE TABLE IF NOT EXISTS incidents (
      id uuid PRIMARY KEY,
      kind text NOT NULL,
      object text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
      active boolean NOT NULL DEFAULT true,
      fingerprint text NOT NULL DEFAULT '',
      summary text NOT NULL,
      impact jsonb NOT NULL,
      log_tail text,
      memories jsonb NOT NULL DEFAULT '[]',
      next_step text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      opened_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      acknowledged_by text,
      acknowledged_at timestamptz,
      resolved_by text,
      resolved_at timestamptz,
      resolution_note text,
      resolution_memory_id text
    );
    CREATE UNIQUE INDEX IF NOT EXISTS incidents_one_active_idx ON incidents (kind, object) WHERE active;
    CREATE INDEX IF NOT EXISTS incidents_opened_idx ON incidents (opened_at DESC, id);
    CREATE INDEX IF NOT EXISTS incidents_status_idx ON incidents (status, opened_at DESC);
    CREATE INDEX IF NOT EXISTS incidents_noted_idx ON incidents (object, kind) WHERE resolution_memory_id IS NOT NULL;

    CREATE TABLE IF NOT EXISTS incident_events (
      seq bigserial PRIMARY KEY,
      incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN ('opened', 'updated', 'closed')),
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );

    CREATE TABLE IF NOT EXISTS incident_deliveries (
      id uuid PRIMARY KEY,
      event_seq bigint NOT NULL REFERENCES incident_events (seq) ON DELETE CASCADE,
      target text NOT NULL CHECK (target IN ('slack', 'webhook')),
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      locked_until timestamptz,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS incident_deliveries_due_idx ON incident_deliveries (next_attempt_at) WHERE status = 'pending';
  `,
};
