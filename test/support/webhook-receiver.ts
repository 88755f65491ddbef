import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A local webhook receiver that answers 500 to the first `failFirst` tries of each delivery (by
 * `X-Resync-Delivery`, or by body for Slack), then 200; it keeps every request it accepted.
 */
export class WebhookReceiver {
  readonly accepted: ReceivedHook[] = [];
  refused = 0;
  private readonly tries = new Map<string, number>();
  private server?: Server;

  constructor(private readonly failFirst: number) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const key = String(req.headers['x-resync-delivery'] ?? body);
        const tries = (this.tries.get(key) ?? 0) + 1;
        this.tries.set(key, tries);
        if (tries <= this.failFirst) {
          this.refused++;
          res.writeHead(500).end('not yet');
          return;
        }
        this.accepted.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
