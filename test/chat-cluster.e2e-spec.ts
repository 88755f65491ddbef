import { IConnectionManager } from '../src/chat/connection-manager.port';
import { type RunningApp, startApp } from './support/app-harness';
import { agentsFile } from './support/agents-file';
import { ChatClient } from './support/chat-client';
import { testEnv } from './support/test-env';

const redisUrl = testEnv.REDIS_URL;
if (!redisUrl) console.warn('REDIS_URL is not set: the two-instance WebSocket broadcast tests are skipped.');
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('WebSocket broadcast across two instances sharing one Redis (e2e)', () => {
  let a: RunningApp;
  let b: RunningApp;
  const prefix = `resync-ws-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    const agents = await agentsFile();
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, AGENTS_CONFIG_PATH: agents.path };
    a = await startApp(env);
    b = await startApp(env);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a client on instance A receives what instance B broadcasts, once; local broadcasts stay local', async () => {
    const onA = await ChatClient.open(a.url, '/ws/tws-specialist');
    const onB = await ChatClient.open(b.url, '/ws/tws-troubleshooter');
    await onA.waitFor((f) => f.type === 'info');
    await onB.waitFor((f) => f.type === 'info');

    await b.app
      .get<IConnectionManager>(IConnectionManager)
      .broadcastJson({ type: 'info', sender: 'system', message: 'PAYROLL01 ABEND' });
    await onA.waitFor((f) => f.message === 'PAYROLL01 ABEND');
    await onB.waitFor((f) => f.message === 'PAYROLL01 ABEND');

    await a.app
      .get<IConnectionManager>(IConnectionManager)
      .broadcast(JSON.stringify({ type: 'info', sender: 'system', message: 'only A' }), 'local');
    await onA.waitFor((f) => f.message === 'only A');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onA.frames.filter((f) => f.message === 'PAYROLL01 ABEND')).toHaveLength(1);
    expect(onB.frames.some((f) => f.message === 'only A')).toBe(false);

    // Chat itself works on both instances.
    expect((await onB.ask('falhas?')).at(-1)).toMatchObject({ is_final: true });

    // connect/disconnect: a closed socket leaves its instance's set and gets nothing more.
    const managerA = a.app.get<IConnectionManager>(IConnectionManager);
    expect(managerA.size).toBe(1);
    onA.close();
    await onA.closed;
    const deadline = Date.now() + 2_000;
    while (managerA.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(managerA.size).toBe(0);
    await managerA.broadcast(JSON.stringify({ type: 'info', sender: 'system', message: 'after A left' }));
    await onB.waitFor((f) => f.message === 'after A left');
    expect(onA.frames.some((f) => f.message === 'after A left')).toBe(false);
    onB.close();
  });
});
