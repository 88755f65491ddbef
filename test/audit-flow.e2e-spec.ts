import request from 'supertest';
import { IKnowledgeGraph } from '../src/knowledge/knowledge-graph.port';
import { agentsFile } from './support/agents-file';
import { type RunningApp, startApp } from './support/app-harness';
import { type FakeOpenAiServer, startFakeOpenAi } from './support/fake-openai-server';

/** The whole path: an agent answers, the memory is stored, the auditor flags it, a human decides. */
describe('Review flow through the agents and the knowledge graph (e2e)', () => {
  let llm: FakeOpenAiServer;
  let running: RunningApp;
  const http = () => request(running.url);
  const knowledge = () => running.app.get<IKnowledgeGraph>(IKnowledgeGraph);
  const searchIds = async (q: string): Promise<string[]> =>
    (await http().get('/api/knowledge/search').query({ q, limit: 20 }).expect(200)).body.results.map(
      (m: { id: string }) => m.id,
    );

  beforeAll(async () => {
    llm = await startFakeOpenAi();
    const agents = await agentsFile();
    running = await startApp({
      LLM_BASE_URL: llm.baseUrl,
      LLM_MAX_RETRIES: '0',
      AGENTS_CONFIG_PATH: agents.path,
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  });

  afterAll(async () => {
    await running?.close();
    await llm?.close();
  });

  it('flags a dangerous answer given over /api/query; approving it makes the memory trusted', async () => {
    llm.script({ text: ['Free space with ', 'rm -rf /opt/tws/stdlist/2026.01.* as root.'] });
    const answer = await http()
      .post('/api/query')
      .send({ question: 'How do I free disk space on the master?' })
      .expect(200);
    expect(answer.body.answer).toContain('rm -rf');

    const flags = await http().get('/api/audit/flags').query({ query: 'free disk space' }).expect(200);
    expect(flags.body).toEqual([
      expect.objectContaining({
        memory_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        agent_id: 'tws-specialist',
        user_query: 'How do I free disk space on the master?',
        agent_response: 'Free space with rm -rf /opt/tws/stdlist/2026.01.* as root.',
        rules: ['destructive_command'],
        status: 'pending',
      }),
    ]);
    const memoryId = flags.body[0].memory_id as string;
    expect((await knowledge().getMemory(memoryId))?.status).toBe('flagged');

    await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'approve' }).expect(200);
    expect((await knowledge().getMemory(memoryId))?.status).toBe('approved');
    await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'reject' }).expect(409);
    expect((await knowledge().getMemory(memoryId))?.status).toBe('approved');
  });

  it('leaves a sound answer unflagged', async () => {
    llm.script({ text: ['Rerun PAYROLL01 once the input file is back.'] });
    await http().post('/api/query').send({ question: 'What should I do about PAYROLL01 abending?' }).expect(200);
    expect(
      (await http().get('/api/audit/flags').query({ status: 'all', query: 'PAYROLL01' }).expect(200)).body,
    ).toEqual([]);
  });

  it('never retrieves a rejected memory again', async () => {
    const question = 'How do I log in to the zeppelin console?';
    const reply = 'Use the zeppelin admin account with password: Zq8-hunter2-secret';
    const memoryId = await knowledge().addConversation(question, reply, 'tws-specialist');
    expect(await knowledge().getMemory(memoryId)).toMatchObject({
      status: 'flagged',
      agentResponse: 'Use the zeppelin admin account with password: [REDACTED]',
    });
    // Waiting for review: served nowhere.
    expect(await searchIds('zeppelin console')).not.toContain(memoryId);

    const res = await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'reject' }).expect(200);
    expect(res.body).toMatchObject({ memory_id: memoryId, status: 'rejected', changed: true });
    expect((await knowledge().getMemory(memoryId))?.status).toBe('rejected');
    expect(await searchIds('zeppelin console')).not.toContain(memoryId);
    expect(await knowledge().getRelevantContext('zeppelin console')).not.toContain('Zq8-hunter2-secret');

    await http().post('/api/audit/review').send({ memory_id: memoryId, action: 'approve' }).expect(409);
    expect(await searchIds('zeppelin console')).not.toContain(memoryId);
  });

  it('shows the memories under review on the dashboard once the knowledge graph is there', async () => {
    const summary = await http().get('/api/dashboard/summary').expect(200);
    expect(summary.body.knowledge).toEqual({ available: true, flagged: expect.any(Number), approved: 1, rejected: 1 });
  });
});
