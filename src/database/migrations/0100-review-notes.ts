import type { Migration } from './migration';

/** Review notes submitted through POST /api/review, with who sent them and when. */
export const reviewNotesMigration: Migration = {
  id: '0100_review_notes',
  up: () => `
    CREATE TABLE IF NOT EXISTS review_notes (
      id uuid PRIMARY KEY,
      content text NOT NULL CHECK (char_length(content) <= 1000),
      caller_id text NOT NULL,
      caller_via text NOT NULL,
      slack_user_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS review_notes_created_at_idx ON review_notes (created_at DESC);
  `,
};
