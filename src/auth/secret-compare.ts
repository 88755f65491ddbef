import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Per-process key: both sides are hashed to 32 bytes first, so neither the time nor a length check tells anything. */
const COMPARE_KEY = randomBytes(32);

const digest = (value: string | Buffer): Buffer => createHmac('sha256', COMPARE_KEY).update(value).digest();

/** Constant-time equality of a presented secret and the expected one, whatever their lengths. */
export function secretsEqual(offered: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(offered), digest(expected));
}
