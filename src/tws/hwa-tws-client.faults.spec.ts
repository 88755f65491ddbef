import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { selfSignedCert, type SelfSignedCert } from '../../test/support/self-signed-cert';
import { TwsSimulator } from '../tws-simulator/tws-simulator';
import { type HwaClientOptions, HwaTwsClient, type TwsEndpoint } from './hwa-tws-client';
import { rejection } from '../../test/support/rejection';
import { TwsError } from './tws.errors';

const OPTIONS: HwaClientOptions = {
  timeoutMs: 1_000,
  retryAttempts: 3,
  retryBaseDelayMs: 5,
  circuitThreshold: 100,
  circuitResetMs: 60_000,
  pageSize: 100,
  maxPlanObjects: 1_000,
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A bare HTTP server answering whatever the test says, recording every request: HWA at its worst. */
class RawStub {
  readonly seen: Seen[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  reply: (req: Seen, res: ServerResponse) => void = (_req, res) => res.end('{}');

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const seen = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.seen.push(seen);
        this.reply(seen, res);
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const jsonReply = (status: number, body: unknown) => (_req: Seen, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const twsRejection = (promise: Promise<unknown>) => rejection(promise, TwsError);

describe(`${HwaTwsClient.name} against a misbehaving server`, () => {
  let stub: RawStub;
  let baseUrl: string;
  const clients: HwaTwsClient[] = [];
  const newClient = (over: Partial<HwaClientOptions> = {}, endpoint: Partial<TwsEndpoint> = {}) => {
    const client = new HwaTwsClient(
      { baseUrl, credentials: { user: 'u', password: 'p' }, verifyTls: true, ...endpoint },
      { ...OPTIONS, ...over },
    );
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    stub = new RawStub();
    baseUrl = await stub.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stub.stop();
  });

  it('sends Basic or Bearer credentials, and actions as PUT with a JSON body', async () => {
    stub.reply = jsonReply(200, { id: 'run-2', message: 'submitted' });
    await newClient().jobAction('J1', 'hold');
    await newClient({}, { credentials: { apiKey: 'jwt-key' } }).rerunJob('run-1');
    expect(stub.seen[0]).toMatchObject({ method: 'PUT', url: '/twsd/api/v2/plan/job/J1/action/hold', body: '{}' });
    expect(stub.seen[0].headers).toMatchObject({
      authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
      'content-type': 'application/json',
    });
    expect(stub.seen[1]).toMatchObject({ url: '/twsd/api/v2/plan/job/run/run-1/action/rerun' });
    expect(stub.seen[1].headers.authorization).toBe('Bearer jwt-key');
  });

  it('maps 403 to a permission problem, without retrying', async () => {
    stub.reply = jsonReply(403, { message: 'AWSJCS011E not authorized' });
    const error = await twsRejection(newClient().getJob('J1'));
    expect(error).toMatchObject({ code: 'TWS_FORBIDDEN', kind: 'upstream', upstreamStatus: 403 });
    expect(error.message).toContain('security file');
    expect(stub.seen).toHaveLength(1);
  });

  it('reports a body that is not JSON, or a list without results, as a bad response', async () => {
    stub.reply = (_req, res) => res.end('<html>Login page</html>');
    expect(await twsRejection(newClient().checkConnection())).toMatchObject({ code: 'TWS_BAD_RESPONSE' });
    stub.reply = jsonReply(200, { count: 3 });
    const error = await twsRejection(newClient().getWorkstationsStatus());
    expect(error).toMatchObject({ code: 'TWS_BAD_RESPONSE' });
    expect(error.message).toContain('without a results list');
    expect(stub.seen).toHaveLength(2);
  });

  it('retries a read on 502 with HWA message kept, but sends an action once on 503', async () => {
    stub.reply = jsonReply(502, { message: 'AWSJPL999E engine restarting' });
    const read = await twsRejection(newClient().getJob('J1'));
    expect(read).toMatchObject({ code: 'TWS_UPSTREAM', upstreamStatus: 502 });
    expect(read.message).toContain('engine restarting');
    expect(stub.seen).toHaveLength(3);

    stub.seen.length = 0;
    stub.reply = jsonReply(503, { message: 'busy' });
    expect(await twsRejection(newClient().jobAction('J1', 'kill'))).toMatchObject({ code: 'TWS_UPSTREAM' });
    expect(stub.seen).toHaveLength(1);
  });

  it('times out a server that never answers, each attempt within TWS_TIMEOUT_MS', async () => {
    stub.reply = () => undefined;
    const started = Date.now();
    const error = await twsRejection(newClient({ timeoutMs: 200, retryAttempts: 2 }).checkConnection());
    expect(error).toMatchObject({ code: 'TWS_TIMEOUT', kind: 'timeout' });
    expect(stub.seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a connection dropped mid-answer as unreachable, and retries it', async () => {
    stub.reply = (_req, res) => res.socket?.destroy();
    expect(await twsRejection(newClient().checkConnection())).toMatchObject({
      code: 'TWS_UNREACHABLE',
      kind: 'unavailable',
    });
    expect(stub.seen).toHaveLength(3);
  });

  it('stops paging a plan that never ends at TWS_MAX_PLAN_OBJECTS', async () => {
    stub.reply = (req, res) => {
      const offset = Number(new URL(req.url, baseUrl).searchParams.get('offset'));
      jsonReply(200, {
        results: Array.from({ length: 100 }, (_, i) => ({ id: `W${offset + i}`, name: `W${offset + i}` })),
        next: `${baseUrl}/more`,
      })(req, res);
    };
    const error = await twsRejection(newClient().getWorkstationsStatus());
    expect(error).toMatchObject({ code: 'TWS_BAD_RESPONSE' });
    expect(error.message).toContain('TWS_MAX_PLAN_OBJECTS');
    expect(stub.seen.length).toBe(11);
  });
});

describe(`${HwaTwsClient.name} over TLS`, () => {
  let cert: SelfSignedCert;
  let simulator: TwsSimulator;

  beforeAll(async () => {
    cert = selfSignedCert();
    simulator = await new TwsSimulator({ seed: 1, clock: () => 0, tls: { key: cert.key, cert: cert.cert } }).start();
  });
  afterAll(async () => {
    await simulator.stop();
    cert.dispose();
  });

  const read = async (endpoint: Partial<TwsEndpoint>) => {
    const client = new HwaTwsClient({ baseUrl: simulator.url, credentials: {}, verifyTls: true, ...endpoint }, OPTIONS);
    try {
      return await client.checkConnection();
    } finally {
      await client.close();
    }
  };

  it('refuses a self-signed certificate by default, saying how to trust it', async () => {
    simulator.resetCounts();
    const error = await twsRejection(read({}));
    expect(error).toMatchObject({ code: 'TWS_TLS', kind: 'unavailable' });
    expect(error.message).toMatch(/SELF_SIGNED|self-signed|DEPTH_ZERO/i);
    expect(error.message).toContain('TWS_CA_FILE');
    expect(simulator.requestCount()).toBe(0);
  });

  it('trusts the master certificate given as the CA, or none when verification is off', async () => {
    await expect(read({ ca: cert.cert })).resolves.toMatchObject({ version: expect.any(String) });
    await expect(read({ verifyTls: false })).resolves.toMatchObject({ version: expect.any(String) });
  });
});
