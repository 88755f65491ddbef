import request from 'supertest';
import { IFactExtractor } from '../src/knowledge/fact-extractor.port';
import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile } from './support/agents-file';
import { PNG_1X1 } from './support/images';
import { ChatClient } from './support/chat-client';
import { registerMissingTools } from './support/fake-agent-tools';
import { type FakeOpenAiServer, startFakeOpenAi } from './support/fake-openai-server';


describe('Chat with a model behind an OpenAI-compatible server (e2e)', () => {
  let llm: FakeOpenAiServer;
  let running: RunningApp;
  const clients: ChatClient[] = [];
  const open = async (path: string) => {
    const client = await ChatClient.open(running.url, path);
    clients.push(client);
    await client.waitFor((f) => f.type === 'info');
    return client;
  };

  beforeAll(async () => {
    llm = await startFakeOpenAi();
    const agents = await agentsFile();
    running = await startApp(
      {
        LLM_BASE_URL: llm.baseUrl,
        LLM_MAX_RETRIES: '0',
        LLM_TIMEOUT_MS: '2000',
        AGENTS_CONFIG_PATH: agents.path,
        RATE_LIMIT_RPS: '100000',
        RATE_LIMIT_BURST: '100000',
      },
      { beforeListen: (app) => void registerMissingTools(app) },
    );
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await running?.close();
    await llm?.close();
  });

  it('streams the model text as stream frames, then the final message', async () => {
    llm.script({ text: ['All four ', 'workstations are ', 'LINKED.'] });
    const chat = await open('/ws/tws-specialist');
    const frames = await chat.ask('status?');
    expect(frames).toEqual([
      { type: 'message', sender: 'user', message: 'status?' },
      { type: 'stream', sender: 'agent', message: 'All four ' },
      { type: 'stream', sender: 'agent', message: 'workstations are ' },
      { type: 'stream', sender: 'agent', message: 'LINKED.' },
      { type: 'message', sender: 'agent', message: 'All four workstations are LINKED.', is_final: true },
    ]);
    const sent = llm.requests.at(-1)!;
    expect(sent.model).toBe('llama3:latest');
    expect(sent.messages[0].content).toContain('You are TWS Specialist, TWS Environment Expert.');
    expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['tws_status_tool', 'tws_troubleshooting_tool']);
  });

  it('runs the tools the model calls and reports them from /api/query', async () => {
    llm.script(
      { toolCalls: [{ name: 'tws_troubleshooting_tool', arguments: '{}' }] },
      { text: ['PAYROLL01 ended in ABEND with RC=12.'], usage: { prompt_tokens: 100, completion_tokens: 20 } },
    );
    const res = await request(running.url).post('/api/query').send({ question: 'Which jobs failed?' }).expect(200);
    expect(res.body).toEqual({
      success: true,
      answer: 'PAYROLL01 ended in ABEND with RC=12.',
      memories_used: expect.any(Number),
      tool_calls: [{ tool: 'tws_troubleshooting_tool', args: {} }],
    });
    const followUp = llm.requests.at(-1)!;
    expect(followUp.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('ABEND') });
    const metrics = (await request(running.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^knowledge_agent_tokens_used_total ([1-9]\d*)/m);
  });

  it("records the model's conversation in the knowledge graph", async () => {
    llm.script({ text: ['Restart the NIGHTLYETL workstation agent, then rerun the stream.'] });
    await request(running.url).post('/api/query').send({ question: 'How do I recover NIGHTLYETL after an unlink?' }).expect(200);
    const search = await request(running.url).get('/api/knowledge/search').query({ q: 'NIGHTLYETL unlink recover' }).expect(200);
    expect(search.body.results).toContainEqual(expect.objectContaining({ kind: 'conversation' }));
    expect(JSON.stringify(search.body.results)).toContain('Restart the NIGHTLYETL workstation agent');
  });

  it('passes images to the model as image parts, typed from their bytes', async () => {
    const res = await request(running.url)
      .post('/api/query')
      .send({ question: 'What error is shown in this screenshot?', images: [{ name: 's.jpg', mime_type: 'image/jpeg', data: PNG_1X1 }] })
      .expect(200);
    expect(res.body.success).toBe(true);
    const user = llm.requests.at(-1)!.messages[1];
    expect(user.content[1]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } });
  });

  it('answers {"success": false} with 502 when the model server fails, and an error frame on the socket that stays open', async () => {
    llm.script({ status: 503, error: 'loading model' });
    const res = await request(running.url).post('/api/query').send({ question: 'status?' }).expect(502);
    expect(res.body).toEqual({ success: false, message: expect.stringContaining('HTTP 503') });

    const chat = await open('/ws/tws-specialist');
    llm.script({ status: 500, error: 'boom' });
    const frames = await chat.ask('status?');
    expect(frames.at(-1)).toEqual({ type: 'error', sender: 'system', message: expect.stringContaining('boom') });
    expect((await chat.ask('again'))).toContainEqual(expect.objectContaining({ is_final: true }));
  });

  it('names a missing model', async () => {
    const agents = await agentsFile([{ id: 'm', name: 'M', role: 'r', goal: 'g', backstory: 'b', tools: [], model_name: 'mistral:7b' }]);
    const other = await startApp({ LLM_BASE_URL: llm.baseUrl, LLM_MAX_RETRIES: '0', AGENTS_CONFIG_PATH: agents.path, DEFAULT_AGENT_ID: 'm' });
    try {
      const res = await request(other.url).post('/api/query').send({ question: 'hi' }).expect(502);
      expect(res.body.message).toContain('Model "mistral:7b" is not available');
    } finally {
      await other.close();
    }
  });

  it('stops the model when the WebSocket client goes away', async () => {
    const before = llm.cancelled();
    llm.script({ text: Array.from({ length: 50 }, () => 'word '), chunkDelayMs: 50 });
    const chat = await open('/ws/tws-specialist');
    chat.send('tell me a long story');
    await chat.waitFor((f) => f.type === 'stream');
    chat.close();
    const deadline = Date.now() + 3_000;
    while (llm.cancelled() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(llm.cancelled()).toBe(before + 1);
  });

  it('offers LLM fact extraction to the knowledge graph', async () => {
    llm.script({ text: ['["PAYROLL01 abends with RC=12 when the DB password expires", "PAYROLL01 abends with RC=12 when the DB password expires"]'] });
    const facts = await running.app.get<{ extractFacts: (t: string) => Promise<string[]> }>(IFactExtractor).extractFacts('long thread ...');
    expect(facts).toEqual(['PAYROLL01 abends with RC=12 when the DB password expires']);
  });
});
