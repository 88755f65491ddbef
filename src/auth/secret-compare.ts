import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Per-process key: both sides are hashed to 32 bytes first, so neither the time nor a length check tells anything. */
const COMPARE_KEY = randomBytes(32);

const digest = (value: string | Buffer): Buffer => createHmac('sha256', COMPARE_KEY).update(value).digest();

/** Constant-time equality of a presented secret and the expected one, whatever their lengths. */
export function secretsEqual(offered: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(offered), digest(expected));
}

/**
 * A fixed set of secrets (configured API keys), digested once: a lookup hashes the offered value
 * once and compares it with every entry, so the time says nothing about which entry matched, if any.
 */
export class SecretSet<T> {
  private readonly entries: { digest: Buffer; value: T }[];

  constructor(entries: Iterable<[secret: string, value: T]>) {
    this.entries = [...entries].map(([secret, value]) => ({ digest: digest(secret), value }));
  }

  find(offered: string): T | undefined {
    const offeredDigest = digest(offered);
    let found: T | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(offeredDigest, entry.digest) && found === undefined) found = entry.value;
    }
    return found;
  }
}
