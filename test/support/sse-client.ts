import { request } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** A text/event-stream reader for tests: every event is kept; waits are bounded. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  private close?: () => void;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            client.parse(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        resolve(client);
      });
      req.on('error', reject);
      client.close = () => req.destroy();
      req.end();
    });
  }

  private parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    for (const line of block.split('\n')) {
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') event.data += event.data ? `\n${value}` : value;
    }
    this.events.push(event);
  }

  async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`No matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  stop(): void {
    this.close?.();
  }
}
