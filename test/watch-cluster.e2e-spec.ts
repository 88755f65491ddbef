import request from 'supertest';
import { TwsSimulator } from '../src/tws-simulator/tws-simulator';
import { IncidentWatcher } from '../src/watch/incident-watcher';
import type { RunningApp } from './support/app-harness';
import { eventually } from './support/eventually';
import { createServerDatabase, type ServerDatabase } from './support/server-database';
import { testEnv } from './support/test-env';
import { advanceUntil, CLOCK_START, startAgainst, TWS_PASSWORD, TWS_USER } from './support/tws-app';

const serverUrl = testEnv.DATABASE_URL;
if (!serverUrl) console.warn('DATABASE_URL is not set: the two-instance incident watch test is skipped.');
const describeWithServer = serverUrl ? describe : describe.skip;

interface Listed {
  object: string;
  kind: string;
}

describeWithServer('Incident watch on two instances sharing one PostgreSQL (e2e)', () => {
  let simulator: TwsSimulator;
  let server: ServerDatabase;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    server = await createServerDatabase(serverUrl!);
    const clock = { now: CLOCK_START };
    simulator = await new TwsSimulator({
      seed: 7,
      clock: () => clock.now,
      user: TWS_USER,
      password: TWS_PASSWORD,
    }).start();
    // The plan moves until a job has failed; then its clock stops.
    advanceUntil(simulator, clock, () => simulator.plan.jobs.some((j) => j.state === 'ABEND'));
    const env = {
      DATABASE_URL: server.url,
      WATCH_ENABLED: 'true',
      WATCH_INTERVAL_SECONDS: '0.2',
      TWS_CACHE_TTL_SECONDS: '1',
    };
    // Started together, so both race for the leadership and for the first incidents.
    apps.push(...(await Promise.all([startAgainst(simulator, env), startAgainst(simulator, env)])));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await simulator?.stop();
    await server?.drop();
  });

  const list = async (app: RunningApp): Promise<Listed[]> =>
    (await request(app.url).get('/api/incidents?status=all&limit=200').expect(200)).body.results as Listed[];

  it('one instance leads; each broken thing gets exactly one incident; the other takes over when the leader stops', async () => {
    const failed = simulator.plan.jobs.filter((j) => j.state === 'ABEND').map((j) => simulator.plan.key(j));
    expect(failed.length).toBeGreaterThan(0);
    const seen = await eventually(async () => {
      const found = await list(apps[0]);
      return failed.every((key) => found.some((i) => i.object === key)) ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const keys = (await list(apps[1])).map((i) => `${i.kind} ${i.object}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(seen.length).toBeLessThanOrEqual(keys.length);

    const leaders = apps.map((app) => app.app.get(IncidentWatcher).leading);
    expect(leaders.filter(Boolean)).toHaveLength(1);
    const [leader, follower] = leaders[0] ? [apps[0], apps[1]] : [apps[1], apps[0]];
    await leader.close();
    apps.splice(apps.indexOf(leader), 1);

    const ws = simulator.plan.workstations.find((w) => w.type === 'AGENT' && w.linked)!;
    simulator.plan.setLinked(ws, false);
    await eventually(async () => ((await list(follower)).some((i) => i.object === ws.name) ? true : undefined));
    expect(follower.app.get(IncidentWatcher).leading).toBe(true);
    expect((await list(follower)).filter((i) => i.object === ws.name)).toHaveLength(1);
  });
});
