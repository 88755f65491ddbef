import request from 'supertest';
import type { SimJob } from '../src/tws-simulator/simulated-plan';
import { TwsSimulator } from '../src/tws-simulator/tws-simulator';
import type { RunningApp } from './support/app-harness';
import { injectionCommands, MALFORMED_BODIES } from './support/command-injection-corpus';
import { advanceUntil, CLOCK_START, startAgainst, TWS_PASSWORD, TWS_USER } from './support/tws-app';

const KEYS = {
  ka_writer_key_1: { caller: 'ops-writer', roles: ['read', 'write'] },
  ka_reader_key_1: { caller: 'dashboard', roles: ['read'] },
  ka_admin_key_01: { caller: 'ops-admin', roles: ['read', 'write', 'admin'] },
};
const WRITER = { 'X-API-Key': 'ka_writer_key_1' };
const READER = { 'X-API-Key': 'ka_reader_key_1' };
const ADMIN = { 'X-API-Key': 'ka_admin_key_01' };

describe('POST /api/execute (e2e)', () => {
  let simulator: TwsSimulator;
  let running: RunningApp;
  const http = () => request(running.url);
  const execute = (command: unknown, headers: Record<string, string> = WRITER) =>
    http().post('/api/execute').set(headers).send({ command });
  const find = (predicate: (job: SimJob) => boolean, used: Set<SimJob>) => {
    const job = simulator.plan.jobs.find((j) => predicate(j) && !used.has(j));
    if (!job) throw new Error('the simulated plan has no such job');
    used.add(job);
    return job;
  };
  const used = new Set<SimJob>();
  const actionLog = async () => (await http().get('/api/admin/tws-actions?limit=200').set(ADMIN).expect(200)).body;

  beforeAll(async () => {
    const clock = { now: CLOCK_START };
    simulator = await new TwsSimulator({
      seed: 42,
      clock: () => clock.now,
      user: TWS_USER,
      password: TWS_PASSWORD,
    }).start();
    // The plan moves until it holds every state the tests act on; then its clock stops.
    const has = (state: string) => simulator.plan.jobs.some((j) => j.state === state);
    advanceUntil(simulator, clock, () => ['READY', 'EXEC', 'ABEND', 'SUCC', 'HOLD'].every(has));
    running = await startAgainst(simulator, { A2A_API_KEYS: JSON.stringify(KEYS), TWS_CACHE_TTL_SECONDS: '300' });
  });
  afterAll(async () => {
    await running.close();
    await simulator.stop();
  });

  it('hold puts a waiting job on hold; status and /api/status (its cache dropped) show HOLD', async () => {
    const job = find((j) => j.state === 'READY', used);
    const key = simulator.plan.key(job);
    const before = await http().get('/api/status').set(READER).expect(200);
    expect(before.body.jobs.find((j: { id: string }) => j.id === job.id).status).toBe('READY');

    const res = await execute(`hold ${key}`).expect(200);
    expect(res.body.job).toMatchObject({ id: job.id, status: 'HOLD' });
    expect(res.body.action).toMatchObject({
      caller: 'ops-writer',
      command: `hold ${key}`,
      verb: 'hold',
      target: key,
      target_id: job.id,
      outcome: 'ok',
    });
    expect(res.body.action.message).toContain('put on hold');
    expect(job.held).toBe(true);

    expect((await execute(`status ${job.id}`).expect(200)).body.job).toMatchObject({ id: job.id, status: 'HOLD' });
    const after = await http().get('/api/status').set(READER).expect(200);
    expect(after.body.jobs.find((j: { id: string }) => j.id === job.id).status).toBe('HOLD');
    expect(after.body.as_of >= before.body.as_of).toBe(true);

    await execute(`release ${key.toLowerCase()}`).expect(200);
    expect(job.held).toBe(false);
  });

  it('kill ends a running job in ABEND (rc -1), and rerun submits a new run of it', async () => {
    const job = find((j) => j.state === 'EXEC', used);
    const killed = await execute(`kill ${job.id}`).expect(200);
    expect(killed.body.job).toMatchObject({ id: job.id, status: 'ABEND', return_code: -1 });
    const oldRun = killed.body.job.run_id;

    const log = await execute(`log ${simulator.plan.key(job)}`).expect(200);
    expect(log.body.log).toContain('killed by operator');

    const rerun = await execute(`rerun ${simulator.plan.key(job)}`).expect(200);
    expect(rerun.body.job).toMatchObject({ id: job.id, status: 'READY' });
    expect(rerun.body.job.run_id).not.toBe(oldRun);
    expect(job.runs).toHaveLength(2);
  });

  it('rerun of a job the plan shows in ABEND starts a new attempt', async () => {
    const job = find((j) => j.state === 'ABEND', used);
    const res = await execute(`RERUN ${simulator.plan.key(job)}`).expect(200);
    expect(res.body.job.status).toBe('READY');
    expect(simulator.plan.lastRun(job)!.attempt).toBe(2);
  });

  it('cancel ends a job that has not started', async () => {
    const job = find((j) => j.state === 'HOLD' && !j.held, used);
    const res = await execute(`cancel ${simulator.plan.key(job)}`).expect(200);
    expect(res.body.job.status).toBe('CANCL');
    expect(job.state).toBe('CANCL');
  });

  it('holds and releases a job stream', async () => {
    const stream = simulator.plan.streams.find((s) => s.name === 'REPORTS')!;
    const held = await execute(`hold stream ${stream.workstation.name}#${stream.name}`).expect(200);
    expect(held.body.job_stream).toMatchObject({ id: stream.id, name: 'REPORTS' });
    expect(stream.held).toBe(true);
    await execute(`release stream ${stream.workstation.name}#${stream.name}`).expect(200);
    expect(stream.held).toBe(false);
  });

  it('answers what HWA refused (409), an unknown job (404), and records both as errors', async () => {
    const done = find((j) => j.state === 'SUCC', used);
    const refused = await execute(`hold ${simulator.plan.key(done)}`).expect(409);
    expect(refused.body.error).toContain('cannot be held');
    expect(refused.body.requestId).toEqual(expect.any(String));
    const missing = await execute('hold MASTER#PAYROLL.NO_SUCH_JOB').expect(404);
    expect(missing.body.error).toContain('No job MASTER#PAYROLL.NO_SUCH_JOB');

    const [last, previous] = (await actionLog()).actions;
    expect(last).toMatchObject({
      command: 'hold MASTER#PAYROLL.NO_SUCH_JOB',
      outcome: 'error',
      error_code: 'TWS_NOT_FOUND',
      target_id: null,
    });
    expect(previous).toMatchObject({ verb: 'hold', outcome: 'error', error_code: 'TWS_REJECTED', target_id: done.id });
  });

  it('refuses every injection attempt with 400 and the grammar, touching neither HWA nor the record', async () => {
    const target = simulator.plan.key(simulator.plan.jobs.find((j) => j.state === 'HOLD')!);
    const recorded = (await actionLog()).total;
    simulator.resetCounts();
    const states = simulator.plan.jobs.map((j) => `${j.state}:${j.held}:${j.runs.length}`);
    for (const command of injectionCommands(target)) {
      const res = await execute(command);
      expect({ command, status: res.status }).toEqual({ command, status: 400 });
      // A NUL is refused at the edge, before the grammar is consulted.
      expect(res.body.error).toContain(command.includes('\u0000') ? 'NUL' : 'Accepted grammar: <verb> <job>');
    }
    for (const body of MALFORMED_BODIES) {
      const res = await http()
        .post('/api/execute')
        .set(WRITER)
        .send(body as object);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(simulator.requestCount()).toBe(0);
    expect(simulator.plan.jobs.map((j) => `${j.state}:${j.held}:${j.runs.length}`)).toEqual(states);
    expect((await actionLog()).total).toBe(recorded);
  });

  it('needs credentials and the write role; the record is for admins only', async () => {
    expect((await http().post('/api/execute').send({ command: 'status X' }).expect(401)).body.error).toBe(
      'Authentication required',
    );
    expect((await execute('status X', READER).expect(403)).body.error).toContain('write');
    await http().get('/api/admin/tws-actions').expect(401);
    await http().get('/api/admin/tws-actions').set(WRITER).expect(403);
    await http().get('/api/admin/tws-actions').set(READER).expect(403);
  });

  it('pages the record newest first with who, what, when and the result', async () => {
    const all = await actionLog();
    expect(all.total).toBe(all.actions.length);
    expect(all.total).toBeGreaterThanOrEqual(10);
    for (const action of all.actions) {
      expect(action).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          caller: 'ops-writer',
          caller_via: 'api-key',
          command: expect.any(String),
          outcome: expect.stringMatching(/^(ok|error)$/),
          message: expect.any(String),
        }),
      );
    }
    const times = all.actions.map((a: { executed_at: string }) => a.executed_at);
    expect([...times].sort().reverse()).toEqual(times);
    const page = await http().get('/api/admin/tws-actions?limit=3&offset=2').set(ADMIN).expect(200);
    expect(page.body).toMatchObject({ total: all.total, limit: 3, offset: 2 });
    expect(page.body.actions.map((a: { id: string }) => a.id)).toEqual(
      all.actions.slice(2, 5).map((a: { id: string }) => a.id),
    );
    await http().get('/api/admin/tws-actions?limit=0').set(ADMIN).expect(400);
    await http().get('/api/admin/tws-actions?limit=201').set(ADMIN).expect(400);
  });

  it('counts commands by verb and outcome in the metrics', async () => {
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/tws_actions_total\{verb="hold",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/tws_actions_total\{verb="hold",outcome="error"\} 2/);
    expect(metrics).toMatch(/tws_upstream_requests_total\{endpoint="job_kill",outcome="ok"\} 1/);
  });

  it('documents both endpoints in OpenAPI', async () => {
    const doc = (await http().get('/api/docs-json').expect(200)).body;
    expect(doc.paths['/api/execute'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/execute'].post.responses).toHaveProperty('400');
    expect(doc.paths['/api/admin/tws-actions'].get).toBeDefined();
  });
});
