import type { Caller } from './caller';
import { readScope } from './read-scope';

const bridge = (slackUserId?: string): Caller => ({
  id: 'slack-bridge',
  via: 'internal-token',
  roles: ['read', 'write'],
  ...(slackUserId && { slackUserId }),
});
const apiKey: Caller = { id: 'root-agent', via: 'api-key', roles: ['read', 'write', 'admin'] };
const slack: Caller = { id: 'slack-direct', via: 'slack-signature', roles: ['read', 'write'] };
const open: Caller = { id: 'unauthenticated', via: 'open', roles: ['read', 'write'] };

describe(readScope.name, () => {
  it('lets the bridge speak for the user of X-Slack-User-Id, whatever the request names', () => {
    expect(readScope(bridge('U01ALICE'), { slackUserId: 'U02BOB', channelId: 'C0OPS', from: 'query' })).toEqual({
      slackUserId: 'U01ALICE',
      channelId: 'C0OPS',
    });
    expect(readScope(bridge(), { slackUserId: 'U02BOB', from: 'body' })).toEqual({ slackUserId: 'U02BOB' });
  });

  it('lets a Slack signature speak only for what its signed body names', () => {
    expect(readScope(slack, { slackUserId: 'U01ALICE', channelId: 'C0OPS', from: 'body' })).toEqual({
      slackUserId: 'U01ALICE',
      channelId: 'C0OPS',
    });
    expect(readScope(slack, { slackUserId: 'U01ALICE', channelId: 'C0OPS', from: 'query' })).toEqual({});
  });

  it.each([
    ['an API key, even an admin one', apiKey],
    ['open mode', open],
    ['no caller', undefined],
  ])('gives %s only the shared memories', (_, caller) => {
    expect(readScope(caller, { slackUserId: 'U01ALICE', channelId: 'C0OPS', from: 'body' })).toEqual({});
  });

  it('ignores ids that are not Slack ids', () => {
    expect(readScope(bridge(), { slackUserId: "U1' OR 1=1", channelId: '', from: 'body' })).toEqual({});
  });
});
