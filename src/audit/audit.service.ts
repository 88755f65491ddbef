import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { AuditSettings } from '../config/sections/audit.section';
import type { AuditFinding, AuditSubject, FlagRequest, IAuditQueue } from './audit-queue.port';
import {
  type AuditFlag,
  type FlagCounts,
  type FlagFilter,
  type ReviewDecision,
  STATUS_BY_DECISION,
} from './audit-flag';
import { AuditFlagRepository } from './audit-flag.repository';
import { AuditMetrics, type AuditObserver } from './audit-metrics';
import { evaluateRules, rulesFor } from './audit-rules';
import { AuditQueryTooLongError, FlagNotFoundError, ReviewConflictError } from './audit.errors';
import { IReviewedMemories, type ReviewedStatus } from './reviewed-memories.port';

export interface ListRequest {
  status?: FlagFilter['status'];
  query?: string;
  limit?: number;
  offset?: number;
}

export interface ReviewOutcome {
  flag: AuditFlag;
  /** False when the same decision had already been taken (the call changed nothing). */
  changed: boolean;
}

/**
 * The auditor and the human-review queue. The memory write gate asks `screen` before it stores a
 * memory and `enqueue`s the ones it stored as flagged; they wait in `audit_flags` for `review`,
 * whose decision is applied to the memory through `IReviewedMemories`.
 */
@Injectable()
export class AuditService implements IAuditQueue {
  private readonly logger = new Logger(AuditService.name);
  private readonly settings: AuditSettings;

  constructor(
    config: AppConfig,
    private readonly flags: AuditFlagRepository,
    @Inject(IReviewedMemories) private readonly memories: IReviewedMemories,
    @Inject(AuditMetrics) private readonly metricsObserver: AuditObserver,
  ) {
    this.settings = config.audit;
  }

  screen(subject: AuditSubject): AuditFinding[] {
    return evaluateRules(subject, rulesFor(subject.kind), this.settings.maxScanChars).filter(
      (finding) => finding.confidence >= this.settings.minConfidence,
    );
  }

  async enqueue(request: FlagRequest): Promise<void> {
    if (request.findings.length === 0) return;
    try {
      // The flag keeps the part of each text the rules read, which also bounds every listing's size.
      const flag = await this.flags.upsert({
        memoryId: request.memoryId,
        memoryKind: request.kind,
        agentId: request.agentId,
        userQuery: request.userQuery.slice(0, this.settings.maxScanChars),
        agentResponse: request.agentResponse.slice(0, this.settings.maxScanChars),
        reason: request.findings.map((finding) => finding.reason).join('; '),
        rules: [...new Set(request.findings.map((finding) => finding.rule))],
        confidence: Math.max(...request.findings.map((finding) => finding.confidence)),
      });
      if (flag.status === 'pending') this.metricsObserver.flagged(flag.rules);
    } catch (error) {
      this.metricsObserver.submitFailed();
      throw error;
    }
  }

  list(request: ListRequest): Promise<AuditFlag[]> {
    const query = request.query?.trim();
    if (query && query.length > this.settings.queryMaxLength)
      throw new AuditQueryTooLongError(this.settings.queryMaxLength);
    return this.flags.list({
      status: request.status ?? 'pending',
      query: query || undefined,
      limit: Math.min(request.limit ?? this.settings.pageSize, this.settings.maxPageSize),
      offset: request.offset ?? 0,
    });
  }

  /**
   * Approves or rejects a flagged memory. The first decision wins and is final: repeating it is
   * harmless (and re-applies the memory status), the opposite decision is a conflict.
   */
  async review(memoryId: string, decision: ReviewDecision, reviewer: string): Promise<ReviewOutcome> {
    try {
      const outcome = await this.decide(memoryId, decision, reviewer);
      this.metricsObserver.reviewed(decision, outcome.changed ? 'decided' : 'repeated');
      return outcome;
    } catch (error) {
      if (error instanceof ReviewConflictError) this.metricsObserver.reviewed(decision, 'conflict');
      if (error instanceof FlagNotFoundError) this.metricsObserver.reviewed(decision, 'not_found');
      throw error;
    }
  }

  private async decide(memoryId: string, decision: ReviewDecision, reviewer: string): Promise<ReviewOutcome> {
    const target = STATUS_BY_DECISION[decision];
    const decided = await this.flags.decide(memoryId, target, reviewer);
    if (decided) {
      try {
        await this.setMemoryStatus(memoryId, target);
      } catch (error) {
        await this.flags.reopen(decided);
        throw error;
      }
      return { flag: decided, changed: true };
    }
    const current = await this.flags.findByMemoryId(memoryId);
    if (!current) throw new FlagNotFoundError(memoryId);
    if (current.status !== target) throw new ReviewConflictError(memoryId, current.status);
    await this.setMemoryStatus(memoryId, target);
    return { flag: current, changed: false };
  }

  metrics(): Promise<FlagCounts> {
    return this.flags.counts();
  }

  private async setMemoryStatus(memoryId: string, status: ReviewedStatus): Promise<void> {
    // A memory deleted since it was flagged: the decision still stands for the record.
    if (!(await this.memories.setReviewStatus(memoryId, status)))
      this.logger.warn({ memoryId }, 'The reviewed memory no longer exists');
  }
}
