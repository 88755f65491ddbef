import { createServer } from 'node:net';
import { Agent, request } from 'undici';
import { selfSignedCert } from '../../test/support/self-signed-cert';
import { loadConfig } from '../config/load-config';
import { startStandaloneSimulator } from './standalone';
import { TwsSimulator } from './tws-simulator';

const API = '/twsd/api/v2';
const CLOCK = Date.parse('2026-11-22T22:00:00Z');
const BASIC = `Basic ${Buffer.from('twsuser:s3cret').toString('base64')}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(TwsSimulator.name, () => {
  let now: number;
  let sut: TwsSimulator;
  const call = async (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) => {
    const res = await fetch(`${sut.url}${API}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: BASIC, ...init.headers },
      body: init.body,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
  };

  beforeEach(async () => {
    now = CLOCK;
    sut = await new TwsSimulator({
      seed: 42,
      clock: () => now,
      user: 'twsuser',
      password: 's3cret',
      apiKey: 'the-api-key',
    }).start();
  });
  afterEach(() => sut.stop());

  it('answers 401 without credentials or with wrong ones, Basic or Bearer', async () => {
    for (const authorization of [
      '',
      `Basic ${Buffer.from('twsuser:wrong').toString('base64')}`,
      'Bearer not-the-key',
      'the-api-key',
    ]) {
      expect((await call('/engine/info', { headers: { authorization } })).status).toBe(401);
    }
    expect((await call('/engine/info', { headers: { authorization: 'Bearer the-api-key' } })).status).toBe(200);
    expect((await call('/engine/info')).json()).toMatchObject({ displayVersion: expect.any(String) });
  });

  it('pages lists with limit/offset, count and next/previous links that can be followed', async () => {
    const first = (await call('/plan/job?limit=10&offset=0')).json();
    expect(first).toMatchObject({ count: 36 });
    expect(first).not.toHaveProperty('previous');
    expect(first.results).toHaveLength(10);
    const next = (await fetch(first.next, { headers: { authorization: BASIC } }).then((r) => r.json())) as {
      results: Array<{ id: string }>;
    };
    expect(next.results[0].id).not.toBe(first.results[0].id);
    const last = (await call('/plan/job?limit=10&offset=30')).json();
    expect(last.results).toHaveLength(6);
    expect(last).not.toHaveProperty('next');
    expect(last.previous).toContain('offset=20');
    const seen = new Set([...first.results, ...next.results].map((j: { id: string }) => j.id));
    expect(seen.size).toBe(20);
    expect((await call('/plan/job?limit=0')).status).toBe(400);
  });

  it('filters with OQL and refuses OQL it does not understand', async () => {
    const critical = (await call(`/plan/job?oql=${encodeURIComponent('jobOptions.critical = true')}`)).json();
    expect(critical.count).toBe(7);
    expect(critical.results.every((j: { jobOptions: { critical: boolean } }) => j.jobOptions.critical)).toBe(true);
    expect((await call(`/plan/job?oql=${encodeURIComponent('name LIKE (')}`)).status).toBe(400);
  });

  it('serves job logs as text/plain', async () => {
    const ran = sut.plan.jobs.find((j) => j.runs.length > 0)!;
    const log = await call(`/plan/job/run/${sut.plan.lastRun(ran)!.id}/joblog`);
    expect(log.status).toBe(200);
    expect(log.type).toMatch(/^text\/plain/);
    expect(log.text).toContain(sut.plan.key(ran));
  });

  it('answers 415 to an action without a JSON content type, and changes nothing', async () => {
    const job = sut.plan.jobs.find((j) => j.state === 'HOLD' && !j.held)!;
    const refused = await call(`/plan/job/${job.id}/action/hold`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(refused.status).toBe(415);
    expect((await call(`/plan/job/${job.id}/action/hold`, { method: 'PUT' })).status).toBe(415);
    expect(job.held).toBe(false);
    expect(
      (
        await call(`/plan/job/${job.id}/action/hold`, {
          method: 'PUT',
          body: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    const done = await call(`/plan/job/${job.id}/action/hold`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ id: job.id, message: expect.stringContaining('put on hold') });
    expect(job.held).toBe(true);
  });

  it('moves on with the clock: jobs run, end, and the same seed and clock give the same plan', async () => {
    const twin = new TwsSimulator({ seed: 42, clock: () => now });
    const other = new TwsSimulator({ seed: 43, clock: () => now });
    const states = (sim: TwsSimulator) =>
      sim.plan.jobs.map((j) => `${j.name}:${j.state}:${j.runs.map((r) => r.returnCode ?? '-').join('/')}`);
    expect(states(twin)).toEqual(states(sut));
    expect(states(other)).not.toEqual(states(sut));
    const before = states(sut);
    now += 60 * 5_000;
    sut.plan.sync();
    twin.plan.sync();
    expect(states(sut)).not.toEqual(before);
    expect(states(twin)).toEqual(states(sut));
  });

  it('serves the predecessors and successors of a job as HWA lists flow nodes (jobs and job streams)', async () => {
    const named = (name: string) => sut.plan.jobs.find((j) => j.name === name)!;
    const merge = (await call(`/plan/job/${named('RPT_MERGE').id}/predecessors`)).json();
    expect(merge.count).toBe(3);
    expect(merge.results.map((n: { name: string }) => n.name).sort()).toEqual([
      'RPT_FINANCE',
      'RPT_SALES',
      'RPT_STOCK',
    ]);
    expect(merge.results.every((n: { flowNodeType: string }) => n.flowNodeType === 'JOB')).toBe(true);
    expect(merge).not.toHaveProperty('next');

    const switchDate = (await call(`/plan/job/${named('EOD_SWITCH_DATE').id}/predecessors`)).json();
    expect(
      switchDate.results.map((n: { flowNodeType: string; name: string }) => `${n.flowNodeType}:${n.name}`),
    ).toEqual(['JOB:EOD_POST', 'JOBSTREAM:REPORTS']);

    // A critical chain across streams: BIL_INVOICE feeds EOD_LEDGER, which feeds EOD_RECONCILE.
    const invoice = (await call(`/plan/job/${named('BIL_INVOICE').id}/successors`)).json();
    expect(invoice.results.map((n: { key: string }) => n.key).sort()).toEqual([
      'MASTER#DAILY_BILLING.BIL_PUBLISH',
      'MASTER#EOD_CLOSE.EOD_LEDGER',
    ]);
    const deeper = (await call(`/plan/job/${named('BIL_INVOICE').id}/successors?depth=2`)).json();
    expect(deeper.results.map((n: { name: string }) => n.name)).toEqual(
      expect.arrayContaining(['BIL_PUBLISH', 'EOD_LEDGER', 'BIL_ARCHIVE', 'EOD_RECONCILE']),
    );
    expect(deeper.count).toBe(deeper.results.length);

    expect((await call('/plan/job/no-such-job/successors')).status).toBe(404);
    expect((await call(`/plan/job/${named('BIL_INVOICE').id}/successors?depth=0`)).status).toBe(400);
    expect((await call(`/plan/job/${named('BIL_INVOICE').id}/successors?depth=x`)).status).toBe(400);
  });

  it('keeps the successors of a killed job waiting while time passes', async () => {
    const running = sut.plan.jobs.find((j) => j.state === 'EXEC' && sut.plan.successors(j).jobs.length > 0)!;
    const put = { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } };
    expect((await call(`/plan/job/${running.id}/action/kill`, put)).status).toBe(200);
    now += 100 * 5_000;
    const successors = (await call(`/plan/job/${running.id}/successors`)).json();
    expect(successors.count).toBeGreaterThan(0);
    for (const node of successors.results) {
      expect(node.lastRunCompositeStatus).toMatchObject({ status: 'HOLD', substatus: 'HOLD_WAITING_FOR_PREDECESSOR' });
      expect(node.jobruns).toEqual([]);
      expect(node.dependenciesStats.numberOfUnresolvedDependencies).toBeGreaterThan(0);
    }
    expect((await call(`/plan/job/${running.id}`)).json().lastRunCompositeStatus.status).toBe('ABEND');
  });

  it('counts jobs and job streams, grouped by status or workstation, and lists job issues', async () => {
    const all = (await call('/plan/job/count')).json();
    expect(all).toEqual({ count: 36 });
    const byStatus = (await call('/plan/job/count?grouping_filters=status')).json();
    expect(Object.values(byStatus.groupedCount as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(36);
    expect(byStatus.groupedCount.SUCC).toBe(sut.plan.jobs.filter((j) => j.state === 'SUCC').length);
    const byBoth = (await call('/plan/job/count?grouping_filters=workstation,status')).json();
    expect(Object.keys(byBoth.groupedCount)).toContain(
      `${sut.plan.jobs[0].workstation.name},${sut.plan.jobs[0].state}`,
    );
    const refused = await call('/plan/job/count?grouping_filters=colour');
    expect(refused.status).toBe(400);
    expect(refused.json().message).toContain('workstation, status, folder');
    expect((await call('/plan/jobstream/count')).json()).toEqual({ count: 6 });

    const failed = sut.plan.jobs.find((j) => j.state === 'EXEC')!;
    const put = { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } };
    await call(`/plan/job/${failed.id}/action/kill`, put);
    const issues = (await call('/plan/job/issues')).json();
    expect(issues.issues).toContainEqual({
      id: failed.id,
      issueType: 'ABEND',
      issueMessage: expect.stringContaining(sut.plan.key(failed)),
    });
    const filtered = (await call(`/plan/job/issues?oql=${encodeURIComponent(`name = '${failed.name}'`)}`)).json();
    expect(filtered.issues.map((i: { id: string }) => i.id)).toEqual([failed.id]);
  });

  it('reports workstations with HCL operating systems, and their health status', async () => {
    const list = (await call('/plan/workstation')).json();
    const systems = new Set(list.results.map((w: { os: string }) => w.os));
    expect([...systems].sort()).toEqual(['LINUX', 'UNIX', 'WINDOWS']);
    const ws = sut.plan.workstations[1];
    const health = await call(`/plan/workstation/${ws.id}/action/health-status`);
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ id: ws.id, url: expect.stringContaining('/action/health-status') });
    expect((await call('/plan/workstation/nope/action/health-status')).status).toBe(404);
  });

  it('misbehaves on request: 500, slow answers, refused connections, then recovers', async () => {
    await sut.setFault({ mode: 'error' });
    expect((await call('/engine/info')).status).toBe(500);
    await sut.setFault({ mode: 'slow', delayMs: 300 });
    const started = Date.now();
    expect((await call('/engine/info')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await sut.setFault({ mode: 'refuse' });
    await expect(call('/engine/info')).rejects.toThrow();
    await sut.setFault({ mode: 'none' });
    expect((await call('/engine/info')).status).toBe(200);
  });
});

describe(startStandaloneSimulator.name, () => {
  it('serves HTTPS with the configured certificate and credentials, as `npm run tws:simulator` does', async () => {
    const cert = selfSignedCert();
    const port = await freePort();
    const config = loadConfig({
      HOST: '127.0.0.1',
      TWS_PORT: String(port),
      TWS_API_KEY: 'standalone-key',
      TWS_SIMULATOR_SEED: '9',
      TWS_SIMULATOR_JOBS: '120',
      TWS_SIMULATOR_TLS_FILES: `${cert.keyFile},${cert.certFile}`,
    });
    const simulator = await startStandaloneSimulator(config);
    const dispatcher = new Agent({ connect: { ca: cert.cert } });
    try {
      expect(simulator.url).toBe(`https://127.0.0.1:${port}`);
      const res = await request(`${simulator.url}${API}/plan/job?limit=1`, {
        dispatcher,
        headers: { authorization: 'Bearer standalone-key' },
      });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { count: number }).count).toBe(120);
      const denied = await request(`${simulator.url}${API}/engine/info`, { dispatcher });
      await denied.body.dump();
      expect(denied.statusCode).toBe(401);
    } finally {
      await dispatcher.close();
      await simulator.stop();
      cert.dispose();
    }
  });
});
