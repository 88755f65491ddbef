import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { Caller } from '../src/auth/caller';
import { IWsAuthenticator } from '../src/auth/ws-authenticator.port';
import { DomainError } from '../src/common/errors/domain-error';
import { STATUS_BY_KIND } from '../src/common/errors/error-status';
import { type RunningApp, startApp } from './support/app-harness';

const TOKEN = 'internal-token-for-ws-0123456789';

/**
 * A bare WebSocket endpoint that authenticates upgrades with the app's own IWsAuthenticator,
 * the way a gateway does: the first frame names the caller; a refusal is the HTTP status.
 */
async function socketEndpoint(authenticator: IWsAuthenticator): Promise<{ url: string; server: Server }> {
  const sockets = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    authenticator.authenticateUpgrade(req).then(
      (caller) => sockets.handleUpgrade(req, socket, head, (ws) => ws.send(JSON.stringify(caller))),
      (error: unknown) => {
        const status = error instanceof DomainError ? STATUS_BY_KIND[error.kind] : 500;
        socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function connect(url: string, options: { headers?: Record<string, string>; origin?: string } = {}): Promise<Caller | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('message', (data) => {
      resolve(JSON.parse(data.toString()) as Caller);
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('WebSocket authentication (e2e)', () => {
  let running: RunningApp;
  let endpoint: { url: string; server: Server };

  beforeAll(async () => {
    running = await startApp({ INTERNAL_AUTH_TOKEN: TOKEN, A2A_API_KEYS: '{"ka_rootagent":"root-agent"}', CORS_ORIGINS: 'https://ops.example.com' });
    endpoint = await socketEndpoint(running.app.get<IWsAuthenticator>(IWsAuthenticator));
  });
  afterAll(async () => {
    endpoint.server.close();
    await running.close();
  });

  it('accepts the same credentials as HTTP, as headers', async () => {
    expect(await connect(`${endpoint.url}/ws/tws-general`, { headers: { 'X-API-Key': 'ka_rootagent' } })).toMatchObject({ id: 'root-agent', via: 'api-key' });
    expect(await connect(`${endpoint.url}/ws/tws-general`, { headers: { 'X-Internal-Token': TOKEN } })).toMatchObject({ id: 'slack-bridge' });
  });

  it('accepts a browser token query parameter (API key or internal token)', async () => {
    expect(await connect(`${endpoint.url}/ws/tws-general?token=ka_rootagent`, { origin: 'https://ops.example.com' })).toMatchObject({ id: 'root-agent' });
    expect(await connect(`${endpoint.url}/ws/tws-general?token=${TOKEN}`)).toMatchObject({ id: 'slack-bridge' });
  });

  it('refuses missing or wrong credentials with 401', async () => {
    expect(await connect(`${endpoint.url}/ws/tws-general`)).toBe(401);
    expect(await connect(`${endpoint.url}/ws/tws-general?token=nope`)).toBe(401);
    expect(await connect(`${endpoint.url}/ws/tws-general`, { headers: { 'X-API-Key': 'root-agent' } })).toBe(401);
  });

  it('refuses a browser Origin outside CORS_ORIGINS with 403, but allows the page’s own host', async () => {
    expect(await connect(`${endpoint.url}/ws/tws-general?token=ka_rootagent`, { origin: 'https://evil.example.com' })).toBe(403);
    expect(await connect(`${endpoint.url}/ws/tws-general?token=ka_rootagent`, { origin: 'null' })).toBe(403);
    const own = new URL(endpoint.url.replace('ws:', 'http:')).origin;
    expect(await connect(`${endpoint.url}/ws/tws-general?token=ka_rootagent`, { origin: own })).toMatchObject({ id: 'root-agent' });
  });
});
