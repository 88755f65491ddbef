import type { Migration } from './migration';

/**
 * Operator commands run through POST /api/execute: who ran what against which plan object,
 * when, and what HWA answered. A row is written `pending` before the command reaches HWA and
 * settled once with the result.
 */
export const twsActionsMigration: Migration = {
  id: '0200_tws_actions',
  up: () => `
    CREATE TABLE IF NOT EXISTS tws_actions (
      id uuid PRIMARY KEY,
      caller_id text NOT NULL,
      caller_via text NOT NULL,
      command text NOT NULL,
      verb text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('job', 'stream')),
      target text NOT NULL,
      target_id text,
      outcome text NOT NULL CHECK (outcome IN ('pending', 'ok', 'error')),
      message text NOT NULL,
      error_code text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS tws_actions_created_at_idx ON tws_actions (created_at DESC, id);
  `,
};
