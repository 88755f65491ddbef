// Runs once before the suite: initialises one empty embedded PostgreSQL data directory that tests
// copy (initdb costs seconds; a copy costs milliseconds). Migrations still run on every copy.
const { existsSync, mkdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const template = join(tmpdir(), `resync-pglite-template-${process.pid}`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    rmSync(template, { recursive: true, force: true });
    mkdirSync(template, { recursive: true });
    const db = await PGlite.create({ dataDir: template, extensions: { vector } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    await db.close();
  }
  process.env.RESYNC_TEST_PGLITE_TEMPLATE = template;
  process.env.RESYNC_TEST_SERVER_HAS_VECTOR = String(await serverHasVector(process.env.DATABASE_URL));
};

/** Whether the PostgreSQL server offers pgvector: the vector tests run there only when it does. */
async function serverHasVector(url) {
  if (!url) return false;
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const result = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    return result.rowCount > 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
