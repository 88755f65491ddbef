import request from 'supertest';
import { createApp } from '../src/app.factory';
import { ConfigValidationError } from '../src/config/config.errors';
import { type RunningApp, startApp } from './support/app-harness';

const INTERNAL_TOKEN = 'internal-token-for-e2e-0123456789';

/** What the configuration decides: open mode in production, the key map's direction, who may save memories. */
describe('Authentication policy from configuration (e2e)', () => {
  describe('open mode in production', () => {
    const production = {
      APP_ENV: 'production',
      ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      TWS_SIMULATOR: 'true',
    };

    it('refuses to boot, naming the variable to set', async () => {
      await expect(createApp({ env: { ...production, DATA_DIR: '/nonexistent' } })).rejects.toThrow(
        ConfigValidationError,
      );
      await expect(createApp({ env: { ...production, DATA_DIR: '/nonexistent' } })).rejects.toThrow(
        /INTERNAL_AUTH_TOKEN: production needs INTERNAL_AUTH_TOKEN or A2A_API_KEYS/,
      );
    });

    it('boots with ALLOW_OPEN_MODE=true, still warning loudly', async () => {
      const running = await startApp({ ...production, ALLOW_OPEN_MODE: 'true' });
      try {
        expect(
          await running.waitForLog((line) => line.level === 40 && String(line.msg).includes('OPEN MODE')),
        ).toBeDefined();
        expect(
          (await request(running.url).post('/api/review').send({ content: 'allowed on purpose' }).expect(201)).body
            .caller,
        ).toBe('unauthenticated');
      } finally {
        await running.close();
      }
    });
  });

  describe('A2A_API_KEYS written the wrong way round ({"<caller>": "<key>"})', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ A2A_API_KEYS: '{"root-agent":"ka_rootagent"}' });
    });
    afterAll(() => running.close());

    it('authenticates nobody who sends the real key, and the mistake is not open mode', async () => {
      expect(
        (await request(running.url).get('/api/protected').set('X-API-Key', 'ka_rootagent').expect(401)).body.error,
      ).toBe('Invalid API key');
      expect((await request(running.url).post('/api/review').send({ content: 'x' }).expect(401)).body.error).toBe(
        'Authentication required',
      );
    });
  });

  describe('ADMIN_CALLERS and ALLOWED_SLACK_USERS', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({
        INTERNAL_AUTH_TOKEN: INTERNAL_TOKEN,
        A2A_API_KEYS: JSON.stringify({ ka_rootagent: 'root-agent', ka_analytics: 'analytics-agent' }),
        ADMIN_CALLERS: 'root-agent',
        ALLOWED_SLACK_USERS: 'U01ALLOWED',
      });
    });
    afterAll(() => running.close());

    it('makes listed callers administrators and reports who may save memories', async () => {
      const res = await request(running.url).get('/api/admin/users').set('X-API-Key', 'ka_rootagent').expect(200);
      const byId = Object.fromEntries(res.body.users.map((u: { id: string }) => [u.id, u]));
      expect(byId['root-agent']).toMatchObject({ roles: ['read', 'write', 'admin'], can_save_memories: true });
      expect(byId['analytics-agent']).toMatchObject({ roles: ['read', 'write'], can_save_memories: false });
      await request(running.url).get('/api/admin/users').set('X-API-Key', 'ka_analytics').expect(403);
    });

    it('lets only those save memories: listed callers, and listed Slack users vouched for by the bridge', async () => {
      const thread = (ts: string) => ({
        thread_ts: ts,
        channel_id: 'C01OPS',
        messages: [
          { user: 'U01ALLOWED', text: 'PAYROLL abended with rc=12 on the night run', ts, type: 'message' },
          { user: 'U02OTHER', text: 'Fixed by rerunning after the file arrived', ts: `${ts}1`, type: 'message' },
        ],
      });
      const ingest = (headers: Record<string, string>, ts: string) =>
        request(running.url).post('/api/ingest-thread').set(headers).send(thread(ts));
      await ingest({ 'X-API-Key': 'ka_rootagent' }, '1700000001.000001').expect(200);
      await ingest({ 'X-Internal-Token': INTERNAL_TOKEN, 'X-Slack-User-Id': 'U01ALLOWED' }, '1700000002.000001').expect(
        200,
      );
      const refused = [
        await ingest({ 'X-Internal-Token': INTERNAL_TOKEN, 'X-Slack-User-Id': 'U09NOTLISTED' }, '1700000003.000001'),
        await ingest({ 'X-Internal-Token': INTERNAL_TOKEN }, '1700000004.000001'),
        // Only the bridge may name the end user: an API key caller claiming an allowed user is not it.
        await ingest({ 'X-API-Key': 'ka_analytics', 'X-Slack-User-Id': 'U01ALLOWED' }, '1700000005.000001'),
      ];
      expect(refused.map((res) => res.status)).toEqual([403, 403, 403]);
    });
  });
});
