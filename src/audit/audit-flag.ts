import type { ScreenedKind } from './audit-queue.port';

export type FlagStatus = 'pending' | 'approved' | 'rejected';
export type ReviewDecision = 'approve' | 'reject';

export const FLAG_STATUSES: readonly FlagStatus[] = ['pending', 'approved', 'rejected'];
export const STATUS_BY_DECISION: Record<ReviewDecision, Exclude<FlagStatus, 'pending'>> = {
  approve: 'approved',
  reject: 'rejected',
};

/** A memory the auditor wants a human to look at, and what the human decided. */
export interface AuditFlag {
  id: string;
  memoryId: string;
  memoryKind: ScreenedKind;
  agentId: string;
  userQuery: string;
  agentResponse: string;
  reason: string;
  rules: string[];
  confidence: number;
  status: FlagStatus;
  reviewer: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

export interface FlagFilter {
  status: FlagStatus | 'all';
  /** Case-insensitive substring of the question or the answer. */
  query?: string;
  limit: number;
  offset: number;
}

export type FlagCounts = Record<FlagStatus | 'total', number>;
