import { createHmac } from 'node:crypto';
import request from 'supertest';
import type { SimJob } from '../src/tws-simulator/simulated-plan';
import { TwsSimulator } from '../src/tws-simulator/tws-simulator';
import type { RunningApp } from './support/app-harness';
import { ChatClient } from './support/chat-client';
import { eventually } from './support/eventually';
import { SseClient } from './support/sse-client';
import { CLOCK_START, startAgainst, TWS_PASSWORD, TWS_USER } from './support/tws-app';
import { WebhookReceiver } from './support/webhook-receiver';

const WRITER = { 'X-API-Key': 'ka_watch_writer1' };
const READER = { 'X-API-Key': 'ka_watch_reader1' };
const KEYS = {
  ka_watch_writer1: { caller: 'night-operator', roles: ['read', 'write'] },
  ka_watch_reader1: { caller: 'wallboard', roles: ['read'] },
};
const SECRET = 'watch-webhook-secret-0123456789';

interface IncidentBody {
  id: string;
  kind: string;
  object: string;
  status: string;
  summary: string;
  log_tail: string | null;
  impact: { blocked_jobs: string[]; critical_jobs: unknown[] };
  memories: { id: string; content: string; status: string }[];
  next_step: string;
  resolved_by: string | null;
}

describe('Incident watch (e2e, living simulator)', () => {
  let simulator: TwsSimulator;
  let running: RunningApp;
  let receiver: WebhookReceiver;
  const http = () => request(running.url);
  const key = (job: SimJob) => simulator.plan.key(job);
  const incidents = async (query = 'status=all&limit=200'): Promise<IncidentBody[]> =>
    (await http().get(`/api/incidents?${query}`).set(READER).expect(200)).body.results as IncidentBody[];
  const incidentOf = async (kind: string, object: string, status = 'open') =>
    (await incidents(`status=${status}&kind=${kind}&limit=200`)).filter((i) => i.object === object);
  /** A run ends as a real one would (the simulator's clock is fixed: the plan moves only when told). */
  const endRun = (job: SimJob, state: 'SUCC' | 'ABEND', returnCode: number) => {
    const run = simulator.plan.lastRun(job)!;
    run.state = state;
    run.startedAt ??= CLOCK_START;
    run.endedAt = CLOCK_START;
    run.returnCode = returnCode;
    job.state = state;
  };

  beforeAll(async () => {
    receiver = await new WebhookReceiver(2).start();
    simulator = await new TwsSimulator({
      seed: 42,
      clock: () => CLOCK_START,
      user: TWS_USER,
      password: TWS_PASSWORD,
    }).start();
    running = await startAgainst(simulator, {
      A2A_API_KEYS: JSON.stringify(KEYS),
      WATCH_ENABLED: 'true',
      WATCH_INTERVAL_SECONDS: '0.2',
      TWS_CACHE_TTL_SECONDS: '1',
      WATCH_WEBHOOK_URL: receiver.url,
      WATCH_WEBHOOK_SECRET: SECRET,
      WATCH_WEBHOOK_RETRY_BASE_MS: '20',
    });
  });
  afterAll(async () => {
    await running?.close();
    await simulator?.stop();
    await receiver?.stop();
  });

  it('on the first pass opens one job_abend incident per job already failed, enriched', async () => {
    const failed = simulator.plan.jobs.filter((j) => j.state === 'ABEND');
    expect(failed.length).toBeGreaterThan(0);
    const open = await eventually(async () => {
      const found = await incidents('status=open&kind=job_abend&limit=200');
      return found.length >= failed.length ? found : undefined;
    });
    expect(open.map((i) => i.object).sort()).toEqual(failed.map(key).sort());
    const first = open.find((i) => i.object === key(failed[0]))!;
    expect(first.summary).toContain(key(failed[0]));
    expect(first.summary).toContain('ABEND');
    expect(first.log_tail).toContain('Exit Status');
    expect(first.next_step.length).toBeGreaterThan(10);
  });

  it('a job killed through /api/execute opens exactly one job_abend incident, pushed to chats and the SSE feed; a successful rerun closes it', async () => {
    const chat = await ChatClient.open(running.url, '/ws/tws-troubleshooter', WRITER);
    const feed = await SseClient.open(`${running.url}/api/incidents/stream`, READER);
    try {
      await killedAndRecovered(chat, feed);
    } finally {
      chat.close();
      feed.stop();
    }
  });

  async function killedAndRecovered(chat: ChatClient, feed: SseClient): Promise<void> {
    expect(feed.status).toBe(200);
    const job = simulator.plan.jobs.find(
      (j) => j.state === 'EXEC' && j.stream.jobs.some((s) => s.position > j.position),
    )!;
    const successor = job.stream.jobs.find((s) => s.position === job.position + 1)!;

    await http()
      .post('/api/execute')
      .set(WRITER)
      .send({ command: `kill ${key(job)}` })
      .expect(200);
    const frame = await chat.waitFor((f) => f.type === 'info' && f.message.includes(key(job)));
    const pushed = (frame as unknown as { incident: IncidentBody }).incident;
    expect(frame).toMatchObject({ sender: 'system', message: pushed.summary });
    expect(pushed).toMatchObject({ kind: 'job_abend', object: key(job), status: 'open' });
    expect(pushed.log_tail).toContain('killed by operator');
    expect(pushed.impact.blocked_jobs).toContain(key(successor));
    expect(pushed.next_step).toMatch(/operator killed the job/i);
    const opened = await feed.waitFor((e) => e.event === 'opened' && e.data.includes(pushed.id));
    expect(JSON.parse(opened.data)).toMatchObject({ id: pushed.id, kind: 'job_abend' });

    // Passes go on: still exactly one incident for the job, the rerun on its way keeps it open.
    await http()
      .post('/api/execute')
      .set(WRITER)
      .send({ command: `rerun ${key(job)}` })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await incidentOf('job_abend', key(job), 'all')).toHaveLength(1);
    expect((await incidentOf('job_abend', key(job)))[0].id).toBe(pushed.id);

    endRun(job, 'SUCC', 0);
    const closed = await feed.waitFor((e) => e.event === 'closed' && e.data.includes(pushed.id));
    expect(JSON.parse(closed.data)).toMatchObject({ status: 'resolved', resolved_by: 'recovered' });
    await chat.waitFor(
      (f) => f.type === 'info' && f.message.startsWith('Resolved (recovered)') && f.message.includes(key(job)),
    );
    const again = (await http().get(`/api/incidents/${pushed.id}`).set(READER).expect(200)).body;
    expect(again).toMatchObject({ status: 'resolved', resolved_by: 'recovered' });
  }

  it('an unlinked workstation opens one workstation_down incident and its link closes it', async () => {
    const ws = simulator.plan.workstations.find((w) => w.type === 'FTA' && w.linked)!;
    simulator.plan.setLinked(ws, false);
    const [incident] = await eventually(async () => {
      const found = await incidentOf('workstation_down', ws.name);
      return found.length > 0 ? found : undefined;
    });
    expect(incident.summary).toContain(`Workstation ${ws.name}`);
    expect(incident.next_step).toMatch(/link/);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await incidentOf('workstation_down', ws.name, 'all')).toHaveLength(1);

    simulator.plan.setLinked(ws, true);
    const closed = await eventually(async () => {
      const body = (await http().get(`/api/incidents/${incident.id}`).set(READER).expect(200)).body as IncidentBody;
      return body.status === 'resolved' ? body : undefined;
    });
    expect(closed.resolved_by).toBe('recovered');
  });

  it('acknowledge and resolve: roles, statuses, a note the next incident of the same job brings', async () => {
    const job = simulator.plan.jobs.find(
      (j) => j.state === 'ABEND' && !j.stream.held && simulator.plan.lastRun(j) !== undefined,
    )!;
    const [incident] = await eventually(async () => {
      const found = await incidentOf('job_abend', key(job));
      return found.length > 0 ? found : undefined;
    });

    await http().post(`/api/incidents/${incident.id}/acknowledge`).set(READER).expect(403);
    await http().post('/api/incidents/not-a-uuid/acknowledge').set(WRITER).expect(400);
    await http().get('/api/incidents/7d4f5f0c-9b7e-4a57-9d0b-3f7a3c2a1b00').set(READER).expect(404);
    await http().get('/api/incidents?status=everything').set(READER).expect(400);
    const acked = (await http().post(`/api/incidents/${incident.id}/acknowledge`).set(WRITER).expect(200)).body;
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledged_by: 'night-operator' });
    expect(Date.parse(acked.acknowledged_at)).not.toBeNaN();

    const note = 'The input file from the bank arrived late: reran after the transfer ZEBRA-42 landed.';
    const resolved = (await http().post(`/api/incidents/${incident.id}/resolve`).set(WRITER).send({ note }).expect(200))
      .body;
    expect(resolved).toMatchObject({ status: 'resolved', resolved_by: 'night-operator', resolution_note: note });
    expect(resolved.resolution_memory_id).toEqual(expect.any(String));
    await http().post(`/api/incidents/${incident.id}/resolve`).set(WRITER).send({ note }).expect(409);

    // Resolved while still failing: no new incident for the same failed run.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await incidentOf('job_abend', key(job), 'all')).toHaveLength(1);

    // The same job fails again (a new run): the new incident brings the note.
    await http()
      .post('/api/execute')
      .set(WRITER)
      .send({ command: `rerun ${key(job)}` })
      .expect(200);
    endRun(job, 'ABEND', 12);
    const next = await eventually(async () => {
      const found = (await incidentOf('job_abend', key(job))).filter((i) => i.id !== incident.id);
      return found.length > 0 ? found[0] : undefined;
    });
    expect(next.memories[0]).toMatchObject({ id: resolved.resolution_memory_id });
    expect(next.memories[0].content).toContain('ZEBRA-42');
  });

  it('"what is broken right now?" is answered from the open incidents', async () => {
    const open = await incidents('status=open&limit=200');
    const chat = await ChatClient.open(running.url, '/ws/tws-troubleshooter', WRITER);
    const answer = (await chat.ask('what is broken right now?')).at(-1)!;
    expect(answer.message).toContain('[list_incidents]');
    expect(answer.message).toContain(open[0].object);
    chat.close();
  });

  it('the webhook receiver gets every incident, signed, despite failing the first tries', async () => {
    const all = await incidents();
    const seen = await eventually(() => {
      const opened = new Set(
        receiver.accepted
          .map((hook) => JSON.parse(hook.body) as { event: string; incident: { id: string } })
          .filter((body) => body.event === 'opened')
          .map((body) => body.incident.id),
      );
      return all.every((incident) => opened.has(incident.id)) ? opened : undefined;
    }, 20_000);
    expect(seen.size).toBeGreaterThanOrEqual(all.length);
    expect(receiver.refused).toBeGreaterThanOrEqual(2 * all.length);
    for (const hook of receiver.accepted) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`;
      expect(hook.headers['x-resync-signature']).toBe(expected);
    }
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/resync_incidents_opened_total\{kind="job_abend"\} \d+/);
    expect(metrics).toMatch(/resync_webhook_deliveries_total\{target="webhook",outcome="retry"\} \d+/);
    expect(metrics).toMatch(/resync_incident_ack_seconds_count 1/);
  });
});
