import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { Caller } from './caller';
import type { IMemoryWritePolicy } from './memory-write-policy.port';

/**
 * With neither ADMIN_CALLERS nor ALLOWED_SLACK_USERS set, any caller with `write` may save memories.
 * Once either is set, only callers named in ADMIN_CALLERS, or end users named in
 * ALLOWED_SLACK_USERS (as vouched for by the Slack bridge), may.
 */
@Injectable()
export class MemoryWritePolicy implements IMemoryWritePolicy {
  constructor(private readonly config: AppConfig) {}

  canSaveMemories(caller: Caller): boolean {
    if (!caller.roles.includes('write')) return false;
    const { adminCallers, allowedSlackUsers } = this.config.auth;
    if (adminCallers.length === 0 && allowedSlackUsers.length === 0) return true;
    if (adminCallers.includes(caller.id)) return true;
    return caller.slackUserId !== undefined && allowedSlackUsers.includes(caller.slackUserId);
  }
}
