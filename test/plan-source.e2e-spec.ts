import request from 'supertest';
import { TwsSimulator } from '../src/tws-simulator/tws-simulator';
import { type RunningApp, startApp } from './support/app-harness';
import { ChatClient } from './support/chat-client';
import { CLOCK_START, startAgainst, TWS_PASSWORD, TWS_USER } from './support/tws-app';

const SEED_HEALTH_MESSAGE = 'Conexão com o TWS bem-sucedida.';
/** Said wherever a simulated plan is shown (English or Portuguese). */
const SIMULATED = /simula[td]/i;

async function firstInfoFrame(url: string): Promise<string> {
  const chat = await ChatClient.open(url, '/ws/tws-specialist');
  try {
    return (await chat.waitFor((f) => f.type === 'info')).message;
  } finally {
    chat.close();
  }
}

/**
 * "Simulated is never mistaken for real": the source of the plan is on every answer that shows
 * it, and /api/health/tws is a cheap, rate-limited probe.
 */
describe('Where the plan comes from (e2e)', () => {
  describe('the built-in simulator (TWS_HOST unset)', () => {
    let running: RunningApp;
    const http = () => request(running.url);

    beforeAll(async () => {
      running = await startApp({ TWS_SIMULATOR_STEP_MS: '3600000', RATE_LIMIT_RPS: '0.01', RATE_LIMIT_BURST: '30' });
    });
    afterAll(() => running.close());

    it('GET /api/status and GET /api/health/tws say source "simulator", keeping the seed fields', async () => {
      const status = await http().get('/api/status').expect(200);
      expect(status.body).toMatchObject({
        source: 'simulator',
        workstations: expect.any(Array),
        jobs: expect.any(Array),
        critical_jobs: expect.any(Array),
      });
      const health = await http().get('/api/health/tws').expect(200);
      expect(health.body).toEqual({ status: 'ok', message: SEED_HEALTH_MESSAGE, source: 'simulator' });
    });

    it('the dashboard data and both pages carry a simulated-plan banner', async () => {
      const summary = await http().get('/api/dashboard/summary').expect(200);
      expect(summary.body.tws).toMatchObject({ available: true, source: 'simulator' });
      for (const page of ['/api/dashboard', '/dashboard', '/revisao']) {
        const html = (await http().get(page).expect(200)).text;
        const banner = /<[^>]+data-plan-source="simulator"[^>]*>([^<]+)</.exec(html);
        expect(banner?.[1]).toMatch(SIMULATED);
        expect(banner?.[0]).toContain('role="alert"');
      }
    });

    it("the chat's first info frame and an answer built on the plan say it is simulated", async () => {
      expect(await firstInfoFrame(running.url)).toMatch(SIMULATED);
      const chat = await ChatClient.open(running.url, '/ws/tws-specialist');
      try {
        await chat.waitFor((f) => f.type === 'info');
        const answer = (await chat.ask("What's the status of the TWS system?")).at(-1)!;
        expect(answer).toMatchObject({ type: 'message', is_final: true });
        expect(answer.message).toMatch(/Simulated plan: .*not .*HWA master/);
      } finally {
        chat.close();
      }
      const query = await http().post('/api/query').send({ question: 'status of the TWS plan' }).expect(200);
      expect(query.body.answer).toMatch(/Simulated plan: /);
    });

    it('GET /api/health/tws is rate limited like every other costly route', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 35; i++) answers.push((await http().get('/api/health/tws')).status);
      expect(answers).toContain(429);
      const limited = await http().get('/api/health/tws').expect(429);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect(limited.body.error).toBe('Rate limit exceeded. Please try again later.');
    });
  });

  describe('a real HWA master (TWS_HOST set)', () => {
    let simulator: TwsSimulator;
    let running: RunningApp;
    const http = () => request(running.url);

    beforeAll(async () => {
      simulator = await new TwsSimulator({
        seed: 42,
        clock: () => CLOCK_START,
        user: TWS_USER,
        password: TWS_PASSWORD,
      }).start();
      running = await startAgainst(simulator, {
        TWS_HEALTH_CACHE_SECONDS: '30',
        TWS_CACHE_TTL_SECONDS: '30',
        DASHBOARD_CACHE_SECONDS: '0',
      });
    });
    afterAll(async () => {
      await running.close();
      await simulator.stop();
    });

    it('says source "hwa" and shows no banner', async () => {
      expect((await http().get('/api/status').expect(200)).body.source).toBe('hwa');
      expect((await http().get('/api/health/tws').expect(200)).body.source).toBe('hwa');
      expect((await http().get('/api/dashboard/summary').expect(200)).body.tws.source).toBe('hwa');
      for (const page of ['/api/dashboard', '/revisao'])
        expect((await http().get(page).expect(200)).text).not.toContain('data-plan-source');
      expect(await firstInfoFrame(running.url)).not.toMatch(SIMULATED);
    });

    it('GET /api/health/tws answers from a short cache: 50 probes cost one call to the master', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      simulator.resetCounts();
      const answers = await Promise.all(Array.from({ length: 25 }, () => http().get('/api/health/tws')));
      for (let i = 0; i < 25; i++) answers.push(await http().get('/api/health/tws'));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(simulator.requestCount('engine.info')).toBeLessThanOrEqual(1);
      expect(simulator.requestCount()).toBe(simulator.requestCount('engine.info'));
    });

    it('the dashboard reads the plan through the TWS cache: with /api/status fresh, no extra call to the master', async () => {
      await http().get('/api/status').expect(200);
      simulator.resetCounts();
      const summary = await http().get('/api/dashboard/summary').expect(200);
      expect(summary.body.tws.jobs.total).toBeGreaterThan(0);
      expect(simulator.requestCount()).toBe(0);
    });
  });
});
