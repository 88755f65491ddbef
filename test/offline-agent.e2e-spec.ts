import request from 'supertest';
import { IAgentManager } from '../src/agents/agent-manager.port';
import { AgentNotFoundError, ToolNotAvailableError } from '../src/agents/agents.errors';
import { type RunningApp, startApp } from './support/app-harness';
import { ChatClient } from './support/chat-client';

interface PlanJob {
  name: string;
  status: string;
  job_stream: string;
  job_stream_workstation: string;
}
interface PlanStatus {
  workstations: { name: string; linked: boolean }[];
  jobs: PlanJob[];
}

const FAILED = new Set(['ABEND', 'FAIL', 'ERROR', 'STUCK', 'ABENP']);

/**
 * The default setup, as `npm start` runs it: the repository's agents.json, no LLM_BASE_URL, no
 * TWS_HOST (the embedded HWA simulator). The plan is frozen (one step per hour) so that what the
 * agent says can be compared with GET /api/status.
 */
describe('The offline agent on the simulated plan, default configuration (e2e)', () => {
  let running: RunningApp;
  let plan: PlanStatus;
  const clients: ChatClient[] = [];
  const ask = async (agentId: string, question: string) => {
    const chat = await ChatClient.open(running.url, `/ws/${agentId}`);
    clients.push(chat);
    await chat.waitFor((f) => f.type === 'info');
    const frames = await chat.ask(question);
    return frames.at(-1)!;
  };

  beforeAll(async () => {
    running = await startApp({
      TWS_SIMULATOR_STEP_MS: '3600000',
      RATE_LIMIT_RPS: '100000',
      RATE_LIMIT_BURST: '100000',
    });
    plan = (await request(running.url).get('/api/status').expect(200)).body as PlanStatus;
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(() => running?.close());

  it('answers the status question with the live plan, saying it is offline', async () => {
    const final = await ask('tws-specialist', "What's the status of the TWS system?");
    expect(final).toMatchObject({ type: 'message', sender: 'agent', is_final: true });
    expect(final.message).toMatch(/^Offline mode: no language model is configured/);
    expect(final.message).toContain(
      `Workstations: ${plan.workstations.length} (${plan.workstations.filter((w) => w.linked).length} linked`,
    );
    expect(final.message).toContain(`Jobs: ${plan.jobs.length} — `);
    for (const ws of plan.workstations.filter((w) => !w.linked)) expect(final.message).toContain(ws.name);
  });

  it('lists the failed jobs of the plan with their log tail and a next step', async () => {
    const failed = plan.jobs.filter((job) => FAILED.has(job.status));
    expect(failed.length).toBeGreaterThan(0);
    const final = await ask('tws-troubleshooter', 'Which jobs failed?');
    expect(final.message).toContain('[tws_troubleshooting_tool]');
    expect(final.message).toContain(`${failed.length} failed job(s):`);
    for (const job of failed)
      expect(final.message).toContain(`${job.job_stream_workstation}#${job.job_stream}.${job.name}`);
    expect(final.message).toContain('Log tail:');
    expect(final.message).toContain('Next step:');
  });

  it('reads the log of the failed job named in the question, besides the diagnosis', async () => {
    const job = plan.jobs.find((candidate) => FAILED.has(candidate.status))!;
    const label = `${job.job_stream_workstation}#${job.job_stream}.${job.name}`;
    const final = await ask('tws-troubleshooter', `Why did ${job.name} abend?`);
    expect(final.message).toContain('[tws_troubleshooting_tool]');
    expect(final.message).toContain(`[tws_job_log_tool]\nJob log of ${label} (status ${job.status}`);
  });

  it('reads the log of a job named in full, in Portuguese', async () => {
    const job = plan.jobs.find((candidate) => candidate.status === 'SUCC')!;
    const label = `${job.job_stream_workstation}#${job.job_stream}.${job.name}`;
    const final = await ask('tws-troubleshooter', `Mostre o log do job ${label}`);
    expect(final.message).toMatch(/^Modo offline/);
    expect(final.message).toContain(`Job log of ${label} (status SUCC`);
  });

  it('says which job it could not find instead of inventing a log', async () => {
    const final = await ask('tws-troubleshooter', 'show me the log of NO_SUCH_JOB01');
    expect(final.message).toContain('[tws_job_log_tool]');
    expect(final.message).toMatch(/Tool tws_job_log_tool failed: .*NO_SUCH_JOB01/);
  });

  it('searches the memory for past incidents and answers from what was ingested', async () => {
    await request(running.url)
      .post('/api/ingest-thread')
      .send({
        thread_ts: '1700000000.000200',
        channel_id: 'C0OPS',
        messages: [
          { user: 'U1', text: 'ETL_GET_FILES abended: 1432 rows rejected by validation', ts: '1700000000.000200' },
          {
            user: 'U2',
            text: 'Fixed last time by asking the data owner to resend the feed, then rerun ETL_GET_FILES',
            ts: '1700000001.000200',
          },
        ],
      })
      .expect(200);
    const res = await request(running.url)
      .post('/api/query')
      .send({ question: 'ETL_GET_FILES abended with rows rejected by validation: what was the fix?' })
      .expect(200);
    // tws-specialist (the default agent) has no search_memory tool: the memory comes in as context.
    expect(res.body.memories_used).toBeGreaterThanOrEqual(1);
    expect(res.body.answer).toContain('resend the feed');

    const final = await ask(
      'tws-troubleshooter',
      'ETL_GET_FILES rows rejected by validation: has this happened before?',
    );
    expect(final.message).toContain('[search_memory]');
    expect(final.message).toContain('resend the feed');
  });

  it('resolves agents and their tools as the seed describes (getAgent, getAllAgents, getAgentWithTool)', () => {
    const agents = running.app.get<IAgentManager>(IAgentManager);
    expect(agents.getAllAgents().map((agent) => agent.id)).toEqual(['tws-specialist', 'tws-troubleshooter']);
    expect(agents.getAgent('tws-specialist')).toMatchObject({
      name: 'TWS Specialist',
      model_name: 'llama3:latest',
      memory: true,
      verbose: false,
    });
    expect(agents.getAgent('nobody')).toBeUndefined();
    const { agent, tool } = agents.getAgentWithTool('tws-troubleshooter', 'tws_job_log_tool');
    expect(agent.id).toBe('tws-troubleshooter');
    expect(tool.parameters.required).toEqual(['job']);
    expect(() => agents.getAgentWithTool('nobody', 'tws_status_tool')).toThrow(AgentNotFoundError);
    expect(() => agents.getAgentWithTool('tws-specialist', 'tws_job_log_tool')).toThrow(ToolNotAvailableError);
  });
});
