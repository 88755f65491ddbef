import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Caller } from '../auth/caller';
import { IMemoryWritePolicy } from '../auth/memory-write-policy.port';
import { KnowledgeError } from './knowledge.errors';

/** The caller of open mode, when no auth guard attached one (no credentials configured). */
export const OPEN_MODE_CALLER: Caller = Object.freeze<Caller>({
  id: 'unauthenticated',
  via: 'open',
  roles: ['read', 'write'],
});

/**
 * Asks the auth module's write policy (found anywhere in the app, when it exists) whether the
 * caller may save memories; without a policy every caller with the `write` role may.
 */
@Injectable()
export class MemoryWriteGate implements OnApplicationBootstrap {
  private policy?: IMemoryWritePolicy;

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    try {
      this.policy = this.moduleRef.get<IMemoryWritePolicy>(IMemoryWritePolicy, { strict: false });
    } catch {
      this.policy = undefined;
    }
  }

  /** The caller, checked; throws 403 when the policy refuses. */
  check(caller: Caller | undefined): Caller {
    const who = caller ?? OPEN_MODE_CALLER;
    if (this.policy && !this.policy.canSaveMemories(who)) {
      throw new KnowledgeError('MEMORY_WRITE_FORBIDDEN', 'You are not allowed to save memories');
    }
    return who;
  }
}
