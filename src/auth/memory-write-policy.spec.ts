import type { AppConfig } from '../config/app-config';
import type { Caller } from './caller';
import { MemoryWritePolicy } from './memory-write-policy';

const policy = (adminCallers: string[], allowedSlackUsers: string[]) =>
  new MemoryWritePolicy({ auth: { adminCallers, allowedSlackUsers } } as unknown as AppConfig);

const caller = (id: string, roles: Caller['roles'] = ['read', 'write'], slackUserId?: string): Caller => ({
  id,
  via: 'api-key',
  roles,
  slackUserId,
});

describe(MemoryWritePolicy.name, () => {
  it('lets every writer save memories when neither list is set', () => {
    const sut = policy([], []);
    expect(sut.canSaveMemories(caller('root-agent'))).toBe(true);
    expect(sut.canSaveMemories(caller('reader', ['read']))).toBe(false);
  });

  it('limits saving to ADMIN_CALLERS once that list is set', () => {
    const sut = policy(['root-agent'], []);
    expect(sut.canSaveMemories(caller('root-agent'))).toBe(true);
    expect(sut.canSaveMemories(caller('analytics-agent'))).toBe(false);
  });

  it('lets Slack users in ALLOWED_SLACK_USERS save through the bridge', () => {
    const sut = policy([], ['U01ALLOWED']);
    expect(sut.canSaveMemories(caller('slack-bridge', ['read', 'write'], 'U01ALLOWED'))).toBe(true);
    expect(sut.canSaveMemories(caller('slack-bridge', ['read', 'write'], 'U02OTHER'))).toBe(false);
    expect(sut.canSaveMemories(caller('slack-bridge'))).toBe(false);
  });
});
