import { ConfigValidationError } from '../config.errors';
import { loadConfig } from '../load-config';

const PRODUCTION = {
  APP_ENV: 'production',
  INTERNAL_AUTH_TOKEN: 'a-long-enough-internal-token',
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigValidationError).problems.map((p) => `${p.variable}: ${p.reason}`);
  }
  return [];
};

describe('TWS configuration', () => {
  it('serves the built-in simulator in development when TWS_HOST is unset, and says so', () => {
    expect(loadConfig({}).tws).toMatchObject({ host: undefined, source: 'simulator' });
  });

  it('reads a real master when TWS_HOST is set', () => {
    expect(loadConfig({ TWS_HOST: 'hwa.example.com' }).tws).toMatchObject({ host: 'hwa.example.com', source: 'hwa' });
  });

  it('refuses to start in production without TWS_HOST, in one line saying how to choose', () => {
    const problems = problemsOf(PRODUCTION);
    expect(problems).toEqual([expect.stringMatching(/^TWS_HOST: .*TWS_SIMULATOR=true/)]);
    expect(problems[0]).not.toContain('\n');
    let message = '';
    try {
      loadConfig(PRODUCTION);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').filter((line) => line.includes('TWS_HOST'))).toHaveLength(1);
  });

  it('serves the simulator in production only when asked for explicitly', () => {
    expect(loadConfig({ ...PRODUCTION, TWS_SIMULATOR: 'true' }).tws.source).toBe('simulator');
    expect(loadConfig({ ...PRODUCTION, TWS_HOST: 'hwa.example.com' }).tws.source).toBe('hwa');
  });

  it('refuses contradictions: a master and the simulator, or neither', () => {
    expect(problemsOf({ TWS_HOST: 'hwa.example.com', TWS_SIMULATOR: 'true' })).toEqual([
      expect.stringMatching(/^TWS_SIMULATOR: .*TWS_HOST/),
    ]);
    expect(problemsOf({ TWS_SIMULATOR: 'false' })).toEqual([expect.stringMatching(/^TWS_HOST: /)]);
    expect(problemsOf({ TWS_SIMULATOR: 'maybe' })).toEqual([expect.stringMatching(/^TWS_SIMULATOR: /)]);
  });

  it('caches /api/health/tws for a few seconds by default', () => {
    expect(loadConfig({}).tws.healthCacheSeconds).toBe(5);
    expect(loadConfig({ TWS_HEALTH_CACHE_SECONDS: '0' }).tws.healthCacheSeconds).toBe(0);
  });
});
