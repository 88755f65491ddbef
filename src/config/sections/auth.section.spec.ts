import { ConfigValidationError } from '../config.errors';
import { loadConfig } from '../load-config';

const KEY = Buffer.alloc(32, 1).toString('base64');

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigValidationError).problems.map((p) => `${p.variable}: ${p.reason}`);
  }
  return [];
};

describe('auth configuration', () => {
  it('runs in open mode with the seed limits when nothing is set', () => {
    const sut = loadConfig({});
    expect(sut.auth).toMatchObject({ openMode: true, apiKeys: [], adminCallers: [], allowedSlackUsers: [] });
    expect(sut.rateLimit).toEqual({ ratePerSecond: 10, burst: 20, maxClients: 100_000 });
  });

  it('reads the seed form of A2A_API_KEYS as key → caller with read and write', () => {
    const sut = loadConfig({ A2A_API_KEYS: '{"ka_rootagent":"root-agent","ka_analytics":"analytics-agent"}' });
    expect(sut.auth.openMode).toBe(false);
    expect(sut.auth.apiKeys).toEqual([
      { key: 'ka_rootagent', caller: 'root-agent', roles: ['read', 'write'] },
      { key: 'ka_analytics', caller: 'analytics-agent', roles: ['read', 'write'] },
    ]);
  });

  it('reads the rich form with explicit roles', () => {
    const sut = loadConfig({ A2A_API_KEYS: '{"ka_admin_key":{"caller":"ops","roles":["read","admin"]}}' });
    expect(sut.auth.apiKeys).toEqual([{ key: 'ka_admin_key', caller: 'ops', roles: ['read', 'admin'] }]);
  });

  it.each([
    ['not JSON', '{ka_x: root}', 'must be a JSON object'],
    ['an array', '["ka_rootagent"]', 'must be a JSON object'],
    ['a short key', '{"k":"root-agent"}', 'at least 8 characters'],
    ['an unknown role', '{"ka_rootagent":{"caller":"r","roles":["root"]}}', 'roles must be'],
    ['a value that is no caller id', '{"ka_rootagent":42}', 'the value must be'],
  ])('refuses A2A_API_KEYS that is %s, without echoing it', (_, value, reason) => {
    const problems = problemsOf({ A2A_API_KEYS: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(reason);
    expect(problems[0]).not.toContain('ka_rootagent');
  });

  it('accepts rate limits up to 1e7 and refuses nonsense', () => {
    expect(loadConfig({ RATE_LIMIT_RPS: '10000000', RATE_LIMIT_BURST: '10000000' }).rateLimit).toMatchObject({
      ratePerSecond: 1e7,
      burst: 1e7,
    });
    expect(loadConfig({ RATE_LIMIT_RPS: '0.5' }).rateLimit.ratePerSecond).toBe(0.5);
    expect(
      problemsOf({ RATE_LIMIT_RPS: '0', RATE_LIMIT_BURST: 'lots', RATE_LIMIT_MAX_CLIENTS: '5' })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['RATE_LIMIT_BURST', 'RATE_LIMIT_MAX_CLIENTS', 'RATE_LIMIT_RPS']);
  });

  it('checks ENCRYPTION_KEY is 32 bytes of base64, without echoing it', () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).auth.encryptionKey).toBe(KEY);
    const problems = problemsOf({ ENCRYPTION_KEY: 'c2hvcnQta2V5' });
    expect(problems).toEqual([expect.stringContaining('ENCRYPTION_KEY: must be 32 random bytes')]);
    expect(problems[0]).not.toContain('c2hvcnQta2V5');
  });

  describe('in production', () => {
    const production = { APP_ENV: 'production', ENCRYPTION_KEY: KEY, TWS_SIMULATOR: 'true' };

    it('refuses open mode unless ALLOW_OPEN_MODE=true', () => {
      expect(problemsOf(production)).toEqual([expect.stringContaining('INTERNAL_AUTH_TOKEN: production needs')]);
      expect(loadConfig({ ...production, ALLOW_OPEN_MODE: 'true' }).auth.openMode).toBe(true);
    });

    it('requires ENCRYPTION_KEY', () => {
      expect(
        problemsOf({
          APP_ENV: 'production',
          INTERNAL_AUTH_TOKEN: 'a-long-enough-internal-token',
          TWS_SIMULATOR: 'true',
        }),
      ).toEqual(['ENCRYPTION_KEY: is required in production']);
    });

    it('requires an internal token of at least 16 characters', () => {
      expect(problemsOf({ ...production, INTERNAL_AUTH_TOKEN: 'short' })).toEqual([
        expect.stringContaining('at least 16 characters'),
      ]);
    });
  });
});
