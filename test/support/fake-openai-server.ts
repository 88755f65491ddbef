import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted completion. Without a script the server answers "ok". */
export interface FakeReply {
  /** Streamed content pieces. */
  text?: string[];
  toolCalls?: { name: string; arguments: string }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Answer with this HTTP status and an OpenAI-style error body instead. */
  status?: number;
  error?: string;
  /** Wait before each streamed chunk. */
  chunkDelayMs?: number;
  /** Send headers and the first chunk, then never finish. */
  hang?: boolean;
}

export interface FakeOpenAiServer {
  /** The base URL to give as LLM_BASE_URL (ends in /v1). */
  baseUrl: string;
  /** Bodies of the chat completion requests received, in order. */
  requests: Record<string, any>[];
  /** Replies for the next requests, consumed in order. */
  script(...replies: FakeReply[]): void;
  /**
   * Replies for requests naming `model` only, consumed in order. Once called for a model (even
   * with no replies), its requests never take the general script's replies.
   */
  scriptFor(model: string, ...replies: FakeReply[]): void;
  /** Requests whose client went away before the reply finished. */
  cancelled(): number;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible chat completions server (the subset Ollama, vLLM and LiteLLM serve): SSE
 * streaming with content and tool-call deltas, a final usage chunk, error bodies, and 404 for a
 * model it does not have.
 */
export async function startFakeOpenAi(options: { models?: string[] } = {}): Promise<FakeOpenAiServer> {
  const models = options.models ?? ['llama3:latest'];
  const requests: Record<string, any>[] = [];
  const queue: FakeReply[] = [];
  const queuesByModel = new Map<string, FakeReply[]>();
  const open = new Set<ServerResponse>();
  let cancelled = 0;

  const server: Server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/v1/models') {
      return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'fake' })) });
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return json(res, 404, { error: { message: `no route ${req.url}` } });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
    requests.push(body);
    if (!models.includes(body.model)) {
      return json(res, 404, {
        error: { message: `model "${body.model}" not found, try pulling it first`, type: 'api_error' },
      });
    }
    const reply = (queuesByModel.get(body.model) ?? queue).shift() ?? { text: ['ok'] };
    if (reply.status)
      return json(res, reply.status, { error: { message: reply.error ?? 'failure', type: 'server_error' } });

    open.add(res);
    res.on('close', () => {
      if (!res.writableFinished) cancelled++;
      open.delete(res);
    });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const id = `chatcmpl-${requests.length}`;
    const send = async (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      if (reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
      if (res.destroyed) return;
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`,
      );
    };
    await send({ role: 'assistant', content: '' });
    if (reply.hang) return;
    for (const piece of reply.text ?? []) await send({ content: piece });
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      // Split like real servers do: id and name first, the arguments in two pieces.
      const half = Math.floor(call.arguments.length / 2);
      await send({
        tool_calls: [
          {
            index,
            id: `call_${requests.length}_${index}`,
            type: 'function',
            function: { name: call.name, arguments: call.arguments.slice(0, half) },
          },
        ],
      });
      await send({ tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] });
    }
    if (res.destroyed) return;
    const finish = reply.toolCalls?.length ? 'tool_calls' : 'stop';
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`,
    );
    if (body.stream_options?.include_usage) {
      const usage = reply.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}\n\n`,
      );
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => queue.push(...replies),
    scriptFor: (model, ...replies) => {
      const own = queuesByModel.get(model) ?? [];
      own.push(...replies);
      queuesByModel.set(model, own);
    },
    cancelled: () => cancelled,
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
