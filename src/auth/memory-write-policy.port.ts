import type { Caller } from './caller';

/**
 * Who may save memories: callers in `ADMIN_CALLERS`, or Slack users in `ALLOWED_SLACK_USERS`
 * when that list is set (the Knowledge Agent's "Slack user ID for permissions").
 */
export interface IMemoryWritePolicy {
  canSaveMemories(caller: Caller): boolean;
}

export const IMemoryWritePolicy = Symbol('IMemoryWritePolicy');
