import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import { WebSocket } from 'ws';
import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile } from './support/agents-file';
import { PNG_1X1 } from './support/images';
import { ChatClient, type ChatFrameSeen } from './support/chat-client';
import { eventually } from './support/eventually';

interface SeedChat {
  ws: WebSocket;
  connect(): void;
  sendMessage(message: string): void;
}

/** The seed's ResyncChat class as written, pointed at the test server instead of localhost:8000. */
function loadResyncChat(baseUrl: string, log: string[]): new (agentId: string) => SeedChat {
  const source = readFileSync(join(__dirname, 'fixtures/resync-chat.seed.js'), 'utf8').replace(
    'ws://localhost:8000',
    baseUrl.replace(/^http/, 'ws'),
  );
  const module = { exports: {} as { ResyncChat: new (agentId: string) => SeedChat } };
  runInNewContext(source, { WebSocket, console: { log: (line: string) => log.push(line) }, module });
  return module.exports.ResyncChat;
}

const until = (check: () => boolean) => eventually(() => (check() ? true : undefined));

describe("The seeds' usage examples, as written (e2e)", () => {
  describe('open mode (no credentials configured)', () => {
    let running: RunningApp;

    beforeAll(async () => {
      const agents = await agentsFile();
      running = await startApp({ AGENTS_CONFIG_PATH: agents.path });
    });
    afterAll(() => running?.close());

    it('the JavaScript ResyncChat class connects, chats and sees the stream and the answer', async () => {
      const log: string[] = [];
      const ResyncChat = loadResyncChat(running.url, log);
      const shown: string[] = [];
      class Page extends ResyncChat {
        displayMessage(sender: string, message: string) {
          shown.push(`${sender}: ${message}`);
        }
        appendToStream(message: string) {
          shown.push(`stream: ${message}`);
        }
        displayError(message: string) {
          shown.push(`error: ${message}`);
        }
      }
      // Usage
      const chat = new Page('tws-specialist');
      chat.connect();
      await until(() => log.includes('Connected to agent'));
      chat.sendMessage("What's the status of the TWS system?");
      await until(() => shown.some((line) => line.startsWith('agent: ')));

      expect(shown[0]).toBe("user: What's the status of the TWS system?");
      expect(shown.filter((line) => line.startsWith('stream: ')).length).toBeGreaterThan(0);
      expect(shown.at(-1)).toMatch(/^agent: Offline mode/);
      chat.ws.close();
      await until(() => log.includes('Disconnected from agent'));
    });

    it('the Python websockets loop prints each frame and stops at is_final', async () => {
      // async with websockets.connect(uri) as websocket: send(message); async for response ...: print; break on is_final
      const websocket = await ChatClient.open(running.url, '/ws/tws-specialist');
      websocket.send("What's the status of the TWS system?");
      const printed: string[] = [];
      let data: ChatFrameSeen | undefined;
      for (let i = 0; !data?.is_final; i++) {
        data = await websocket.waitFor(() => true, i);
        printed.push(`${data.sender}: ${data.message}`);
      }
      websocket.close();
      expect(printed[0]).toMatch(/^system: Connected to TWS Specialist/);
      expect(printed[1]).toBe("user: What's the status of the TWS system?");
      expect(printed.at(-1)).toMatch(/^agent: Offline mode/);
    });

    it('the agent management example lists name and role', async () => {
      const agents = (await request(running.url).get('/api/agents').expect(200)).body as {
        name: string;
        role: string;
      }[];
      expect(agents.map((agent) => `Agent: ${agent.name} - ${agent.role}`)).toContain(
        'Agent: TWS Specialist - TWS Environment Expert',
      );
    });
  });

  describe('with credentials configured (Knowledge Agent examples)', () => {
    let running: RunningApp;
    const API_KEY = 'ka_rootagent';

    beforeAll(async () => {
      const agents = await agentsFile();
      running = await startApp({
        AGENTS_CONFIG_PATH: agents.path,
        INTERNAL_AUTH_TOKEN: 'your-token-of-enough-length',
        A2A_API_KEYS: JSON.stringify({ ka_rootagent: 'root-agent', ka_analytics: 'analytics-agent' }),
      });
    });
    afterAll(() => running?.close());

    it('curl: minimal query with X-API-Key', async () => {
      const res = await request(running.url)
        .post('/api/query')
        .set('Content-Type', 'application/json')
        .set('X-API-Key', API_KEY)
        .send('{\n    "question": "What is our deployment process?"\n  }')
        .expect(200);
      expect(res.body).toMatchObject({
        success: true,
        answer: expect.any(String),
        memories_used: expect.any(Number),
        tool_calls: expect.any(Array),
      });
    });

    it('the complete integration script: after ingesting its thread, the same question finds that memory', async () => {
      const api = (path: string) =>
        request(running.url).post(path).set('Content-Type', 'application/json').set('X-API-Key', API_KEY);
      await api('/api/ingest-thread')
        .send({
          thread_ts: '1234567890.123456',
          channel_id: 'C01ABC123',
          messages: [
            {
              user: 'U01USER123',
              text: 'Our deployment uses GitHub Actions with automatic rollback',
              ts: '1234567890.123456',
              type: 'message',
            },
          ],
        })
        .expect(200, { success: true, message: 'Thread ingested successfully', memories_saved: 1 });
      const res = await api('/api/query').send({ question: 'What is our deployment process?' }).expect(200);
      expect(res.body).toMatchObject({ success: true, memories_used: 1 });
      expect(res.body.answer).toContain('GitHub Actions with automatic rollback');
    });

    it('curl: query with thread context through the Slack bridge token', async () => {
      const res = await request(running.url)
        .post('/api/query')
        .set('Content-Type', 'application/json')
        .set('X-Internal-Token', 'your-token-of-enough-length')
        .set('X-Slack-User-Id', 'U01USER123')
        .send({
          question: 'How do we deploy to staging?',
          channel_id: 'C01ABC123',
          thread_ts: '1234567890.123456',
          user_name: 'john',
          user_real_name: 'John Doe',
          messages: [
            { user: 'U01USER123', text: 'I need help with deployment', ts: '1234567890.123456', type: 'message' },
          ],
        })
        .expect(200);
      expect(res.body.success).toBe(true);
    });

    it('curl: query with an image; 401 without credentials', async () => {
      const res = await request(running.url)
        .post('/api/query')
        .set('X-API-Key', API_KEY)
        .send({
          question: 'What error is shown in this screenshot?',
          images: [{ name: 'screenshot.png', mime_type: 'image/png', data: PNG_1X1 }],
        })
        .expect(200);
      expect(res.body.success).toBe(true);
      await request(running.url).post('/api/query').send({ question: 'hi' }).expect(401);
    });

    it('Python requests client: query() and query_with_image() with raise_for_status', async () => {
      const headers = { 'Content-Type': 'application/json', 'X-API-Key': API_KEY };
      const query = async (question: string, extra: Record<string, unknown> = {}) => {
        const resp = await fetch(`${running.url}/api/query`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ question, ...extra }),
        });
        if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
        return (await resp.json()) as { answer: string };
      };
      expect((await query('What is our deployment process?')).answer).toEqual(expect.any(String));
      const withImage = await query('What error is shown in this screenshot?', {
        images: [{ name: 'error-screenshot.png', mime_type: 'image/png', data: PNG_1X1 }],
      });
      expect(withImage.answer).toEqual(expect.any(String));
    });

    it('WebSocket: the same credentials at the upgrade (header, or ?token= for browsers)', async () => {
      await expect(ChatClient.open(running.url, '/ws/tws-specialist')).rejects.toThrow('HTTP 401');
      const withHeader = await ChatClient.open(running.url, '/ws/tws-specialist', { 'X-API-Key': API_KEY });
      expect((await withHeader.ask('status?')).at(-1)).toMatchObject({ is_final: true });
      withHeader.close();
      const withToken = await ChatClient.open(running.url, `/ws/tws-specialist?token=${API_KEY}`);
      expect(await withToken.waitFor(() => true)).toMatchObject({ type: 'info' });
      withToken.close();
    });
  });
});
