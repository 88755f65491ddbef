/** A conversation just stored in the knowledge graph, offered to the auditor. */
export interface AuditCandidate {
  memoryId: string;
  userQuery: string;
  agentResponse: string;
  agentId: string;
}

/**
 * The human-review queue. Features that store AI-generated content submit it here; the auditor
 * decides whether it needs a human look (flagged) before it is trusted.
 */
export interface IAuditQueue {
  /** Never throws for the caller's sake: a failure to audit must not lose the conversation. */
  submit(candidate: AuditCandidate): Promise<void>;
}

export const IAuditQueue = Symbol('IAuditQueue');
