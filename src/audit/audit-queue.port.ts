/** What a memory is, as the auditor and the review queue tell them apart. */
export type ScreenedKind = 'conversation' | 'thread' | 'document' | 'fact' | 'note';

/**
 * What the auditor reads of one memory about to be stored, already redacted: for a conversation
 * the question and the answer; for anything else where it comes from and its text.
 */
export interface AuditSubject {
  kind: ScreenedKind;
  userQuery: string;
  agentResponse: string;
}

/** One reason to have a human look at a memory, and how sure the rule is (0..1). */
export interface AuditFinding {
  rule: string;
  reason: string;
  confidence: number;
}

/** A memory stored as `flagged`, to wait in the review queue. */
export interface FlagRequest extends AuditSubject {
  memoryId: string;
  /** The agent that answered; '' for memories no agent wrote. */
  agentId: string;
  findings: readonly AuditFinding[];
}

/** The mark redacted text carries where a credential was; the auditor recognises it. */
export const REDACTION_MARK = '[REDACTED]';

/**
 * The auditor and the human-review queue, as the memory write gate uses them: `screen` says
 * whether a memory is risky before it is stored; `enqueue` puts the stored, flagged memory in
 * the queue for `/api/audit/review`.
 */
export interface IAuditQueue {
  /** The auditor's findings at or above AUDIT_MIN_CONFIDENCE, strongest first; [] when the memory is sound. */
  screen(subject: AuditSubject): AuditFinding[];
  /** Records the flag (refreshing one still pending; a decided one stays as decided). Throws when it cannot. */
  enqueue(request: FlagRequest): Promise<void>;
}

export const IAuditQueue = Symbol('IAuditQueue');
