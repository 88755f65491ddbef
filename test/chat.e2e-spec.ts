import { connect } from 'node:net';
import request from 'supertest';
import { IFactExtractor } from '../src/knowledge/fact-extractor.port';
import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile, SPECIALIST, TROUBLESHOOTER } from './support/agents-file';
import { PNG_1X1 } from './support/images';
import { ChatClient } from './support/chat-client';

const GIF_HEADER = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1').toString('base64');

describe('Chat with the offline agent (e2e)', () => {
  let running: RunningApp;
  let agents: Awaited<ReturnType<typeof agentsFile>>;
  const clients: ChatClient[] = [];
  const open = async (path: string) => {
    const client = await ChatClient.open(running.url, path);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    agents = await agentsFile();
    running = await startApp({
      AGENTS_CONFIG_PATH: agents.path,
      AGENTS_RELOAD_DEBOUNCE_MS: '50',
      WS_MAX_MESSAGE_BYTES: '2kb',
      WS_MESSAGES_PER_MINUTE: '5',
      CHAT_MAX_MESSAGE_CHARS: '500',
      WS_HEARTBEAT_MS: '1000',
      QUERY_MAX_IMAGES: '2',
      QUERY_MAX_IMAGE_BYTES: '2kb',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(() => running?.close());

  it('offers no LLM fact extraction without a model', () => {
    expect(running.app.get(IFactExtractor)).toBeNull();
  });

  describe('GET /api/agents', () => {
    it("lists the agents in the seed's shape", async () => {
      const res = await request(running.url).get('/api/agents').expect(200);
      expect(res.body).toEqual([SPECIALIST, TROUBLESHOOTER]);
    });
  });

  describe('WebSocket /ws/{agent_id}', () => {
    it('greets, echoes, streams and ends with the final message', async () => {
      const chat = await open('/ws/tws-specialist');
      const greeting = await chat.waitFor(() => true);
      expect(greeting).toEqual({ type: 'info', sender: 'system', message: expect.stringContaining('TWS Specialist') });

      const frames = await chat.ask("What's the status of the TWS system?");
      expect(frames[0]).toEqual({ type: 'message', sender: 'user', message: "What's the status of the TWS system?" });
      const streams = frames.filter((f) => f.type === 'stream');
      expect(streams.length).toBeGreaterThan(0);
      expect(streams.every((f) => f.sender === 'agent' && f.is_final === undefined)).toBe(true);
      const final = frames[frames.length - 1];
      expect(final).toEqual({
        type: 'message',
        sender: 'agent',
        message: expect.stringMatching(/^Offline mode/),
        is_final: true,
      });
      expect(final.message).toContain('[tws_status_tool]');
      expect(
        streams
          .map((f) => f.message)
          .join('')
          .trim(),
      ).toBe(final.message);
    });

    it('says it is offline in the first answer of a conversation, not in every follow-up', async () => {
      const chat = await open('/ws/tws-specialist');
      const first = (await chat.ask('status of the plan?')).at(-1)!;
      const second = (await chat.ask('and which jobs failed?')).at(-1)!;
      expect(first.message).toMatch(/^Offline mode/);
      expect(second).toMatchObject({ sender: 'agent', is_final: true });
      expect(second.message).not.toContain('Offline mode');
      expect(second.message).toContain('[tws_troubleshooting_tool]');
      const again = await open('/ws/tws-specialist');
      expect((await again.ask('status of the plan?')).at(-1)!.message).toMatch(/^Offline mode/);
    });

    it('accepts JSON {"message"} and answers Portuguese questions about failures in Portuguese', async () => {
      const chat = await open('/ws/tws-troubleshooter');
      const frames = await chat.ask(JSON.stringify({ message: 'Quais jobs tiveram falhas (ABEND) hoje?' }));
      const final = frames[frames.length - 1];
      expect(final.message).toMatch(/^Modo offline/);
      expect(final.message).toContain('[tws_troubleshooting_tool]');
    });

    it('runs the job log tool with the job named in the question', async () => {
      const chat = await open('/ws/tws-troubleshooter');
      const frames = await chat.ask('show me the log of PAY_CALC');
      expect(frames[frames.length - 1].message).toContain(
        '[tws_job_log_tool]\nJob log of MASTER#PAYROLL.PAY_CALC (status ',
      );
    });

    it('answers an unknown agent with an error frame and close 1008', async () => {
      const chat = await open('/ws/nobody');
      expect(await chat.waitFor(() => true)).toEqual({
        type: 'error',
        sender: 'system',
        message: 'Agent "nobody" not found',
      });
      expect((await chat.closed).code).toBe(1008);
    });

    it('closes with 1009 on a frame above WS_MAX_MESSAGE_BYTES', async () => {
      const chat = await open('/ws/tws-specialist');
      chat.send('x'.repeat(3 * 1024));
      expect((await chat.closed).code).toBe(1009);
    });

    it('refuses bad messages with error frames and keeps the socket open', async () => {
      const chat = await open('/ws/tws-specialist');
      expect((await chat.ask('   '))[0]).toEqual({ type: 'error', sender: 'system', message: 'The message is empty' });
      expect((await chat.ask('{"text": "hi"}'))[0].message).toBe('A JSON frame needs a "message" string');
      expect((await chat.ask('<img src=x onerror=alert(1)>'))[0].message).toContain('markup');
      expect((await chat.ask('y'.repeat(501)))[0].message).toContain('longer than 500 characters');
      expect(chat.socket.readyState).toBe(chat.socket.OPEN);
    });

    it('limits messages per connection and says so', async () => {
      const chat = await open('/ws/tws-specialist');
      for (let i = 0; i < 5; i++) chat.send('status');
      chat.send('status');
      const limited = await chat.waitFor((f) => f.type === 'error');
      expect(limited.message).toContain('Rate limit exceeded');
      await chat.waitFor((f) => f.is_final === true && chat.frames.filter((x) => x.is_final).length === 5);
      expect(chat.socket.readyState).toBe(chat.socket.OPEN);
    });

    it('drops a peer that stops answering pings', async () => {
      const socket = connect(Number(new URL(running.url).port), '127.0.0.1');
      socket.write(
        'GET /ws/tws-specialist HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      const started = Date.now();
      await new Promise((resolve) => socket.once('close', resolve));
      expect(received).toContain('101 Switching Protocols');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('refuses other upgrade paths with 404', async () => {
      await expect(ChatClient.open(running.url, '/socket')).rejects.toThrow('HTTP 404');
    });
  });

  describe('POST /api/chat', () => {
    it('answers with the whole response', async () => {
      const res = await request(running.url).post('/api/chat').send({ message: 'status?' }).expect(200);
      expect(res.body).toEqual({ response: expect.stringMatching(/^Offline mode/) });
    });

    it('refuses markup, missing messages and unknown agents', async () => {
      const xss = await request(running.url)
        .post('/api/chat')
        .send({ message: '<script>alert(1)</script>' })
        .expect(400);
      expect(xss.body.error).toBeDefined();
      await request(running.url).post('/api/chat').send({}).expect(400);
      expect(
        (await request(running.url).post('/api/chat').send({ message: '  \n ' }).expect(400)).body.error,
      ).toContain('message must not be blank');
      const missing = await request(running.url)
        .post('/api/chat')
        .send({ message: 'hi', agent_id: 'ghost' })
        .expect(404);
      expect(missing.body.error).toBe('Agent "ghost" does not exist');
    });
  });

  describe('POST /api/query', () => {
    it('answers 400 {"error": "question is required"} without a question', async () => {
      for (const body of [{}, { question: '' }, { question: '   ' }, { question: 42 }]) {
        const res = await request(running.url).post('/api/query').send(body).expect(400);
        expect(res.body.error).toBe('question is required');
      }
    });

    it('answers the minimal query of the seed', async () => {
      const res = await request(running.url)
        .post('/api/query')
        .set('Content-Type', 'application/json')
        .send({ question: 'What is our deployment process?' })
        .expect(200);
      expect(res.body).toEqual({
        success: true,
        answer: expect.stringMatching(/^Offline mode/),
        memories_used: expect.any(Number),
        tool_calls: [{ tool: 'tws_status_tool', args: {} }],
      });
    });

    it('accepts images whose bytes are png/jpeg/gif/webp, whatever they are labelled', async () => {
      const res = await request(running.url)
        .post('/api/query')
        .send({
          question: 'What error is shown in this screenshot?',
          images: [{ name: 'screenshot.png', mime_type: 'image/png', data: PNG_1X1 }],
          messages: [
            { user: 'U1', text: 'see', ts: '1', images: [{ name: 'x.png', mime_type: 'image/png', data: GIF_HEADER }] },
          ],
        })
        .expect(200);
      expect(res.body.success).toBe(true);
    });

    it('refuses images that are not images, too many, too large or not base64', async () => {
      const ask = (images: unknown[]) =>
        request(running.url).post('/api/query').send({ question: 'what is this?', images });
      const text = Buffer.from('just text, not an image').toString('base64');
      expect((await ask([{ name: 'a.png', mime_type: 'image/png', data: text }]).expect(415)).body.error).toContain(
        'not a PNG, JPEG, GIF or WEBP',
      );
      expect(
        (await ask([{ name: 'r.pdf', mime_type: 'application/pdf', data: PNG_1X1 }]).expect(415)).body.error,
      ).toContain('declared as application/pdf');
      expect((await ask([{ data: PNG_1X1 }, { data: PNG_1X1 }, { data: PNG_1X1 }]).expect(400)).body.error).toBe(
        'Too many images: at most 2 per query',
      );
      expect((await ask([{ data: 'A'.repeat(4000) }]).expect(413)).body.error).toContain('larger than 2048 bytes');
      expect((await ask([{ data: 'not base64!' }]).expect(400)).body.error).toContain('not valid base64');
    });

    it('counts queries, errors and latency', async () => {
      const metrics = (await request(running.url).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^knowledge_agent_queries_total [1-9]/m);
      expect(metrics).toMatch(/^knowledge_agent_query_errors_total [1-9]/m);
      expect(metrics).toContain('knowledge_agent_query_latency_seconds_bucket{le="120"}');
    });
  });

  describe('with the knowledge graph', () => {
    it('answers from an ingested thread and counts the memories used; offline answers are not stored', async () => {
      await request(running.url)
        .post('/api/ingest-thread')
        .send({
          thread_ts: '1700000000.000100',
          channel_id: 'C0OPS',
          messages: [
            {
              user: 'U1',
              text: 'PAYROLL01 abends with RC=12 every month end',
              ts: '1700000000.000100',
              type: 'message',
            },
            {
              user: 'U2',
              text: 'Fix: rotate the database password in the vault, then rerun PAYROLL01',
              ts: '1700000001.000100',
              type: 'message',
            },
          ],
        })
        .expect(200);

      const res = await request(running.url)
        .post('/api/query')
        .send({ question: 'Why does PAYROLL01 abend with RC=12?' })
        .expect(200);
      expect(res.body.memories_used).toBeGreaterThanOrEqual(1);
      expect(res.body.answer).toContain('rotate the database password');

      const search = await request(running.url)
        .get('/api/knowledge/search')
        .query({ q: 'Why does PAYROLL01 abend' })
        .expect(200);
      expect(search.body.results.map((m: { kind: string }) => m.kind)).not.toContain('conversation');
    });
  });

  describe('agents.json hot reload', () => {
    it('applies a valid edit and tells connected clients; refuses an invalid one and keeps the set', async () => {
      const chat = await open('/ws/tws-specialist');
      await chat.waitFor((f) => f.type === 'info');
      const extra = { ...SPECIALIST, id: 'night-shift', name: 'Night Shift' };
      await agents.replace({ agents: [SPECIALIST, TROUBLESHOOTER, extra] });
      const info = await chat.waitFor((f) => f.type === 'info' && f.message.includes('reloaded'), 1);
      expect(info.message).toContain('night-shift');
      expect(
        (await request(running.url).get('/api/agents').expect(200)).body.map((a: { id: string }) => a.id),
      ).toContain('night-shift');

      await agents.replace({ agents: [{ ...SPECIALIST, tools: ['no_such_tool'] }] });
      const deadline = Date.now() + 5_000;
      while (!running.logs().some((l) => String(l.msg).includes('Refused the edited')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(running.logs().find((l) => String(l.msg).includes('Refused the edited'))?.msg).toContain(
        'unknown tool "no_such_tool"',
      );
      expect((await request(running.url).get('/api/agents').expect(200)).body).toHaveLength(3);
    });
  });
});

describe('Booting with agents.json (e2e)', () => {
  it('stops the boot on an unknown tool name, naming the agent and the tool', async () => {
    const agents = await agentsFile([{ ...SPECIALIST, tools: ['tws_status_tool', 'teleport_tool'] }]);
    await expect(startApp({ AGENTS_CONFIG_PATH: agents.path })).rejects.toThrow(
      'agent "tws-specialist", field "tools": unknown tool "teleport_tool"',
    );
  });

  it('stops the boot when the file is missing', async () => {
    await expect(startApp({ AGENTS_CONFIG_PATH: '/nonexistent/agents.json' })).rejects.toThrow(
      'cannot be read: no such file',
    );
  });
});
