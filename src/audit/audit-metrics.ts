import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AUDIT_FLAGS_TOTAL, AUDIT_REVIEWS_TOTAL, AUDIT_SUBMIT_ERRORS_TOTAL } from '../metrics/metric-names';
import type { ReviewDecision } from './audit-flag';

export type ReviewOutcomeLabel = 'decided' | 'repeated' | 'conflict' | 'not_found';

export const auditMetricProviders = [
  makeCounterProvider({
    name: AUDIT_FLAGS_TOTAL,
    help: 'Memories flagged for review, by the rule that fired',
    labelNames: ['rule'],
  }),
  makeCounterProvider({
    name: AUDIT_REVIEWS_TOTAL,
    help: 'Review requests by decision and outcome',
    labelNames: ['decision', 'outcome'],
  }),
  makeCounterProvider({
    name: AUDIT_SUBMIT_ERRORS_TOTAL,
    help: 'Conversations that could not be audited (kept unflagged)',
  }),
];

/** What the audit queue reports; a small interface so the service is testable without a registry. */
export interface AuditObserver {
  flagged(rules: readonly string[]): void;
  reviewed(decision: ReviewDecision, outcome: ReviewOutcomeLabel): void;
  submitFailed(): void;
}

@Injectable()
export class AuditMetrics implements AuditObserver {
  constructor(
    @InjectMetric(AUDIT_FLAGS_TOTAL) private readonly flags: Counter<string>,
    @InjectMetric(AUDIT_REVIEWS_TOTAL) private readonly reviews: Counter<string>,
    @InjectMetric(AUDIT_SUBMIT_ERRORS_TOTAL) private readonly submitErrors: Counter<string>,
  ) {}

  flagged(rules: readonly string[]): void {
    for (const rule of rules) this.flags.inc({ rule });
  }

  reviewed(decision: ReviewDecision, outcome: ReviewOutcomeLabel): void {
    this.reviews.inc({ decision, outcome });
  }

  submitFailed(): void {
    this.submitErrors.inc();
  }
}
