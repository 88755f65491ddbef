import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Database } from '../../src/database/database';
import { openDatabase } from '../../src/database/database.factory';
import { MIGRATIONS } from '../../src/database/migrations';
import { runMigrations } from '../../src/database/migrator';
import { createServerDatabase } from './server-database';
import { newDataDir } from './temp-data-dir';
import { testEnv } from './test-env';

export { createServerDatabase } from './server-database';

export interface OpenedDatabase {
  database: Database;
  dispose(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /** Whether the database offers pgvector (PGlite always does; the server when the extension is installed). */
  vector: boolean;
  open(options?: { migrate?: boolean }): Promise<OpenedDatabase>;
}

async function migrated(database: Database, migrate: boolean): Promise<Database> {
  if (migrate) await runMigrations(database, MIGRATIONS);
  return database;
}

const pglite: DatabaseTarget = {
  name: 'pglite',
  vector: true,
  async open({ migrate = true } = {}) {
    const dataDir = await newDataDir('resync-db-');
    const database = await migrated(await openDatabase({ dataDir, poolMax: 1 }), migrate);
    return {
      database,
      dispose: async () => {
        await database.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** A throw-away database on the server per call, dropped afterwards. */
function serverTarget(serverUrl: string): DatabaseTarget {
  return {
    name: 'postgres',
    vector: testEnv.RESYNC_TEST_SERVER_HAS_VECTOR === 'true',
    async open({ migrate = true } = {}) {
      const server = await createServerDatabase(serverUrl);
      const database = await migrated(await openDatabase({ url: server.url, poolMax: 5, dataDir: tmpdir() }), migrate);
      return {
        database,
        dispose: async () => {
          await database.close();
          await server.drop();
        },
      };
    },
  };
}

let reported = false;

/** PGlite always; the PostgreSQL server too when DATABASE_URL is set. */
export function databaseTargets(): DatabaseTarget[] {
  const serverUrl = testEnv.DATABASE_URL;
  if (!serverUrl && !reported) {
    reported = true;
    console.warn(
      'DATABASE_URL is not set: repository tests run on PGlite only (the PostgreSQL server variant is skipped).',
    );
  }
  return serverUrl ? [pglite, serverTarget(serverUrl)] : [pglite];
}
