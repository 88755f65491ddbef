import type { AuditFinding } from '../audit/audit-queue.port';
import type { MemoryKind, MemoryProvenance, MemoryStatus } from './knowledge-graph.port';

/** A memory about to be written; `scopeKey` and `contentHash` are computed by the gate. */
export interface NewMemory extends MemoryProvenance {
  kind: MemoryKind;
  content: string;
  contentHash: string;
  scopeKey: string;
  /** `flagged` when the auditor found it risky: it waits for review and is served nowhere. */
  status: Extract<MemoryStatus, 'active' | 'flagged'>;
  userQuery?: string;
  agentResponse?: string;
  agentId?: string;
  metadata?: Record<string, unknown>;
  /** The memory (a conversation) this fact was extracted from. */
  derivedFrom?: string;
}

declare const screened: unique symbol;

/**
 * A memory the write gate has redacted and screened: the only thing the repository stores, so
 * no write path can skip the gate.
 */
export type ScreenedMemory = NewMemory & {
  readonly [screened]: true;
  findings: readonly AuditFinding[];
  /** Where it comes from, as the review queue shows it. */
  origin: string;
};

export interface StoredRef {
  id: string;
  /** False when the same content was already stored (the existing id is returned). */
  inserted: boolean;
  /** The row's status after the write: an existing row keeps its review status. */
  status: MemoryStatus;
}
