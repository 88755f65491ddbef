import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { ConfigValidationError } from './config.errors';
import { loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('boots on embedded defaults with an empty environment', () => {
    const sut = loadConfig({});

    expect(sut.app).toMatchObject({ env: 'development', port: 8000, serviceName: 'resync', dataDir: './data' });
    expect(sut.app.bodyLimitBytes).toBe(1024 * 1024);
    expect(sut.app.trustProxy).toBe(false);
    expect(sut.app.corsOrigins).toEqual([]);
    expect(sut.database.url).toBeUndefined();
    expect(sut.redis.url).toBeUndefined();
  });

  it('types and converts values', () => {
    const sut = loadConfig({
      APP_ENV: 'production',
      PORT: '9000',
      BODY_LIMIT: '512kb',
      CORS_ORIGINS: 'https://ops.example.com, http://localhost:3000',
      TRUSTED_PROXIES: 'loopback,10.0.0.0/8',
      DATABASE_URL: 'postgres://u@db:5432/resync',
      INTERNAL_AUTH_TOKEN: 'a-production-token-of-some-length',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      TWS_HOST: 'hwa.example.com',
    });

    expect(sut.app.isProduction).toBe(true);
    expect(sut.app.port).toBe(9000);
    expect(sut.app.bodyLimitBytes).toBe(512 * 1024);
    expect(sut.app.logFormat).toBe('json');
    expect(sut.app.corsOrigins).toEqual(['https://ops.example.com', 'http://localhost:3000']);
    expect(sut.app.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(sut.database.url).toBe('postgres://u@db:5432/resync');
  });

  it('reads a single number in TRUSTED_PROXIES as a hop count', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '2' }).app.trustProxy).toBe(2);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '  ' }).app.port).toBe(8000);
  });

  it('names every bad variable and why, without echoing values', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        APP_ENV: 'staging',
        DATABASE_URL: 'mysql://secret-password@db',
        BODY_LIMIT: 'huge',
      });

    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigValidationError).problems.map((p) => p.variable).sort();
      expect(problems).toEqual(['APP_ENV', 'BODY_LIMIT', 'DATABASE_URL', 'PORT']);
      expect((error as Error).message).toContain('PORT: must be an integer number');
      expect((error as Error).message).not.toContain('secret-password');
    }
  });

  it('returns a frozen configuration', () => {
    const sut = loadConfig({});
    expect(Object.isFrozen(sut.app)).toBe(true);
  });

  it('is the only reader of process.env in the application', () => {
    const srcDir = join(__dirname, '..');
    const readers = (readdirSync(srcDir, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.startsWith(`config${sep}`))
      .filter((file) => /process\.env\b/.test(readFileSync(join(srcDir, file), 'utf8')));
    expect(readers).toEqual([]);
    expect(readFileSync(join(__dirname, 'load-config.ts'), 'utf8')).toMatch(/process\.env/);
  });
});
