import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { RATE_LIMITED_MESSAGE } from '../src/auth/auth.errors';
import { IWsAuthenticator } from '../src/auth/ws-authenticator.port';
import { type RunningApp, startApp } from './support/app-harness';

const TOKEN = 'internal-token-for-ws-0123456789';
const AGENT_PATH = '/ws/tws-specialist';

type Outcome =
  | { status: 'open'; socket: WebSocket; firstFrame: { type: string; message: string } }
  | { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** Opens the app's real chat socket; resolves with the first frame, or with the HTTP refusal. */
function connect(
  baseUrl: string,
  path: string,
  options: { headers?: Record<string, string>; origin?: string } = {},
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, options);
    socket.once('message', (data) =>
      resolve({ status: 'open', socket, firstFrame: JSON.parse((data as Buffer).toString('utf8')) }),
    );
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    socket.once('error', reject);
  });
}

async function statusOf(outcome: Promise<Outcome>): Promise<'open' | number> {
  const result = await outcome;
  if (result.status === 'open') result.socket.close();
  return result.status;
}

describe('WebSocket authentication on /ws/{agent_id} (e2e)', () => {
  describe('with credentials configured', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({
        INTERNAL_AUTH_TOKEN: TOKEN,
        A2A_API_KEYS: '{"ka_rootagent":"root-agent"}',
        CORS_ORIGINS: 'https://ops.example.com',
        RATE_LIMIT_RPS: '100000',
        RATE_LIMIT_BURST: '100000',
      });
    });
    afterAll(() => running.close());

    it('accepts the same credentials as HTTP, sent as headers in any case', async () => {
      const opened = await connect(running.url, AGENT_PATH, { headers: { 'X-API-Key': 'ka_rootagent' } });
      expect(opened).toMatchObject({ status: 'open', firstFrame: { type: 'info' } });
      if (opened.status === 'open') opened.socket.close();
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'x-internal-token': TOKEN } }))).toBe('open');
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'X-INTERNAL-TOKEN': TOKEN } }))).toBe('open');
    });

    it('accepts a browser token query parameter: an API key or the internal token', async () => {
      expect(
        await statusOf(connect(running.url, `${AGENT_PATH}?token=ka_rootagent`, { origin: 'https://ops.example.com' })),
      ).toBe('open');
      expect(await statusOf(connect(running.url, `${AGENT_PATH}?token=${TOKEN}`))).toBe('open');
    });

    it('resolves the caller the credentials name', async () => {
      const authenticator = running.app.get<IWsAuthenticator>(IWsAuthenticator);
      const upgrade = (url: string, headers: Record<string, string> = {}) =>
        authenticator.authenticateUpgrade({ url, headers } as unknown as IncomingMessage);
      await expect(upgrade(`${AGENT_PATH}?token=ka_rootagent`)).resolves.toMatchObject({
        id: 'root-agent',
        via: 'api-key',
      });
      await expect(
        upgrade(AGENT_PATH, { 'x-internal-token': TOKEN, 'x-slack-user-id': 'U01USER123' }),
      ).resolves.toMatchObject({
        id: 'slack-bridge',
        slackUserId: 'U01USER123',
      });
    });

    it('refuses missing or wrong credentials with 401 and the error body, before any socket exists', async () => {
      for (const [path, headers] of [
        [AGENT_PATH, {}],
        [`${AGENT_PATH}?token=nope`, {}],
        [AGENT_PATH, { 'X-API-Key': 'root-agent' }],
        [AGENT_PATH, { 'X-Internal-Token': `${TOKEN}x` }],
      ] as [string, Record<string, string>][]) {
        const refused = await connect(running.url, path, { headers });
        expect(refused.status).toBe(401);
        if (refused.status !== 'open')
          expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 401, error: expect.any(String) });
      }
    });

    it('refuses a browser Origin outside CORS_ORIGINS with 403, but allows the page’s own host', async () => {
      expect(
        await statusOf(
          connect(running.url, `${AGENT_PATH}?token=ka_rootagent`, { origin: 'https://evil.example.com' }),
        ),
      ).toBe(403);
      expect(await statusOf(connect(running.url, `${AGENT_PATH}?token=ka_rootagent`, { origin: 'null' }))).toBe(403);
      expect(
        await statusOf(
          connect(running.url, `${AGENT_PATH}?token=ka_rootagent`, { origin: new URL(running.url).origin }),
        ),
      ).toBe('open');
    });

    it('never writes the query token to the log', () => {
      const text = JSON.stringify(running.logs());
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('token=ka_rootagent');
    });
  });

  describe('open mode', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000' });
    });
    afterAll(() => running.close());

    it('lets an anonymous client in, but still checks the browser Origin', async () => {
      expect(await statusOf(connect(running.url, AGENT_PATH))).toBe('open');
      expect(await statusOf(connect(running.url, AGENT_PATH, { origin: 'https://evil.example.com' }))).toBe(403);
    });

    it('refuses a credential that is present but wrong', async () => {
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'X-API-Key': 'ka_guessed_key' } }))).toBe(
        401,
      );
    });
  });

  describe('rate limit (burst 3, no refill while the test runs)', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '3' });
    });
    afterAll(() => running.close());

    it('counts opening a socket and each message against the client IP bucket, forged X-Forwarded-For or not', async () => {
      const first = await connect(running.url, AGENT_PATH);
      expect(first.status).toBe('open');
      if (first.status !== 'open') return;
      const frames: { type: string; message: string }[] = [];
      first.socket.on('message', (data) => frames.push(JSON.parse((data as Buffer).toString('utf8'))));
      // Token 2 and 3 go to two more sockets; the bucket is then empty.
      expect(await statusOf(connect(running.url, AGENT_PATH))).toBe('open');
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'X-Forwarded-For': '198.51.100.1' } }))).toBe(
        'open',
      );

      const refused = await connect(running.url, AGENT_PATH, { headers: { 'X-Forwarded-For': '198.51.100.2' } });
      expect(refused.status).toBe(429);
      if (refused.status === 'open') return;
      expect(JSON.parse(refused.body).error).toBe(RATE_LIMITED_MESSAGE);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

      first.socket.send('What is the status of the plan?');
      const deadline = Date.now() + 5000;
      while (!frames.some((f) => f.type === 'error') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(frames).toEqual([{ type: 'error', sender: 'system', message: RATE_LIMITED_MESSAGE }]);
      first.socket.close();
    });
  });

  describe('behind a trusted proxy (TRUSTED_PROXIES=loopback, burst 1)', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '1', TRUSTED_PROXIES: 'loopback' });
    });
    afterAll(() => running.close());

    it('gives each forwarded client its own bucket, as for HTTP', async () => {
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'X-Forwarded-For': '203.0.113.7' } }))).toBe(
        'open',
      );
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'X-Forwarded-For': '203.0.113.7' } }))).toBe(
        429,
      );
      expect(await statusOf(connect(running.url, AGENT_PATH, { headers: { 'X-Forwarded-For': '203.0.113.8' } }))).toBe(
        'open',
      );
    });
  });
});
