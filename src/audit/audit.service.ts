import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import type { AuditSettings } from '../config/sections/audit.section';
import { IKnowledgeGraph, type MemoryStatus } from '../knowledge/knowledge-graph.port';
import type { AuditCandidate, IAuditQueue } from './audit-queue.port';
import {
  type AuditFlag,
  type FlagCounts,
  type FlagFilter,
  type ReviewDecision,
  STATUS_BY_DECISION,
} from './audit-flag';
import { AuditFlagRepository } from './audit-flag.repository';
import { AuditMetrics, type AuditObserver } from './audit-metrics';
import { DEFAULT_RULES, evaluateRules } from './audit-rules';
import { AuditQueryTooLongError, FlagNotFoundError, ReviewConflictError } from './audit.errors';

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
 * The auditor and the human-review queue. Conversations come in through `submit`; those a rule
 * finds suspicious are flagged (the memory leaves normal trust until a human decides) and wait in
 * `audit_flags` for `review`.
 */
@Injectable()
export class AuditService implements IAuditQueue {
  private readonly logger = new Logger(AuditService.name);
  private readonly settings: AuditSettings;
  private knowledgeGraph?: IKnowledgeGraph;
  private warnedNoKnowledge = false;

  constructor(
    config: AppConfig,
    private readonly flags: AuditFlagRepository,
    private readonly moduleRef: ModuleRef,
    @Inject(AuditMetrics) private readonly metricsObserver: AuditObserver,
  ) {
    this.settings = config.audit;
  }

  async submit(candidate: AuditCandidate): Promise<void> {
    try {
      await this.audit(candidate);
    } catch (error) {
      this.metricsObserver.submitFailed();
      this.logger.warn({ err: error, memoryId: candidate.memoryId }, 'Could not audit a memory; it stays unflagged');
    }
  }

  /** Runs the rules; when one is sure enough, records the flag and marks the memory flagged. */
  async audit(candidate: AuditCandidate): Promise<AuditFlag | undefined> {
    const findings = evaluateRules(candidate, DEFAULT_RULES, this.settings.maxScanChars).filter(
      (finding) => finding.confidence >= this.settings.minConfidence,
    );
    if (findings.length === 0) return undefined;
    // The flag keeps the part of each text the rules read, which also bounds every listing's size.
    const flag = await this.flags.upsert({
      memoryId: candidate.memoryId,
      agentId: candidate.agentId,
      userQuery: candidate.userQuery.slice(0, this.settings.maxScanChars),
      agentResponse: candidate.agentResponse.slice(0, this.settings.maxScanChars),
      reason: findings.map((finding) => finding.reason).join('; '),
      rules: findings.map((finding) => finding.rule),
      confidence: findings[0].confidence,
    });
    if (flag.status === 'pending') {
      await this.setMemoryStatus(flag.memoryId, 'flagged');
      this.metricsObserver.flagged(flag.rules);
    }
    return flag;
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

  /**
   * The knowledge graph is looked up when first needed rather than injected: it submits to this
   * queue, and this queue sets its memories' status, so constructor injection would be a cycle.
   */
  private knowledge(): IKnowledgeGraph | undefined {
    if (!this.knowledgeGraph) {
      try {
        this.knowledgeGraph = this.moduleRef.get<IKnowledgeGraph>(IKnowledgeGraph, { strict: false });
      } catch {
        if (!this.warnedNoKnowledge) {
          this.warnedNoKnowledge = true;
          this.logger.warn(
            'No knowledge graph is registered: review decisions are recorded but memory status is not changed',
          );
        }
      }
    }
    return this.knowledgeGraph;
  }

  private async setMemoryStatus(memoryId: string, status: MemoryStatus): Promise<void> {
    const knowledge = this.knowledge();
    if (!knowledge) return;
    try {
      await knowledge.setStatus(memoryId, status);
    } catch (error) {
      // A memory deleted since it was flagged: the decision still stands for the record.
      if (error instanceof DomainError && error.kind === 'not_found') {
        this.logger.warn({ memoryId }, 'The reviewed memory no longer exists');
        return;
      }
      throw error;
    }
  }
}
