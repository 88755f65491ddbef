import { rm } from 'node:fs/promises';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { ConfigValidationError } from '../src/config/config.errors';
import { Database } from '../src/database/database';
import { ReviewNotesRepository } from '../src/security/review-notes.repository';
import { startApp } from './support/app-harness';
import { newDataDir } from './support/temp-data-dir';

describe('Boot and readiness (e2e)', () => {
  it('refuses to boot on bad configuration, naming each bad variable', async () => {
    const attempt = createApp({ env: { PORT: 'not-a-port', CORS_ORIGINS: 'not a url', LOG_LEVEL: 'chatty' } });
    await expect(attempt).rejects.toThrow(ConfigValidationError);
    await expect(createApp({ env: { PORT: 'not-a-port', CORS_ORIGINS: 'x', LOG_LEVEL: 'chatty' } })).rejects.toThrow(
      /PORT: .*\n.*LOG_LEVEL: .*\n.*CORS_ORIGINS: /s,
    );
  });

  it('refuses to boot when DATABASE_URL points nowhere', async () => {
    await expect(startApp({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(
      /Cannot connect to the PostgreSQL server/,
    );
  });

  it('answers 503 on readiness when the database stops answering, while liveness stays ok', async () => {
    const running = await startApp();
    try {
      await running.app.get(Database).close();
      const res = await request(running.url).get('/api/health/ready').expect(503);
      expect(res.body.error).toMatch(/database/);
      expect(res.body.statusCode).toBe(503);
      expect(res.body.details).toEqual([{ field: 'database', problems: [expect.any(String)] }]);
      await request(running.url).get('/health').expect(200);
    } finally {
      await running.close().catch(() => undefined);
    }
  });

  it('answers an in-flight request during shutdown (readiness saying so), then refuses new connections', async () => {
    const running = await startApp();
    const database = running.app.get(Database);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Hold the embedded database so the readiness request is still in flight when shutdown starts.
    const holder = database.transaction(async () => gate);
    const inFlight = request(running.url).get('/api/health/ready');
    const response = inFlight.then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const closing = running.close();
    setTimeout(release, 200);
    const res = await response;
    await holder;
    await closing;

    // The request was answered, not cut; readiness itself reports the drain so balancers move on.
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('Service unavailable: shutting down');
    // Shutting down is the reason: no dependency is named as down.
    expect(res.body.details).toBeUndefined();
    await expect(request(running.url).get('/health')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('finishes a write still in flight when shutdown starts, and keeps it after a restart', async () => {
    const dataDir = await newDataDir('resync-drain-');
    try {
      const first = await startApp({ DATA_DIR: dataDir });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const holder = first.app.get(Database).transaction(async () => gate);
      const write = request(first.url)
        .post('/api/review')
        .send({ content: 'written while draining' })
        .then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 100));

      const closing = first.close();
      setTimeout(release, 200);
      const res = await write;
      await holder;
      await closing;
      expect(res.status).toBe(201);

      const second = await startApp({ DATA_DIR: dataDir });
      try {
        expect(await second.app.get(ReviewNotesRepository).find(res.body.id)).toMatchObject({
          content: 'written while draining',
        });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('allows a configured CORS origin and no other', async () => {
    const running = await startApp({ CORS_ORIGINS: 'https://ops.example.com' });
    try {
      const ok = await request(running.url).get('/api/health/app').set('Origin', 'https://ops.example.com');
      expect(ok.headers['access-control-allow-origin']).toBe('https://ops.example.com');
      const other = await request(running.url).get('/api/health/app').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await running.close();
    }
  });

  it('keeps data across a restart on the same DATA_DIR', async () => {
    const first = await startApp();
    const dataDir = first.dataDir;
    await first.app
      .get(Database)
      .db<{ app_settings: { key: string; value: string } }>()
      .insertInto('app_settings')
      .values({ key: 'restart-check', value: JSON.stringify('kept') })
      .execute();
    await first.app.close();
    const second = await startApp({ DATA_DIR: dataDir });
    try {
      const row = await second.app
        .get(Database)
        .db<{ app_settings: { key: string; value: unknown } }>()
        .selectFrom('app_settings')
        .selectAll()
        .where('key', '=', 'restart-check')
        .executeTakeFirst();
      expect(row?.value).toBe('kept');
    } finally {
      await second.close();
    }
  });
});
