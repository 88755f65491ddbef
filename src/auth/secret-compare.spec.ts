import { SecretSet, secretsEqual } from './secret-compare';

describe(secretsEqual.name, () => {
  it('is true only for the same secret, whatever the lengths offered', () => {
    const secret = 'internal-token-0123456789';
    expect(secretsEqual(secret, secret)).toBe(true);
    expect(secretsEqual(Buffer.from(secret), secret)).toBe(true);
    for (const offered of ['', 'i', secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), 'x'.repeat(10_000)]) {
      expect(secretsEqual(offered, secret)).toBe(false);
    }
  });
});

describe(SecretSet.name, () => {
  const sut = new SecretSet<string>([
    ['ka_rootagent', 'root-agent'],
    ['ka_analytics', 'analytics-agent'],
  ]);

  it('finds the value of the matching secret, comparing every entry', () => {
    expect(sut.find('ka_rootagent')).toBe('root-agent');
    expect(sut.find('ka_analytics')).toBe('analytics-agent');
  });

  it('finds nothing for a near miss, a prefix, the value itself or an empty string', () => {
    for (const offered of ['ka_rootagen', 'ka_rootagent ', 'root-agent', '', 'KA_ROOTAGENT'])
      expect(sut.find(offered)).toBeUndefined();
  });

  it('finds nothing in an empty set', () => {
    expect(new SecretSet<true>([]).find('anything')).toBeUndefined();
  });
});
