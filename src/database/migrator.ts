import { sql } from 'kysely';
import type { Database } from './database';
import type { Migration } from './migrations/migration';

/** Any stable 64-bit number: every instance that boots at once waits on the same lock. */
const MIGRATION_LOCK_KEY = 7_316_482_905_113;

interface MigrationsTable {
  schema_migrations: { id: string; applied_at: Date };
}

/**
 * Applies pending migrations at boot, each in its own transaction under an advisory lock, and
 * records it. Running it again, or from several instances at the same time, changes nothing.
 */
export async function runMigrations(database: Database, migrations: readonly Migration[]): Promise<string[]> {
  // Under the lock too: two instances creating the table at once collide in PostgreSQL's catalog.
  await database.transaction<MigrationsTable, void>(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(trx);
  });

  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    const ran = await database.transaction<MigrationsTable, boolean>(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      const done = await trx
        .selectFrom('schema_migrations')
        .select('id')
        .where('id', '=', migration.id)
        .executeTakeFirst();
      if (done) return false;
      await sql.raw(migration.up({ hasVector: database.hasVector })).execute(trx);
      await trx.insertInto('schema_migrations').values({ id: migration.id, applied_at: new Date() }).execute();
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}
