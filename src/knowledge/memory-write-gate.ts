import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { IAuditQueue } from '../audit/audit-queue.port';
import type { Caller } from '../auth/caller';
import { IMemoryWritePolicy } from '../auth/memory-write-policy.port';
import { redactCredentials, redactJson } from './credential-redactor';
import type { MemoryKind, MemoryProvenance } from './knowledge-graph.port';
import { KnowledgeError } from './knowledge.errors';
import type { ScreenedMemory, StoredRef } from './screened-memory';

/** The caller of open mode, when no auth guard attached one (no credentials configured). */
export const OPEN_MODE_CALLER: Caller = Object.freeze<Caller>({
  id: 'unauthenticated',
  via: 'open',
  roles: ['read', 'write'],
});

/** A memory a writer wants stored, before the gate has looked at it. */
export interface MemoryDraft {
  kind: MemoryKind;
  /** The searchable text, as written (the gate redacts it). */
  content: string;
  /** With the redacted content, what identifies the memory (stored once per scope). */
  identity: readonly string[];
  scopeKey: string;
  provenance: MemoryProvenance;
  /** Where the memory comes from, as the review queue shows it (a conversation shows its question). */
  origin: string;
  userQuery?: string;
  agentResponse?: string;
  agentId?: string;
  metadata?: Record<string, unknown>;
  derivedFrom?: string;
}

function hashOf(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part.replace(/\s+/g, ' ').trim()).update('\u0000');
  return hash.digest('hex');
}

/**
 * The one way into the memory. Every writer — threads, document chunks, conversations, extracted
 * facts, notes — hands its drafts to `write`, which (1) redacts credentials, so no secret reaches
 * the database, search, an answer or the review queue; (2) runs the auditor's rules; (3) stores
 * risky memories as `flagged`, served nowhere until a reviewer approves them, and puts them in
 * the review queue. The caller's right to write is `check`ed here too.
 */
@Injectable()
export class MemoryWriteGate {
  private readonly logger = new Logger(MemoryWriteGate.name);

  constructor(
    @Inject(IMemoryWritePolicy) private readonly policy: IMemoryWritePolicy,
    @Inject(IAuditQueue) private readonly audit: IAuditQueue,
  ) {}

  /** The caller, checked; throws 403 when the policy refuses. */
  check(caller: Caller | undefined): Caller {
    const who = caller ?? OPEN_MODE_CALLER;
    if (!this.policy.canSaveMemories(who)) {
      throw new KnowledgeError('MEMORY_WRITE_FORBIDDEN', 'You are not allowed to save memories');
    }
    return who;
  }

  /** Whether a recorded conversation of this caller would be stored (refused silently, not with 403). */
  mayRemember(caller: Caller): boolean {
    return this.policy.canSaveMemories(caller);
  }

  /** Text redacted before it leaves for another system (e.g. the model that extracts facts). */
  redact(text: string): string {
    return redactCredentials(text).text;
  }

  /**
   * Screens the drafts, stores them with `store` (one ref per memory given, in order) and queues
   * the flagged ones for review. A memory that cannot be queued fails the write: it is stored
   * flagged, so nothing is served, and writing it again queues it.
   */
  async write(
    drafts: readonly MemoryDraft[],
    store: (memories: readonly ScreenedMemory[]) => Promise<StoredRef[]>,
  ): Promise<StoredRef[]> {
    const memories = drafts.map((draft) => this.screen(draft));
    const refs = await store(memories);
    const queued = new Set<string>();
    for (const [index, ref] of refs.entries()) {
      const memory = memories[index];
      if (ref.status !== 'flagged' || memory.findings.length === 0 || queued.has(ref.id)) continue;
      queued.add(ref.id);
      await this.audit.enqueue({
        memoryId: ref.id,
        kind: memory.kind,
        agentId: memory.agentId ?? '',
        userQuery: memory.userQuery ?? memory.origin,
        agentResponse: memory.agentResponse ?? memory.content,
        findings: memory.findings,
      });
    }
    if (queued.size > 0) this.logger.log(`${queued.size} new or changed memories wait for review`);
    return refs;
  }

  private screen(draft: MemoryDraft): ScreenedMemory {
    const content = redactCredentials(draft.content).text;
    const userQuery = draft.userQuery === undefined ? undefined : redactCredentials(draft.userQuery).text;
    const agentResponse = draft.agentResponse === undefined ? undefined : redactCredentials(draft.agentResponse).text;
    const origin = redactCredentials(draft.origin).text;
    const findings = this.audit.screen(
      draft.kind === 'conversation'
        ? { kind: draft.kind, userQuery: userQuery ?? '', agentResponse: agentResponse ?? content }
        : { kind: draft.kind, userQuery: origin, agentResponse: content },
    );
    return {
      kind: draft.kind,
      content,
      contentHash: hashOf([...draft.identity, content]),
      scopeKey: draft.scopeKey,
      ...draft.provenance,
      userQuery,
      agentResponse,
      agentId: draft.agentId,
      metadata: draft.metadata && (redactJson(draft.metadata) as Record<string, unknown>),
      derivedFrom: draft.derivedFrom,
      status: findings.length > 0 ? 'flagged' : 'active',
      findings,
      origin,
    } as unknown as ScreenedMemory;
  }
}
