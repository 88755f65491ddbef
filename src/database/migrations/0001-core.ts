import type { Migration } from './migration';

/** Tables the cross-cutting pieces share. Feature tables come in their own migrations. */
export const coreMigration: Migration = {
  id: '0001_core',
  up: () => `
    CREATE TABLE IF NOT EXISTS app_settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
