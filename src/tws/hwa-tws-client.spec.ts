import { TwsSimulator } from '../tws-simulator/tws-simulator';
import { type HwaClientOptions, HwaTwsClient, type TwsClientObserver, type UpstreamOutcome } from './hwa-tws-client';
import { rejection } from '../../test/support/rejection';
import { TwsError } from './tws.errors';

const OPTIONS: HwaClientOptions = {
  timeoutMs: 2_000,
  retryAttempts: 3,
  retryBaseDelayMs: 5,
  circuitThreshold: 5,
  circuitResetMs: 60_000,
  pageSize: 1000,
  maxPlanObjects: 100_000,
};

class RecordingObserver implements TwsClientObserver {
  readonly calls: Array<{ endpoint: string; outcome: UpstreamOutcome }> = [];
  readonly states: string[] = [];
  call(endpoint: string, outcome: UpstreamOutcome): void {
    this.calls.push({ endpoint, outcome });
  }
  circuit(state: string): void {
    this.states.push(state);
  }
}

const twsRejection = (promise: Promise<unknown>) => rejection(promise, TwsError);

describe(HwaTwsClient.name, () => {
  let now: number;
  let simulator: TwsSimulator;
  const clients: HwaTwsClient[] = [];
  const newClient = (
    over: Partial<HwaClientOptions> = {},
    credentials: Record<string, string> = { user: 'twsuser', password: 's3cret' },
    observer?: TwsClientObserver,
  ) => {
    const client = new HwaTwsClient(
      { baseUrl: simulator.url, credentials, verifyTls: true },
      { ...OPTIONS, ...over },
      observer,
    );
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    now = Date.parse('2026-11-22T22:00:00Z');
    simulator = await new TwsSimulator({
      seed: 42,
      clock: () => now,
      stepMs: 5_000,
      user: 'twsuser',
      password: 's3cret',
      apiKey: 'api-key-1',
    }).start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await simulator.stop();
  });

  it('reads the whole plan over HTTP and maps it to the seed models', async () => {
    const sut = newClient();
    const status = await sut.getSystemStatus();
    expect(status.workstations.map((w) => w.name).sort()).toEqual([
      'AGTDB01',
      'AGTETL01',
      'LNXFTA01',
      'MASTER',
      'POOLBATCH',
      'WINFTA01',
    ]);
    expect(status.jobs).toHaveLength(36);
    expect(status.critical_jobs.map((c) => c.job_name).sort()).toEqual([
      'BIL_INVOICE',
      'BIL_PUBLISH',
      'BIL_RATE',
      'EOD_LEDGER',
      'EOD_RECONCILE',
      'PAY_BANK_FILE',
      'PAY_CALC',
    ]);
    const simJob = simulator.plan.jobs[0];
    expect(status.jobs.find((j) => j.id === simJob.id)).toMatchObject({
      name: simJob.name,
      status: simJob.state,
      job_stream: simJob.stream.name,
    });
    expect(simulator.requestCount('workstations.list')).toBe(1);
    expect(simulator.requestCount('jobs.list')).toBe(1);
  });

  it('authenticates with a Bearer API key too', async () => {
    const info = await newClient({}, { apiKey: 'api-key-1' }).checkConnection();
    expect(info).toEqual({ version: '10.2.3', timezone: 'UTC' });
  });

  it('pages through limit/offset until the plan is read whole', async () => {
    const jobs = await newClient({ pageSize: 5 }).getJobsStatus();
    expect(jobs).toHaveLength(36);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(36);
    expect(simulator.requestCount('jobs.list')).toBe(8);
  });

  it('filters by conman name with OQL', async () => {
    const jobs = await newClient().getJobsStatus({ workstation: 'MASTER', jobStream: 'PAYROLL', name: 'PAY_CALC' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      name: 'PAY_CALC',
      job_stream: 'PAYROLL',
      job_stream_workstation: 'MASTER',
      critical: true,
    });
  });

  it('reads what a job waits for and what waits for it, across job streams', async () => {
    const sut = newClient();
    const named = (name: string) => simulator.plan.jobs.find((j) => j.name === name)!;
    const ledger = await sut.getJobPredecessors(named('EOD_LEDGER').id);
    expect(ledger.jobs.map((j) => `${j.job_stream}.${j.name}`).sort()).toEqual([
      'DAILY_BILLING.BIL_INVOICE',
      'EOD_CLOSE.EOD_CHECK_FEEDS',
    ]);
    expect(ledger.job_streams).toEqual([]);
    const invoice = named('BIL_INVOICE');
    expect(ledger.jobs.find((j) => j.name === 'BIL_INVOICE')).toMatchObject({
      id: invoice.id,
      status: invoice.state,
      critical: true,
    });

    const switchDate = await sut.getJobPredecessors(named('EOD_SWITCH_DATE').id);
    expect(switchDate.job_streams).toEqual([
      expect.objectContaining({ name: 'REPORTS', workstation: 'LNXFTA01', id: simulator.plan.streams[4].id }),
    ]);

    const successors = await sut.getJobSuccessors(named('PAY_BANK_FILE').id);
    expect(successors.jobs.map((j) => j.name).sort()).toEqual(['EOD_RECONCILE', 'PAY_NOTIFY']);
    expect(successors.job_streams).toEqual([]);
    expect(simulator.requestCount('job.predecessors')).toBe(2);
    expect(simulator.requestCount('job.successors')).toBe(1);

    const missing = await twsRejection(sut.getJobSuccessors('no-such-job'));
    expect(missing.code).toBe('TWS_NOT_FOUND');
  });

  it('reads a job log as text', async () => {
    const ran = simulator.plan.jobs.find((j) => j.runs.length > 0)!;
    const log = await newClient().getJobLog(ran.runs[0].id);
    expect(log).toContain(`= JOB       : ${simulator.plan.key(ran)}`);
    expect(log).toContain(`= Job Number: ${ran.runs[0].jobNumber}`);
  });

  it('holds, releases, kills, cancels and reruns, changing the plan as HWA would', async () => {
    const sut = newClient();
    const waiting = simulator.plan.jobs.find((j) => j.state === 'HOLD' && !j.held)!;
    await sut.jobAction(waiting.id, 'hold');
    expect(await sut.getJob(waiting.id)).toMatchObject({ status: 'HOLD' });
    expect(waiting.held).toBe(true);
    await sut.jobAction(waiting.id, 'release');
    expect(waiting.held).toBe(false);

    const running = simulator.plan.jobs.find((j) => j.state === 'EXEC')!;
    await sut.jobAction(running.id, 'kill');
    const killed = await sut.getJob(running.id);
    expect(killed).toMatchObject({ status: 'ABEND', return_code: -1 });

    const rerun = await sut.rerunJob(killed.run_id!);
    expect(rerun.id).not.toBe(killed.run_id);
    expect(await sut.getJob(running.id)).toMatchObject({ status: 'READY', run_id: rerun.id });

    const other = simulator.plan.jobs.find((j) => j.state === 'HOLD' && j !== waiting)!;
    await sut.jobAction(other.id, 'cancel');
    expect(other.state).toBe('CANCL');
  });

  it('acts on a job stream', async () => {
    const sut = newClient();
    const [stream] = await sut.getJobStreamsByName('MASTER', 'PAYROLL');
    await sut.jobStreamAction(stream.id, 'hold');
    expect(simulator.plan.stream(stream.id)!.held).toBe(true);
    await sut.jobStreamAction(stream.id, 'release');
    expect(simulator.plan.stream(stream.id)!.held).toBe(false);
  });

  it('maps HWA refusals: 400 with HWA message, 404, 401 (never retried)', async () => {
    const sut = newClient();
    const done = simulator.plan.jobs.find((j) => j.state === 'SUCC')!;
    const refused = await twsRejection(sut.jobAction(done.id, 'hold'));
    expect(refused).toMatchObject({ code: 'TWS_REJECTED', kind: 'conflict' });
    expect(refused.message).toContain('cannot be held');
    expect(await twsRejection(sut.getJob('no-such-job'))).toMatchObject({ code: 'TWS_NOT_FOUND', kind: 'not_found' });

    const observer = new RecordingObserver();
    const denied = await twsRejection(
      newClient({}, { user: 'twsuser', password: 'wrong' }, observer).checkConnection(),
    );
    expect(denied).toMatchObject({ code: 'TWS_UNAUTHORIZED' });
    expect(denied.message).toContain('TWS_USER/TWS_PASSWORD');
    expect(observer.calls).toEqual([{ endpoint: 'engine_info', outcome: 'client_error' }]);
  });

  it('retries reads on 500 with backoff, then reports an upstream failure', async () => {
    const observer = new RecordingObserver();
    const sut = newClient({}, undefined, observer);
    await simulator.setFault({ mode: 'error' });
    const error = await twsRejection(sut.checkConnection());
    expect(error).toMatchObject({ code: 'TWS_UPSTREAM', kind: 'upstream' });
    expect(observer.calls.filter((c) => c.outcome === 'server_error')).toHaveLength(3);
  });

  it('never retries an action', async () => {
    const observer = new RecordingObserver();
    const sut = newClient({}, undefined, observer);
    const job = simulator.plan.jobs.find((j) => j.state === 'HOLD')!;
    await simulator.setFault({ mode: 'error' });
    await twsRejection(sut.jobAction(job.id, 'hold'));
    expect(observer.calls).toEqual([{ endpoint: 'job_hold', outcome: 'server_error' }]);
  });

  it('opens the circuit after consecutive failures and fails fast without calling HWA', async () => {
    const observer = new RecordingObserver();
    const sut = newClient({ retryAttempts: 1, circuitThreshold: 2 }, undefined, observer);
    await simulator.setFault({ mode: 'error' });
    await twsRejection(sut.checkConnection());
    await twsRejection(sut.checkConnection());
    expect(observer.states).toContain('open');
    const upstreamCalls = observer.calls.length;
    const error = await twsRejection(sut.checkConnection());
    expect(error).toMatchObject({ code: 'TWS_CIRCUIT_OPEN', kind: 'unavailable' });
    expect(error.message).toContain('HWA failed');
    expect(observer.calls.slice(upstreamCalls)).toEqual([{ endpoint: 'engine_info', outcome: 'circuit_open' }]);
  });

  it('times out a slow master', async () => {
    const sut = newClient({ timeoutMs: 150, retryAttempts: 1 });
    await simulator.setFault({ mode: 'slow', delayMs: 1_000 });
    const error = await twsRejection(sut.checkConnection());
    expect(error).toMatchObject({ code: 'TWS_TIMEOUT', kind: 'timeout' });
    expect(error.message).toContain('150 ms');
  });

  it('reports a refused connection as unreachable, and recovers when HWA is back', async () => {
    const sut = newClient({ retryAttempts: 1 });
    await simulator.setFault({ mode: 'refuse' });
    const error = await twsRejection(sut.checkConnection());
    expect(error).toMatchObject({ code: 'TWS_UNREACHABLE', kind: 'unavailable' });
    expect(error.message).toContain('ECONNREFUSED');
    await simulator.setFault({ mode: 'none' });
    await expect(sut.checkConnection()).resolves.toMatchObject({ version: '10.2.3' });
  });

  it('moves on with the clock, deterministically for a seed', async () => {
    const twin = await new TwsSimulator({ seed: 42, clock: () => now, stepMs: 5_000 }).start();
    try {
      const other = new HwaTwsClient({ baseUrl: twin.url, credentials: {}, verifyTls: true }, OPTIONS);
      clients.push(other);
      const strip = (jobs: Array<{ name: string; status: string }>) => jobs.map((j) => `${j.name}:${j.status}`);
      expect(strip(await other.getJobsStatus())).toEqual(strip(await newClient().getJobsStatus()));
      const before = strip(await other.getJobsStatus());
      now += 50 * 5_000;
      expect(strip(await other.getJobsStatus())).not.toEqual(before);
      expect(strip(await other.getJobsStatus())).toEqual(strip(await newClient().getJobsStatus()));
    } finally {
      await twin.stop();
    }
  });
});
