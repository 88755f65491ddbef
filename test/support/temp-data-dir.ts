import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from './test-env';

/**
 * A fresh DATA_DIR for one test app or database. Its embedded PostgreSQL directory is copied from
 * the template made once by the global setup, which saves an initdb per boot.
 */
export async function newDataDir(prefix = 'resync-test-'): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const template = testEnv.RESYNC_TEST_PGLITE_TEMPLATE;
  if (template) await cp(template, join(dataDir, 'pglite'), { recursive: true });
  return dataDir;
}
