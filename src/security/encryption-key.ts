import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

const KEY_BYTES = 32;
export const KEY_FILE = join('secrets', 'encryption.key');

/**
 * ENCRYPTION_KEY when set (required in production). Otherwise, in development, a key generated
 * once and kept in DATA_DIR/secrets/encryption.key (0600), so secrets sealed before a restart stay readable.
 */
export async function resolveEncryptionKey(config: AppConfig): Promise<Buffer> {
  if (config.auth.encryptionKey) return Buffer.from(config.auth.encryptionKey, 'base64');
  if (config.app.isProduction) throw new Error('ENCRYPTION_KEY is required in production');
  const path = join(config.app.dataDir, KEY_FILE);
  try {
    const stored = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (stored.length !== KEY_BYTES) throw new Error(`${path} does not hold a ${KEY_BYTES}-byte base64 key`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(KEY_BYTES);
  await mkdir(join(config.app.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  // 'wx': two instances starting together on one DATA_DIR must not overwrite each other's key.
  try {
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveEncryptionKey(config);
    throw error;
  }
  await chmod(path, 0o600);
  new Logger('Security').warn(`ENCRYPTION_KEY is not set: generated one in ${path}; set ENCRYPTION_KEY in production`);
  return key;
}
