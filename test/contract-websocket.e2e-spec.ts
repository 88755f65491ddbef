import Ajv, { type ValidateFunction } from 'ajv';
import { WebSocket } from 'ws';
import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile } from './support/agents-file';
import { ChatClient, type ChatFrameSeen } from './support/chat-client';
import { type FakeOpenAiServer, startFakeOpenAi } from './support/fake-openai-server';

/**
 * The AsyncAPI document served beside the OpenAPI one describes `/ws/{agent_id}`; every frame the
 * gateway really sends, and each way it refuses or closes, must be one it describes.
 */
const API_KEY = 'ka_websocket_contract';
const WS_MAX_BYTES = 4096;

interface AsyncApiDoc {
  asyncapi: string;
  channels: Record<string, { address: string; 'x-close-codes': Record<string, string>; description: string }>;
  operations: Record<string, { action: string; messages: { $ref: string }[] }>;
  components: { schemas: Record<string, unknown>; messages: Record<string, { payload: { $ref: string } }> };
}

describe('AsyncAPI contract: /api/docs/asyncapi.json against the chat gateway (e2e)', () => {
  let llm: FakeOpenAiServer;
  let running: RunningApp;
  let doc: AsyncApiDoc;
  let serverFrame: ValidateFunction;
  const byName = new Map<string, ValidateFunction>();
  const clients: ChatClient[] = [];

  const open = async (path = '/ws/tws-specialist') => {
    const client = await ChatClient.open(running.url, path, { 'X-API-Key': API_KEY });
    clients.push(client);
    return client;
  };
  /** The frames that break the document, with why. */
  const undescribed = (frames: ChatFrameSeen[]) =>
    frames.filter((f) => !serverFrame(f)).map((f) => `${JSON.stringify(f)}: ${JSON.stringify(serverFrame.errors)}`);
  /** Which of the document's server messages a frame is. */
  const kindOf = (frame: ChatFrameSeen) => [...byName].filter(([, validate]) => validate(frame)).map(([name]) => name);

  beforeAll(async () => {
    llm = await startFakeOpenAi();
    const agents = await agentsFile();
    running = await startApp({
      LLM_BASE_URL: llm.baseUrl,
      LLM_MAX_RETRIES: '0',
      AGENTS_CONFIG_PATH: agents.path,
      A2A_API_KEYS: JSON.stringify({ [API_KEY]: 'ws-contract' }),
      WS_MAX_MESSAGE_BYTES: String(WS_MAX_BYTES),
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
    const res = await fetch(`${running.url}/api/docs/asyncapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    doc = (await res.json()) as AsyncApiDoc;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(doc, 'asyncapi.json');
    serverFrame = ajv.compile({ $ref: 'asyncapi.json#/components/schemas/ServerFrame' });
    const sent = doc.operations.sendFrames;
    for (const { $ref } of sent.messages) {
      const name = $ref.split('/').pop()!;
      byName.set(name, ajv.compile({ $ref: `asyncapi.json${doc.components.messages[name].payload.$ref}` }));
    }
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await running?.close();
    await llm?.close();
  });

  it('is an AsyncAPI 3 document for /ws/{agent_id}, the application receiving questions and sending frames', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.channels.chat.address).toBe('/ws/{agent_id}');
    expect(doc.operations.receiveQuestion.action).toBe('receive');
    expect(doc.operations.sendFrames.action).toBe('send');
    expect([...byName.keys()].sort()).toEqual(['error', 'final', 'info', 'stream', 'userEcho']);
  });

  it('describes every frame of a conversation: info, the echo, the streamed pieces and the final answer', async () => {
    llm.script({ text: ['All workstations ', 'are LINKED.'] }, { text: ['Two jobs ', 'ABENDed.'] });
    const chat = await open();
    await chat.waitFor((f) => f.type === 'info');
    const plain = await chat.ask("What's the status of the TWS system?");
    const json = await chat.ask(JSON.stringify({ message: 'Which jobs failed?' }));
    const frames = chat.frames;
    expect(undescribed(frames)).toEqual([]);
    expect(kindOf(frames[0])).toEqual(['info']);
    for (const turn of [plain, json]) {
      expect(kindOf(turn[0])).toEqual(['userEcho']);
      expect(turn.slice(1, -1).map(kindOf)).toEqual(turn.slice(1, -1).map(() => ['stream']));
      expect(turn.length).toBeGreaterThan(2);
      expect(kindOf(turn.at(-1)!)).toEqual(['final']);
    }
  });

  it('describes the error frames a refused question gets, the connection staying open', async () => {
    const chat = await open();
    await chat.waitFor((f) => f.type === 'info');
    for (const text of ['   ', '{"question": "no message key"}', '<script>alert(1)</script>']) {
      const [answer] = await chat.ask(text);
      expect(kindOf(answer)).toEqual(['error']);
    }
    expect(undescribed(chat.frames)).toEqual([]);
    expect(chat.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with the documented codes: an unknown agent after an error frame, an oversized frame', async () => {
    const unknown = await open('/ws/no-such-agent');
    const closedUnknown = await unknown.closed;
    expect(undescribed(unknown.frames)).toEqual([]);
    expect(unknown.frames.map(kindOf)).toEqual([['error']]);
    expect(doc.channels.chat['x-close-codes']).toHaveProperty(String(closedUnknown.code));
    expect(closedUnknown.code).toBe(1008);

    const chat = await open();
    await chat.waitFor((f) => f.type === 'info');
    chat.send('x'.repeat(WS_MAX_BYTES + 1));
    const closedBig = await chat.closed;
    expect(closedBig.code).toBe(1009);
    expect(doc.channels.chat['x-close-codes']).toHaveProperty(String(closedBig.code));
  });

  it('refuses an upgrade without credentials with the documented 401 and JSON body', async () => {
    const socket = new WebSocket(`${running.url.replace(/^http/, 'ws')}/ws/tws-specialist`);
    const refusal = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      socket.once('open', () => reject(new Error('opened without credentials')));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }),
        );
      });
    });
    // The refused handshake ends the socket; its "closed before established" error is expected.
    socket.on('error', () => undefined);
    socket.terminate();
    expect(refusal.status).toBe(401);
    expect(doc.channels.chat.description).toContain('401');
    expect(refusal.type).toContain('application/json');
    expect(JSON.parse(refusal.body)).toMatchObject({ error: expect.any(String), statusCode: 401 });
  });
});
