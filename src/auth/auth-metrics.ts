import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AUTH_FAILURES_TOTAL, RATE_LIMITED_TOTAL } from '../metrics/metric-names';
import type { CredentialKind } from './auth.errors';

export const authMetricProviders = [
  makeCounterProvider({
    name: AUTH_FAILURES_TOTAL,
    help: 'Requests refused with 401, by the credential that failed (none = missing)',
    labelNames: ['credential'],
  }),
  makeCounterProvider({ name: RATE_LIMITED_TOTAL, help: 'Requests refused with 429 by the per-client token bucket' }),
];

/** Counts refusals, so a credential-guessing run or a flood shows on the dashboards. */
@Injectable()
export class AuthMetrics {
  constructor(
    @InjectMetric(AUTH_FAILURES_TOTAL) private readonly failures: Counter<string>,
    @InjectMetric(RATE_LIMITED_TOTAL) private readonly limited: Counter<string>,
  ) {}

  authenticationFailed(credential: CredentialKind): void {
    this.failures.inc({ credential });
  }

  rateLimited(): void {
    this.limited.inc();
  }
}
