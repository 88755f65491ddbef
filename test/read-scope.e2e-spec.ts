import request from 'supertest';
import { type RunningApp, startApp } from './support/app-harness';
import { slackHeaders } from './support/slack-signing';

/**
 * One rule per question: whose memories a read may see is decided once (`readScope`), the same for
 * knowledge search, /api/query and the chat. Only a caller the Slack bridge vouches for — the
 * internal token with X-Slack-User-Id, or a Slack signature over the body — speaks for a Slack
 * user or channel; an API key sees the shared memories, whatever the request names.
 */
const INTERNAL_TOKEN = 'read-scope-bridge-token-0123456789';
const SLACK_SECRET = 'read-scope-slack-signing-secret';
const API_KEY = 'ka_scope_reader';
const WORD = 'platypusfix';
const ALICE = 'U01ALICE';
const CHANNEL = 'C0ALICE';

const bridge = (user?: string) => ({ 'X-Internal-Token': INTERNAL_TOKEN, ...(user && { 'X-Slack-User-Id': user }) });
const apiKey = (user?: string) => ({ 'X-API-Key': API_KEY, ...(user && { 'X-Slack-User-Id': user }) });

async function boot(scope: 'user' | 'channel'): Promise<RunningApp> {
  const running = await startApp({
    KNOWLEDGE_SCOPE: scope,
    INTERNAL_AUTH_TOKEN: INTERNAL_TOKEN,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    A2A_API_KEYS: JSON.stringify({ [API_KEY]: 'scope-reader' }),
    RATE_LIMIT_RPS: '100000',
    RATE_LIMIT_BURST: '100000',
  });
  // Alice's thread, in her channel: under KNOWLEDGE_SCOPE=user hers, under channel the channel's.
  await request(running.url)
    .post('/api/ingest-thread')
    .set(bridge(ALICE))
    .send({
      thread_ts: '1700000100.000001',
      channel_id: CHANNEL,
      messages: [{ user: ALICE, text: `The ${WORD} runbook: relink the agent, then rerun the stream` }],
    })
    .expect(200);
  return running;
}

/** The three readers, each answering how many of Alice's memories the caller was given. */
function readers(running: () => RunningApp) {
  return {
    search: async (headers: Record<string, string>, query: Record<string, string> = {}) =>
      (
        await request(running().url)
          .get('/api/knowledge/search')
          .set(headers)
          .query({ q: WORD, ...query })
          .expect(200)
      ).body.count as number,
    query: async (headers: Record<string, string>, body: Record<string, string> = {}) =>
      (
        await request(running().url)
          .post('/api/query')
          .set(headers)
          .send({ question: `What is the ${WORD} runbook?`, ...body })
          .expect(200)
      ).body.memories_used as number,
    signedQuery: async (body: Record<string, string>) => {
      const raw = JSON.stringify({ question: `What is the ${WORD} runbook?`, ...body });
      const res = await request(running().url)
        .post('/api/query')
        .set(slackHeaders(SLACK_SECRET, raw))
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(200);
      return res.body.memories_used as number;
    },
    signedSearch: async (query: Record<string, string>) => {
      const res = await request(running().url)
        .get('/api/knowledge/search')
        .set(slackHeaders(SLACK_SECRET, ''))
        .query({ q: WORD, ...query })
        .expect(200);
      return res.body.count as number;
    },
    chat: async (headers: Record<string, string>) => {
      const res = await request(running().url)
        .post('/api/chat')
        .set(headers)
        .send({ message: `What is the ${WORD} runbook?` })
        .expect(200);
      return (res.body.response as string).includes('relink the agent') ? 1 : 0;
    },
  };
}

describe('Who may read a Slack user’s memories, KNOWLEDGE_SCOPE=user (e2e)', () => {
  let running: RunningApp;
  const read = readers(() => running);

  beforeAll(async () => {
    running = await boot('user');
  });
  afterAll(() => running?.close());

  it('knowledge search: the bridge speaks for the user of X-Slack-User-Id; an API key for nobody', async () => {
    expect(await read.search(bridge(ALICE))).toBe(1);
    expect(await read.search(bridge('U02BOB'), { slack_user_id: ALICE })).toBe(0);
    expect(await read.search(bridge(), { slack_user_id: ALICE })).toBe(1);
    expect(await read.search(apiKey(), { slack_user_id: ALICE })).toBe(0);
    expect(await read.search(apiKey(ALICE))).toBe(0);
    // A Slack signature covers the body, never the URL.
    expect(await read.signedSearch({ slack_user_id: ALICE })).toBe(0);
  });

  it('/api/query: the same rule, with the Slack-signed body vouched for', async () => {
    expect(await read.query(bridge(ALICE))).toBe(1);
    expect(await read.query(bridge('U02BOB'), { slack_user_id: ALICE })).toBe(0);
    expect(await read.query(apiKey(), { slack_user_id: ALICE })).toBe(0);
    expect(await read.query(apiKey(ALICE))).toBe(0);
    expect(await read.signedQuery({ slack_user_id: ALICE })).toBe(1);
    expect(await read.signedQuery({ slack_user_id: 'U02BOB' })).toBe(0);
  });

  it('the chat: the same rule', async () => {
    expect(await read.chat(bridge(ALICE))).toBe(1);
    expect(await read.chat(bridge('U02BOB'))).toBe(0);
    expect(await read.chat(apiKey(ALICE))).toBe(0);
  });
});

describe('Who may read a Slack channel’s memories, KNOWLEDGE_SCOPE=channel (e2e)', () => {
  let running: RunningApp;
  const read = readers(() => running);

  beforeAll(async () => {
    running = await boot('channel');
  });
  afterAll(() => running?.close());

  it('knowledge search: only the bridge names a channel', async () => {
    expect(await read.search(bridge(), { channel_id: CHANNEL })).toBe(1);
    expect(await read.search(bridge(), { channel_id: 'C0OTHER' })).toBe(0);
    expect(await read.search(apiKey(), { channel_id: CHANNEL })).toBe(0);
    expect(await read.signedSearch({ channel_id: CHANNEL })).toBe(0);
  });

  it('/api/query: the bridge and a Slack-signed body name a channel; an API key does not', async () => {
    expect(await read.query(bridge(), { channel_id: CHANNEL })).toBe(1);
    expect(await read.query(apiKey(), { channel_id: CHANNEL })).toBe(0);
    expect(await read.signedQuery({ channel_id: CHANNEL })).toBe(1);
    expect(await read.signedQuery({ channel_id: 'C0OTHER' })).toBe(0);
  });

  it('the chat names no channel: it reads the shared memories only', async () => {
    expect(await read.chat(bridge(ALICE))).toBe(0);
    expect(await read.chat(apiKey())).toBe(0);
  });
});
