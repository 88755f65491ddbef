import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import request from 'supertest';
import { TwsSimulator } from '../src/tws-simulator/tws-simulator';
import type { RunningApp } from './support/app-harness';
import { eventually } from './support/eventually';
import { advanceUntil, CLOCK_START, startAgainst, TWS_PASSWORD, TWS_USER } from './support/tws-app';

const INTERNAL_TOKEN = 'mcp-bridge-token-0123456789abcdef';
const KEYS = {
  ka_mcp_writer_1: { caller: 'ide-agent', roles: ['read', 'write'] },
  ka_mcp_reader_1: { caller: 'team-bot', roles: ['read'] },
  ka_mcp_admin_01: { caller: 'ops-admin', roles: ['read', 'write', 'admin'] },
};
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
};
const MCP_ACCEPT = 'application/json, text/event-stream';

describe('MCP endpoint /mcp (e2e, official SDK client)', () => {
  let simulator: TwsSimulator;
  let running: RunningApp;
  const clients: Client[] = [];

  async function connect(headers: Record<string, string>): Promise<Client> {
    const client = new Client({ name: 'resync-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), { requestInit: { headers } }),
    );
    clients.push(client);
    return client;
  }
  const text = (result: unknown) =>
    (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  const failedJob = () => {
    const job = simulator.plan.jobs.find((j) => j.state === 'ABEND');
    if (!job) throw new Error('the simulated plan has no failed job');
    return job;
  };

  beforeAll(async () => {
    const clock = { now: CLOCK_START };
    simulator = await new TwsSimulator({
      seed: 42,
      clock: () => clock.now,
      user: TWS_USER,
      password: TWS_PASSWORD,
    }).start();
    // The plan moves until it holds a failed and a waiting job; then its clock stops.
    const has = (state: string) => simulator.plan.jobs.some((j) => j.state === state);
    advanceUntil(simulator, clock, () => ['READY', 'ABEND'].every(has));
    running = await startAgainst(simulator, {
      A2A_API_KEYS: JSON.stringify(KEYS),
      INTERNAL_AUTH_TOKEN: INTERNAL_TOKEN,
      KNOWLEDGE_SCOPE: 'user',
      CORS_ORIGINS: 'https://ops.example.com',
      TWS_CACHE_TTL_SECONDS: '300',
      WATCH_ENABLED: 'true',
      WATCH_INTERVAL_SECONDS: '0.5',
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await running.close();
    await simulator.stop();
  });

  it('refuses a request without credentials, or with a wrong one, with 401 before any MCP message is handled', async () => {
    const res = await request(running.url).post('/mcp').set('Accept', MCP_ACCEPT).send(INITIALIZE).expect(401);
    expect(res.body).toMatchObject({ error: 'Authentication required', statusCode: 401 });
    await request(running.url)
      .post('/mcp')
      .set({ Accept: MCP_ACCEPT, Authorization: 'Bearer ka_not_a_key_at_all' })
      .send(INITIALIZE)
      .expect(401);
    await expect(connect({})).rejects.toThrow();
  });

  it('accepts the key as X-API-Key and as Authorization: Bearer, and lists the tools with their schemas', async () => {
    const viaHeader = await connect({ 'X-API-Key': 'ka_mcp_reader_1' });
    const viaBearer = await connect({ Authorization: 'Bearer ka_mcp_reader_1' });
    expect(viaBearer.getServerVersion()).toMatchObject({ name: 'resync' });
    const { tools } = await viaBearer.listTools();
    expect((await viaHeader.listTools()).tools).toEqual(tools);
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'tws_status',
        'job_log',
        'diagnose_job',
        'search_memory',
        'list_incidents',
        'execute_command',
      ]),
    );
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
    }
    const execute = tools.find((tool) => tool.name === 'execute_command');
    expect(execute?.inputSchema.required).toEqual(['command']);
    expect(execute?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    // The same Bearer form works on the REST API: one authenticator.
    await request(running.url).get('/api/status').set('Authorization', 'Bearer ka_mcp_reader_1').expect(200);
  });

  it('tws_status summarises the live plan, filtered by status or workstation', async () => {
    const client = await connect({ Authorization: 'Bearer ka_mcp_reader_1' });
    const all = text(await client.callTool({ name: 'tws_status', arguments: {} }));
    expect(all).toMatch(/^TWS plan status as of/);
    expect(all).toContain('ABEND');
    const abend = text(await client.callTool({ name: 'tws_status', arguments: { status: 'abend' } }));
    expect(abend).toContain('Filtered to status ABEND');
    expect(abend).toMatch(/Jobs: \d+ — ABEND \d+\.\n/);
    const job = failedJob();
    const onOne = text(await client.callTool({ name: 'tws_status', arguments: { workstation: job.workstation.name } }));
    expect(onOne).toContain(`Workstations: 1 `);
  });

  it('job_log and diagnose_job read the job a bare name or WS#STREAM.JOB names', async () => {
    const client = await connect({ 'X-API-Key': 'ka_mcp_reader_1' });
    const job = failedJob();
    const key = simulator.plan.key(job);
    const log = text(await client.callTool({ name: 'job_log', arguments: { job: key } }));
    expect(log).toContain(`Job log of ${key}`);
    const diagnosis = await client.callTool({ name: 'diagnose_job', arguments: { job: key } });
    expect(diagnosis.isError).toBeFalsy();
    expect(text(diagnosis)).toContain(`${key} on `);
    expect(text(diagnosis)).toContain('ABEND');
    expect(text(diagnosis)).toMatch(/Next step: /);
  });

  it('list_incidents names the failures the watch opened, with their kind', async () => {
    const client = await connect({ 'X-API-Key': 'ka_mcp_reader_1' });
    const key = simulator.plan.key(failedJob());
    const listed = await eventually(
      async () => {
        const result = text(await client.callTool({ name: 'list_incidents', arguments: { status: 'open' } }));
        return result.includes(key) ? result : undefined;
      },
      20_000,
      `an incident for ${key}`,
    );
    expect(listed).toContain('job_abend');
    const refused = await client.callTool({ name: 'list_incidents', arguments: { status: 'closed-ish' } });
    expect(refused.isError).toBe(true);
  });

  it('bad arguments and unknown jobs come back as tool errors the agent can read', async () => {
    const client = await connect({ 'X-API-Key': 'ka_mcp_reader_1' });
    const missing = await client.callTool({ name: 'job_log', arguments: {} });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/Invalid arguments for job_log: .*job/);
    const extra = await client.callTool({ name: 'tws_status', arguments: { status: 'ABEND; rm -rf /' } });
    expect(extra.isError).toBe(true);
    const unknown = await client.callTool({ name: 'job_log', arguments: { job: 'MASTER#NOPE.NO_SUCH_JOB' } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('NO_SUCH_JOB');
    await expect(client.callTool({ name: 'format_disk', arguments: {} })).rejects.toThrow(/Unknown tool/);
  });

  it('execute_command: a read-only caller gets a tool error; a writer runs it and it is recorded under its id', async () => {
    const job = simulator.plan.jobs.find((j) => j.state === 'READY');
    if (!job) throw new Error('the simulated plan has no waiting job');
    const key = simulator.plan.key(job);
    const reader = await connect({ 'X-API-Key': 'ka_mcp_reader_1' });
    const refused = await reader.callTool({ name: 'execute_command', arguments: { command: `hold ${key}` } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('write role');
    expect(job.held).toBeFalsy();

    const writer = await connect({ Authorization: 'Bearer ka_mcp_writer_1' });
    const ran = await writer.callTool({ name: 'execute_command', arguments: { command: `hold ${key}` } });
    expect(ran.isError).toBeFalsy();
    expect(text(ran)).toContain('HOLD');
    expect(job.held).toBe(true);
    const grammar = await writer.callTool({ name: 'execute_command', arguments: { command: 'rm -rf /opt/tws' } });
    expect(grammar.isError).toBe(true);
    expect(text(grammar)).toContain('Accepted grammar');

    const actions = await request(running.url)
      .get('/api/admin/tws-actions?limit=50')
      .set('X-API-Key', 'ka_mcp_admin_01')
      .expect(200);
    const recorded = JSON.stringify(actions.body);
    expect(recorded).toContain(`hold ${key}`);
    expect(recorded).toContain('ide-agent');
  });

  it("search_memory searches the caller's scope: a Slack user vouched for by the bridge sees only their own", async () => {
    await request(running.url)
      .post('/api/ingest-thread')
      .set({ 'X-Internal-Token': INTERNAL_TOKEN, 'X-Slack-User-Id': 'U01ALICE' })
      .send({
        thread_ts: '1765000000.000100',
        channel_id: 'C01OPS',
        messages: [{ user: 'U01ALICE', text: 'PAYROLL_EXTRACT abended with ORA-01017: the vault password rotated' }],
      })
      .expect(200);
    const asAlice = await connect({ 'X-Internal-Token': INTERNAL_TOKEN, 'X-Slack-User-Id': 'U01ALICE' });
    const asBob = await connect({ 'X-Internal-Token': INTERNAL_TOKEN, 'X-Slack-User-Id': 'U02BOB' });
    const query = { name: 'search_memory', arguments: { query: 'PAYROLL_EXTRACT ORA-01017', limit: 3 } };
    expect(text(await asAlice.callTool(query))).toContain('vault password rotated');
    expect(text(await asBob.callTool(query))).not.toContain('vault password rotated');
  });

  it('refuses an Origin outside CORS_ORIGINS (DNS rebinding) and accepts a listed one', async () => {
    await request(running.url)
      .post('/mcp')
      .set({ Accept: MCP_ACCEPT, 'X-API-Key': 'ka_mcp_reader_1', Origin: 'http://evil.example' })
      .send(INITIALIZE)
      .expect(403);
    const listed = await request(running.url)
      .post('/mcp')
      .set({ Accept: MCP_ACCEPT, 'X-API-Key': 'ka_mcp_reader_1', Origin: 'https://ops.example.com' })
      .send(INITIALIZE)
      .expect(200);
    expect(listed.body.result.serverInfo.name).toBe('resync');
  });

  it('GET and DELETE answer 405 (stateless: no stream, no session), after authentication', async () => {
    await request(running.url).get('/mcp').set('Accept', 'text/event-stream').expect(401);
    const res = await request(running.url)
      .get('/mcp')
      .set({ Accept: 'text/event-stream', 'X-API-Key': 'ka_mcp_reader_1' })
      .expect(405);
    expect(res.headers.allow).toBe('POST');
    await request(running.url).delete('/mcp').set('X-API-Key', 'ka_mcp_reader_1').expect(405);
  });

  it('counts requests and tool calls by tool and outcome', async () => {
    const metrics = (await request(running.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/resync_mcp_tool_calls_total\{tool="tws_status",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/resync_mcp_tool_calls_total\{tool="execute_command",outcome="forbidden"\} 1/);
    expect(metrics).toMatch(/resync_mcp_tool_calls_total\{tool="job_log",outcome="invalid_arguments"\} 1/);
    expect(metrics).toMatch(/resync_mcp_requests_total\{method="POST",status="401"\} [1-9]/);
  });
});
