import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const TOKEN = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

export class SecretUnreadableError extends DomainError {
  constructor(reason: string) {
    super('SECRET_UNREADABLE', `Encrypted value cannot be read: ${reason}`, 'invalid');
  }
}

/**
 * Authenticated encryption for secrets the product stores: AES-256-GCM, a fresh random 96-bit
 * nonce per value, and a versioned token `v1.<key id>.<base64url(nonce | ciphertext | tag)>`.
 * The token's header is bound as associated data, so it cannot be swapped onto another payload.
 */
export class SecretBox {
  /** Names the key without revealing anything about it, so a token says which key it needs. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`SecretBox needs a ${KEY_BYTES}-byte key`);
    this.keyId = createHash('sha256').update('resync-secret-box-key-id:').update(key).digest('hex').slice(0, 8);
  }

  seal(plaintext: string): string {
    const header = `${VERSION}.${this.keyId}`;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(header));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${header}.${Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(token: string): string {
    const match = TOKEN.exec(token);
    if (!match) throw new SecretUnreadableError('not a v1 token');
    if (match[1] !== this.keyId) throw new SecretUnreadableError('sealed with another key');
    const payload = Buffer.from(match[2], 'base64url');
    if (payload.length < NONCE_BYTES + TAG_BYTES) throw new SecretUnreadableError('truncated');
    const decipher = createDecipheriv(ALGORITHM, this.key, payload.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(`${VERSION}.${match[1]}`));
    decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretUnreadableError('altered or corrupt');
    }
  }
}
