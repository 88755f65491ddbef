import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Database } from './database';
import { PgliteDialect } from './pglite-dialect';

export interface DatabaseOptions {
  /** A PostgreSQL server; when absent, embedded PGlite under `dataDir`. */
  url?: string;
  poolMax: number;
  dataDir: string;
}

const logger = new Logger('Database');

/**
 * Embedded PostgreSQL runs inside this process: small buffers keep idle memory low (the server's
 * 128 MB default would triple it), which suits the single-operator embedded mode.
 */
const PGLITE_SETTINGS = ['shared_buffers = 16MB', 'work_mem = 4MB', 'maintenance_work_mem = 64MB'];

async function openPglite(dataDir: string): Promise<Database> {
  // Loaded lazily: the WASM build is only paid for in embedded mode.
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const directory = resolve(join(dataDir, 'pglite'));
  await mkdir(directory, { recursive: true });
  const pglite = await PGlite.create({ dataDir: directory, extensions: { vector }, postgresqlconf: PGLITE_SETTINGS });
  await pglite.exec('CREATE EXTENSION IF NOT EXISTS vector');
  logger.log(`Embedded PostgreSQL (PGlite) at ${directory}, pgvector enabled`);
  return new Database(new Kysely({ dialect: new PgliteDialect(pglite) }), 'pglite', true);
}

async function enableVector(kysely: Kysely<unknown>): Promise<boolean> {
  const available = await sql<{ name: string }>`SELECT name FROM pg_available_extensions WHERE name = 'vector'`.execute(
    kysely,
  );
  if (available.rows.length === 0) {
    logger.warn('The PostgreSQL server has no pgvector extension: search falls back to full-text ranking only');
    return false;
  }
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(kysely);
    return true;
  } catch (error) {
    logger.warn(`pgvector is available but could not be enabled (${(error as Error).message}): full-text search only`);
    return false;
  }
}

async function openServer(url: string, poolMax: number): Promise<Database> {
  // Loaded lazily, like PGlite: embedded mode never pays for the driver it does not use.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 10_000 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (error) => logger.warn(`Idle database connection failed: ${error.message}`));
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`SELECT 1`.execute(kysely);
  } catch (error) {
    await kysely.destroy();
    throw new Error(`Cannot connect to the PostgreSQL server in DATABASE_URL: ${(error as Error).message}`);
  }
  const hasVector = await enableVector(kysely);
  logger.log(`PostgreSQL server connected (pool of ${poolMax})${hasVector ? ', pgvector enabled' : ''}`);
  return new Database(kysely, 'postgres', hasVector);
}

export function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openServer(options.url, options.poolMax) : openPglite(options.dataDir);
}
