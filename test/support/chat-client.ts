import { WebSocket } from 'ws';

export interface ChatFrameSeen {
  type: string;
  sender: string;
  message: string;
  is_final?: boolean;
}

/** A WebSocket chat client for tests: every frame is kept; waits are bounded. */
export class ChatClient {
  readonly frames: ChatFrameSeen[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString('utf8')) as ChatFrameSeen);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async open(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<ChatClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, { headers });
    const client = new ChatClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  /** Waits until a frame satisfies `predicate` (looking at frames from index `from`); returns it. */
  async waitFor(predicate: (frame: ChatFrameSeen) => boolean, from = 0, timeoutMs = 10_000): Promise<ChatFrameSeen> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`No matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Sends a message and returns the frames of its answer, up to and including the final one. */
  async ask(text: string): Promise<ChatFrameSeen[]> {
    const from = this.frames.length;
    this.send(text);
    const final = await this.waitFor((f) => f.is_final === true || f.type === 'error', from);
    return this.frames.slice(from, this.frames.indexOf(final) + 1);
  }

  close(): void {
    this.socket.close();
  }
}
