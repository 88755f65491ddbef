import { randomBytes } from 'node:crypto';
import { SecretBox, SecretUnreadableError } from './secret-box';

describe(SecretBox.name, () => {
  const sut = new SecretBox(randomBytes(32));

  it('opens what it sealed, with a fresh nonce every time', () => {
    const a = sut.seal('sensitive information');
    const b = sut.seal('sensitive information');
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v1\\.${sut.keyId}\\.[A-Za-z0-9_-]+$`));
    expect(sut.open(a)).toBe('sensitive information');
    expect(sut.open(sut.seal(''))).toBe('');
    expect(sut.open(sut.seal('ünïcødé 🔐'))).toBe('ünïcødé 🔐');
  });

  it('never shows the plaintext in the token', () => {
    expect(sut.seal('hunter2-password')).not.toContain('hunter2');
  });

  it('refuses a token altered anywhere', () => {
    const token = sut.seal('x'.repeat(40));
    const payload = Buffer.from(token.split('.')[2], 'base64url');
    for (const index of [0, 12, payload.length - 1]) {
      const altered = Buffer.from(payload);
      altered[index] ^= 1;
      expect(() => sut.open(`v1.${sut.keyId}.${altered.toString('base64url')}`)).toThrow(SecretUnreadableError);
    }
  });

  it('refuses tokens for another key, another version or of the wrong shape', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => sut.open(other.seal('x'))).toThrow('sealed with another key');
    expect(() => sut.open(sut.seal('x').replace(/^v1/, 'v2'))).toThrow('not a v1 token');
    expect(() => sut.open(`v1.${sut.keyId}.AAAA`)).toThrow('truncated');
    expect(() => sut.open('plain text')).toThrow(SecretUnreadableError);
  });

  it('binds the header: the same payload under a forged key id does not open', () => {
    const token = sut.seal('x');
    const forged = token.replace(sut.keyId, '00000000');
    expect(() => sut.open(forged)).toThrow(SecretUnreadableError);
  });

  it('insists on a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte');
  });
});
