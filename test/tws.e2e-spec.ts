import request from 'supertest';
import { ToolRegistry } from '../src/agents/tools/tool-registry';
import { TwsSimulator } from '../src/tws-simulator/tws-simulator';
import { type RunningApp, startApp } from './support/app-harness';
import { selfSignedCert, type SelfSignedCert } from './support/self-signed-cert';
import { advanceUntil, CLOCK_START, startAgainst, TWS_PASSWORD, TWS_USER } from './support/tws-app';

describe('TWS (e2e)', () => {
  describe('embedded mode: no TWS_HOST', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({});
    });
    afterAll(() => running.close());

    it('GET /api/status shows the simulated plan through the real client', async () => {
      const res = await request(running.url).get('/api/status').expect(200);
      expect(res.body.workstations).toHaveLength(6);
      expect(res.body.jobs).toHaveLength(36);
      expect(res.body.critical_jobs.length).toBeGreaterThan(0);
      expect(res.body.jobs[0]).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          workstation: expect.any(String),
          status: expect.any(String),
          job_stream: expect.any(String),
        }),
      );
      expect(res.body.critical_jobs[0]).toEqual(
        expect.objectContaining({
          job_id: expect.any(Number),
          job_name: expect.any(String),
          status: expect.any(String),
          start_time: expect.any(String),
        }),
      );
      expect(res.body.stale).toBe(false);
    });

    it('GET /api/health/tws is ok with the seed message, saying the simulator answered', async () => {
      const res = await request(running.url).get('/api/health/tws').expect(200);
      expect(res.body).toEqual({ status: 'ok', message: 'Conexão com o TWS bem-sucedida.', source: 'simulator' });
    });

    it('registers the three TWS agent tools', () => {
      const registry = running.app.get(ToolRegistry);
      for (const name of ['tws_status_tool', 'tws_troubleshooting_tool', 'tws_job_log_tool'])
        expect(registry.has(name)).toBe(true);
    });
  });

  describe('against an HWA master', () => {
    let simulator: TwsSimulator;
    let running: RunningApp;

    beforeAll(async () => {
      const clock = { now: CLOCK_START };
      simulator = await new TwsSimulator({
        seed: 42,
        clock: () => clock.now,
        user: TWS_USER,
        password: TWS_PASSWORD,
      }).start();
      // The plan moves until a job has failed, and one agent is down, so the troubleshooting answer
      // has both to name; then its clock stops.
      advanceUntil(simulator, clock, () => simulator.plan.jobs.some((j) => j.state === 'ABEND'));
      simulator.plan.setLinked(
        simulator.plan.workstations.find((w) => w.name === 'AGTETL01')!,
        false,
      );
      running = await startAgainst(simulator, {
        TWS_CACHE_TTL_SECONDS: '30',
        TWS_CIRCUIT_THRESHOLD: '1000',
        HEALTH_CHECK_TIMEOUT_MS: '500',
        // Each probe here must reach the master: the faults change between requests.
        TWS_HEALTH_CACHE_SECONDS: '0',
      });
    });
    afterAll(async () => {
      await running.close();
      await simulator.stop();
    });
    beforeEach(async () => {
      await simulator.setFault({ mode: 'none' });
    });

    it('150 concurrent GET /api/status cost one upstream read per list per TTL', async () => {
      simulator.resetCounts();
      const answers = await Promise.all(Array.from({ length: 150 }, () => request(running.url).get('/api/status')));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(simulator.requestCount('jobs.list')).toBe(1);
      expect(simulator.requestCount('workstations.list')).toBe(1);
      expect(new Set(answers.map((a) => a.body.as_of)).size).toBe(1);
      await request(running.url).get('/api/status').expect(200);
      expect(simulator.requestCount('jobs.list')).toBe(1);
    });

    it('GET /api/health/tws answers 503 with the reason', async () => {
      await request(running.url).get('/api/health/tws').expect(200);
      await simulator.setFault({ mode: 'error' });
      const res = await request(running.url).get('/api/health/tws').expect(503);
      expect(res.body.error).toContain('tws');
      expect(res.body.error).toContain('500');
      expect(res.body.requestId).toEqual(expect.any(String));
    });

    it('GET /api/health/tws answers 503 within the health timeout when HWA is slow', async () => {
      await simulator.setFault({ mode: 'slow', delayMs: 3_000 });
      const started = Date.now();
      const res = await request(running.url).get('/api/health/tws').expect(503);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(res.body.error).toContain('did not answer within 500 ms');
    });

    it('the troubleshooting tool lists failed jobs with their log tail and a next step', async () => {
      const failed = simulator.plan.jobs.find((j) => j.state === 'ABEND')!;
      const tool = running.app.get(ToolRegistry).get('tws_troubleshooting_tool')!;
      const text = await tool.run({}, { agentId: 'tws-troubleshooter' });
      expect(text).toContain(`${failed.stream.workstation.name}#${failed.stream.name}.${failed.name}`);
      expect(text).toContain('Log tail:');
      expect(text).toContain('Next step:');
      const down = simulator.plan.workstations.find((w) => !w.linked)!;
      expect(text).toContain(`${down.name} [${down.type}] is DOWN`);
    });

    it('the job log tool reads a log by conman name, and the status tool summarises', async () => {
      const ran = simulator.plan.jobs.find((j) => j.state === 'SUCC')!;
      const registry = running.app.get(ToolRegistry);
      const log = await registry
        .get('tws_job_log_tool')!
        .run({ job: simulator.plan.key(ran) }, { agentId: 'tws-troubleshooter' });
      expect(log).toContain('completed successfully');
      const summary = await registry.get('tws_status_tool')!.run({}, { agentId: 'tws-specialist' });
      expect(summary).toMatch(/Workstations: 6/);
      expect(summary).toMatch(/Jobs: 36/);
    });

    it('exposes upstream metrics by endpoint and outcome, and the circuit state', async () => {
      const res = await request(running.url).get('/metrics').expect(200);
      expect(res.text).toMatch(/tws_upstream_requests_total\{endpoint="jobs",outcome="ok"\} \d+/);
      expect(res.text).toMatch(/tws_upstream_request_duration_seconds_bucket\{le="[\d.]+",endpoint="jobs"\}/);
      expect(res.text).toMatch(/tws_circuit_state \d/);
      expect(res.text).toMatch(/cache_hits_total\{cache="tws",level="l1"\} [1-9]/);
    });
  });

  describe('while HWA is down', () => {
    let simulator: TwsSimulator;
    let running: RunningApp;

    beforeAll(async () => {
      simulator = await new TwsSimulator({
        seed: 7,
        clock: () => CLOCK_START,
        user: TWS_USER,
        password: TWS_PASSWORD,
      }).start();
      running = await startAgainst(simulator, { TWS_CACHE_TTL_SECONDS: '1' });
    });
    afterAll(async () => {
      await running.close();
      await simulator.stop();
    });

    it('serves the last good status marked stale, and fresh again once HWA is back', async () => {
      const fresh = await request(running.url).get('/api/status').expect(200);
      await simulator.setFault({ mode: 'refuse' });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const stale = await request(running.url).get('/api/status').expect(200);
      expect(stale.body).toMatchObject({ stale: true, as_of: fresh.body.as_of, jobs: fresh.body.jobs });
      expect(stale.body.stale_reason).toContain('ECONNREFUSED');
      await simulator.setFault({ mode: 'none' });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const back = await request(running.url).get('/api/status').expect(200);
      expect(back.body.stale).toBe(false);
      expect(back.body.as_of > fresh.body.as_of).toBe(true);
    });
  });
  describe('against a master with a self-signed certificate', () => {
    let cert: SelfSignedCert;
    let simulator: TwsSimulator;
    const apps: RunningApp[] = [];

    beforeAll(async () => {
      cert = selfSignedCert();
      simulator = await new TwsSimulator({
        seed: 3,
        clock: () => CLOCK_START,
        user: TWS_USER,
        password: TWS_PASSWORD,
        tls: { key: cert.key, cert: cert.cert },
      }).start();
    });
    afterAll(async () => {
      await Promise.all(apps.map((a) => a.close()));
      await simulator.stop();
      cert.dispose();
    });

    it('trusts it through TWS_CA_FILE', async () => {
      const running = await startAgainst(simulator, { TWS_PROTOCOL: 'https', TWS_CA_FILE: cert.certFile });
      apps.push(running);
      await request(running.url).get('/api/health/tws').expect(200);
      expect((await request(running.url).get('/api/status').expect(200)).body.jobs).toHaveLength(36);
    });

    it('refuses it without, and says how to fix it', async () => {
      const running = await startAgainst(simulator, { TWS_PROTOCOL: 'https' });
      apps.push(running);
      expect((await request(running.url).get('/api/health/tws').expect(503)).body.error).toContain('TWS_CA_FILE');
      const res = await request(running.url).get('/api/status').expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, error: expect.stringContaining('TLS with HWA') });
    });
  });
});
