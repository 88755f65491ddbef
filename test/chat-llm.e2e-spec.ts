import request from 'supertest';
import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile, SPECIALIST, TROUBLESHOOTER } from './support/agents-file';
import { PNG_1X1 } from './support/images';
import { ChatClient } from './support/chat-client';
import { type FakeOpenAiServer, startFakeOpenAi } from './support/fake-openai-server';
import { eventually } from './support/eventually';

const FACT_MODEL = 'facts:latest';
/** An agent on another model, without memory (nothing recorded, so no fact extraction behind its answers). */
const QWEN = { ...SPECIALIST, id: 'qwen-ops', name: 'Qwen Ops', model_name: 'qwen2.5:7b', memory: false };
/** `verbose: true`: its WebSocket clients see the tool calls as they happen. */
const VERBOSE = { ...TROUBLESHOOTER, id: 'verbose-ops', name: 'Verbose Ops', memory: false, verbose: true };

const metric = async (url: string, name: string): Promise<number> => {
  const metrics = (await request(url).get('/metrics').expect(200)).text;
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
};
const tokensUsed = (url: string) => metric(url, 'knowledge_agent_tokens_used_total');
/** A failed /api/query: the error envelope with the seed's `success: false` and `message`. */
const queryFailure = (statusCode: number, text: unknown) => ({
  success: false,
  error: text,
  message: text,
  statusCode,
  requestId: expect.any(String),
});

describe('Chat with a model behind an OpenAI-compatible server (e2e)', () => {
  let llm: FakeOpenAiServer;
  let running: RunningApp;
  const clients: ChatClient[] = [];
  /** The chat completions (fact extraction runs on its own model, in the background). */
  const chatRequests = () => llm.requests.filter((r) => r.model !== FACT_MODEL);
  const lastChat = () => chatRequests().at(-1)!;
  const factsFound = async (q: string) =>
    (
      (await request(running.url).get('/api/knowledge/search').query({ q }).expect(200)).body.results as {
        kind: string;
        content: string;
      }[]
    ).filter((m) => m.kind === 'fact');
  const open = async (path: string) => {
    const client = await ChatClient.open(running.url, path);
    clients.push(client);
    await client.waitFor((f) => f.type === 'info');
    return client;
  };

  beforeAll(async () => {
    llm = await startFakeOpenAi({ models: ['llama3:latest', 'qwen2.5:7b', FACT_MODEL] });
    llm.scriptFor(FACT_MODEL);
    const agents = await agentsFile([SPECIALIST, TROUBLESHOOTER, QWEN, VERBOSE]);
    running = await startApp({
      LLM_BASE_URL: llm.baseUrl,
      LLM_MAX_RETRIES: '0',
      LLM_TIMEOUT_MS: '2000',
      LLM_MAX_TOOL_ROUNDS: '2',
      LLM_FACT_MODEL: FACT_MODEL,
      AGENTS_CONFIG_PATH: agents.path,
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
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
    const sent = lastChat();
    expect(sent.model).toBe('llama3:latest');
    expect(sent.messages[0].content).toContain('You are TWS Specialist, TWS Environment Expert.');
    expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual([
      'tws_status_tool',
      'tws_troubleshooting_tool',
    ]);
  });

  it('gives the model the earlier exchanges of the same WebSocket conversation, and none of another', async () => {
    llm.script(
      { text: ['PAYROLL01 is in ABEND.'] },
      { text: ['Its log ends with RC=12.'] },
      { text: ['Fresh start.'] },
    );
    const chat = await open('/ws/tws-specialist');
    await chat.ask('Which job failed?');
    await chat.ask('And its log?');
    expect(lastChat().messages.slice(1)).toEqual([
      { role: 'user', content: 'Which job failed?' },
      { role: 'assistant', content: 'PAYROLL01 is in ABEND.' },
      { role: 'user', content: 'And its log?' },
    ]);
    const other = await open('/ws/tws-specialist');
    await other.ask('Hello?');
    expect(lastChat().messages.slice(1)).toEqual([{ role: 'user', content: 'Hello?' }]);
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
    const followUp = lastChat();
    // The real troubleshooting tool read the simulated plan.
    expect(followUp.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringMatching(/failed job\(s\)|No failed jobs/),
    });
  });

  it("uses the agent's model_name and counts the tokens the server reports", async () => {
    const before = await tokensUsed(running.url);
    llm.script({ text: ['Qwen here.'], usage: { prompt_tokens: 100, completion_tokens: 20 } });
    const res = await request(running.url)
      .post('/api/chat')
      .send({ message: 'status?', agent_id: 'qwen-ops' })
      .expect(200);
    expect(res.body).toEqual({ response: 'Qwen here.' });
    expect(lastChat().model).toBe('qwen2.5:7b');
    expect((await tokensUsed(running.url)) - before).toBe(120);
  });

  it("shows a verbose agent's tool calls as info frames; a quiet agent shows none", async () => {
    const toolCall = { toolCalls: [{ name: 'tws_job_log_tool', arguments: '{"job":"MASTER#PAYROLL.PAY_CALC"}' }] };
    llm.script(toolCall, { text: ['PAY_CALC ran fine.'] }, toolCall, { text: ['PAY_CALC ran fine.'] });
    const verbose = await open('/ws/verbose-ops');
    expect(await verbose.ask('log of PAY_CALC?')).toEqual([
      { type: 'message', sender: 'user', message: 'log of PAY_CALC?' },
      { type: 'info', sender: 'system', message: 'Running tws_job_log_tool {"job":"MASTER#PAYROLL.PAY_CALC"}' },
      { type: 'stream', sender: 'agent', message: 'PAY_CALC ran fine.' },
      { type: 'message', sender: 'agent', message: 'PAY_CALC ran fine.', is_final: true },
    ]);
    const quiet = await open('/ws/tws-troubleshooter');
    expect((await quiet.ask('log of PAY_CALC?')).map((f) => f.type)).toEqual(['message', 'stream', 'message']);
  });

  it('runs tool calls over several rounds and stops offering tools after LLM_MAX_TOOL_ROUNDS', async () => {
    const from = chatRequests().length;
    llm.script(
      { toolCalls: [{ name: 'tws_status_tool', arguments: '{}' }] },
      { toolCalls: [{ name: 'tws_troubleshooting_tool', arguments: '{}' }] },
      { text: ['Both checked.'] },
    );
    const res = await request(running.url).post('/api/query').send({ question: 'Check everything' }).expect(200);
    expect(res.body.tool_calls).toEqual([
      { tool: 'tws_status_tool', args: {} },
      { tool: 'tws_troubleshooting_tool', args: {} },
    ]);
    expect(res.body.answer).toBe('Both checked.');
    const rounds = chatRequests().slice(from);
    expect(rounds.map((r) => r.tools?.length ?? 0)).toEqual([2, 2, 0]);
    expect(
      rounds[2].messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content),
    ).toEqual([
      expect.stringContaining('TWS plan status as of'),
      expect.stringMatching(/failed job\(s\)|No failed jobs/),
    ]);
  });

  it('gives the model the thread messages and who is asking as context', async () => {
    await request(running.url)
      .post('/api/query')
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
    const sent = lastChat();
    expect(sent.messages[0].content).toContain('U01USER123: I need help with deployment');
    expect(sent.messages[0].content).toContain('The question comes from John Doe (john).');
    expect(sent.messages[1]).toEqual({ role: 'user', content: 'How do we deploy to staging?' });
  });

  it('answers 504 {"success": false} when the model does not finish within LLM_TIMEOUT_MS', async () => {
    llm.script({ hang: true });
    const res = await request(running.url).post('/api/query').send({ question: 'status?' }).expect(504);
    expect(res.body).toEqual(queryFailure(504, expect.stringContaining('did not finish within 2000 ms')));
  });

  it("records the model's conversation in the knowledge graph", async () => {
    llm.script({ text: ['Restart the NIGHTLYETL workstation agent, then rerun the stream.'] });
    await request(running.url)
      .post('/api/query')
      .send({ question: 'How do I recover NIGHTLYETL after an unlink?' })
      .expect(200);
    const search = await request(running.url)
      .get('/api/knowledge/search')
      .query({ q: 'NIGHTLYETL unlink recover' })
      .expect(200);
    expect(search.body.results).toContainEqual(expect.objectContaining({ kind: 'conversation' }));
    expect(JSON.stringify(search.body.results)).toContain('Restart the NIGHTLYETL workstation agent');
  });

  it('passes images to the model as image parts, typed from their bytes', async () => {
    const res = await request(running.url)
      .post('/api/query')
      .send({
        question: 'What error is shown in this screenshot?',
        images: [{ name: 's.jpg', mime_type: 'image/jpeg', data: PNG_1X1 }],
      })
      .expect(200);
    expect(res.body.success).toBe(true);
    const user = lastChat().messages[1];
    expect(user.content[1]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } });
  });

  it('answers {"success": false} with 502 when the model server fails, and an error frame on the socket that stays open', async () => {
    const counts = async () =>
      Promise.all(
        [
          'knowledge_agent_queries_total',
          'knowledge_agent_query_errors_total',
          'knowledge_agent_query_latency_seconds_count',
        ].map((n) => metric(running.url, n)),
      );
    const before = await counts();
    llm.script({ status: 503, error: 'loading model' });
    const res = await request(running.url).post('/api/query').send({ question: 'status?' }).expect(502);
    expect(res.body).toEqual(queryFailure(502, expect.stringContaining('HTTP 503')));
    expect((await counts()).map((value, i) => value - before[i])).toEqual([1, 1, 1]);

    const chat = await open('/ws/tws-specialist');
    llm.script({ status: 500, error: 'boom' });
    const frames = await chat.ask('status?');
    expect(frames.at(-1)).toEqual({ type: 'error', sender: 'system', message: expect.stringContaining('boom') });
    expect(await chat.ask('again')).toContainEqual(expect.objectContaining({ is_final: true }));
  });

  it('says the model server cannot be reached: 503 on /api/query, an error frame on the socket', async () => {
    const down = await startFakeOpenAi();
    const baseUrl = down.baseUrl;
    await down.close();
    const agents = await agentsFile();
    const other = await startApp({ LLM_BASE_URL: baseUrl, LLM_MAX_RETRIES: '0', AGENTS_CONFIG_PATH: agents.path });
    try {
      const res = await request(other.url).post('/api/query').send({ question: 'hi' }).expect(503);
      expect(res.body).toEqual(
        queryFailure(503, expect.stringContaining(`The language model server at ${baseUrl} cannot be reached`)),
      );
      const chat = await ChatClient.open(other.url, '/ws/tws-specialist');
      const frames = await chat.ask('status?');
      expect(frames.at(-1)).toEqual({
        type: 'error',
        sender: 'system',
        message: expect.stringContaining('cannot be reached'),
      });
      expect(chat.socket.readyState).toBe(chat.socket.OPEN);
      chat.close();
    } finally {
      await other.close();
    }
  });

  it('names a missing model', async () => {
    const agents = await agentsFile([
      { id: 'm', name: 'M', role: 'r', goal: 'g', backstory: 'b', tools: [], model_name: 'mistral:7b' },
    ]);
    const other = await startApp({
      LLM_BASE_URL: llm.baseUrl,
      LLM_MAX_RETRIES: '0',
      AGENTS_CONFIG_PATH: agents.path,
      DEFAULT_AGENT_ID: 'm',
    });
    try {
      const res = await request(other.url).post('/api/query').send({ question: 'hi' }).expect(502);
      expect(res.body.message).toContain('Model "mistral:7b" is not available');
    } finally {
      await other.close();
    }
  });

  it('stops the model when the HTTP client of /api/query goes away', async () => {
    const before = llm.cancelled();
    llm.script({ text: Array.from({ length: 50 }, () => 'word '), chunkDelayMs: 50 });
    const from = llm.requests.length;
    const client = new AbortController();
    const pending = fetch(`${running.url}/api/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: 'tell me a long story' }),
      signal: client.signal,
    }).catch(() => undefined);
    await eventually(async () => (llm.requests.length > from ? true : undefined));
    client.abort();
    await pending;
    await eventually(async () => (llm.cancelled() > before ? true : undefined), 3_000);
    expect(llm.cancelled()).toBe(before + 1);
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

  it('extracts facts from an ingested thread with LLM_FACT_MODEL, stored once as fact memories', async () => {
    const fact = 'PAYROLL01 abends with RC=12 when the DB password expires';
    llm.scriptFor(
      FACT_MODEL,
      { text: [JSON.stringify([fact, fact, 'Rotate the password in the vault before month end'])] },
      { text: [JSON.stringify([fact])] },
    );
    const thread = (ts: string, text: string) => ({
      thread_ts: ts,
      channel_id: 'C0OPS',
      messages: [{ user: 'U1', text, ts, type: 'message' }],
    });
    await request(running.url)
      .post('/api/ingest-thread')
      .send(thread('1700000100.000100', 'PAYROLL01 died again, RC=12; the DB password had expired'))
      .expect(200);
    await request(running.url)
      .post('/api/ingest-thread')
      .send(thread('1700000200.000100', 'Same PAYROLL01 RC=12 as last month: expired DB password'))
      .expect(200);

    const factRequest = llm.requests.find(
      (r) => r.model === FACT_MODEL && JSON.stringify(r.messages).includes('PAYROLL01 died again'),
    );
    expect(factRequest?.messages[0].content).toContain('Return ONLY a JSON array of strings');
    const facts = await factsFound('PAYROLL01 RC=12 DB password expires');
    expect(facts.map((m) => m.content).filter((content) => content === fact)).toHaveLength(1);
    expect((await factsFound('rotate password vault month end')).map((m) => m.content)).toContain(
      'Rotate the password in the vault before month end',
    );
  });

  it("extracts facts from the model's conversations too", async () => {
    llm.script({ text: ['Relink AGTETL01 with conman "link AGTETL01", then rerun ETL_NIGHTLY.'] });
    llm.scriptFor(FACT_MODEL, {
      text: ['["AGTETL01 unlinks are fixed by conman link AGTETL01 and a rerun of ETL_NIGHTLY"]'],
    });
    await request(running.url).post('/api/query').send({ question: 'AGTETL01 is unlinked, what do I do?' }).expect(200);
    const facts = await eventually(async () => {
      const found = await factsFound('AGTETL01 unlinks conman link rerun ETL_NIGHTLY');
      return found.length > 0 ? found : undefined;
    });
    expect(facts.map((m) => m.content)).toEqual([
      'AGTETL01 unlinks are fixed by conman link AGTETL01 and a rerun of ETL_NIGHTLY',
    ]);
    const sent = llm.requests.find(
      (r) => r.model === FACT_MODEL && JSON.stringify(r.messages).includes('AGTETL01 is unlinked'),
    );
    expect(JSON.stringify(sent?.messages)).toContain('Relink AGTETL01');
  });
});
