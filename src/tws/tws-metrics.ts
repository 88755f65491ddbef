import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import {
  TWS_ACTIONS_TOTAL,
  TWS_CIRCUIT_STATE,
  TWS_STALE_SERVED_TOTAL,
  TWS_UPSTREAM_DURATION_BUCKETS_SECONDS,
  TWS_UPSTREAM_DURATION_SECONDS,
  TWS_UPSTREAM_REQUESTS_TOTAL,
} from '../metrics/metric-names';
import type { TwsClientObserver, UpstreamOutcome } from './hwa-tws-client';

export const twsMetricProviders = [
  makeCounterProvider({
    name: TWS_UPSTREAM_REQUESTS_TOTAL,
    help: 'Calls to HWA by endpoint and outcome (each retry attempt counts)',
    labelNames: ['endpoint', 'outcome'],
  }),
  makeHistogramProvider({
    name: TWS_UPSTREAM_DURATION_SECONDS,
    help: 'Latency of calls to HWA by endpoint',
    labelNames: ['endpoint'],
    buckets: TWS_UPSTREAM_DURATION_BUCKETS_SECONDS,
  }),
  makeGaugeProvider({ name: TWS_CIRCUIT_STATE, help: 'HWA circuit breaker: 0 closed, 1 half-open, 2 open' }),
  makeCounterProvider({
    name: TWS_STALE_SERVED_TOTAL,
    help: 'Status answers served from the last good copy while HWA was failing',
  }),
  makeCounterProvider({
    name: TWS_ACTIONS_TOTAL,
    help: 'Operator commands executed through /api/execute by verb and outcome',
    labelNames: ['verb', 'outcome'],
  }),
];

const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

@Injectable()
export class TwsMetrics implements TwsClientObserver {
  constructor(
    @InjectMetric(TWS_UPSTREAM_REQUESTS_TOTAL) private readonly calls: Counter<string>,
    @InjectMetric(TWS_UPSTREAM_DURATION_SECONDS) private readonly latency: Histogram<string>,
    @InjectMetric(TWS_CIRCUIT_STATE) private readonly circuitGauge: Gauge<string>,
    @InjectMetric(TWS_STALE_SERVED_TOTAL) private readonly stale: Counter<string>,
    @InjectMetric(TWS_ACTIONS_TOTAL) private readonly actions: Counter<string>,
  ) {}

  call(endpoint: string, outcome: UpstreamOutcome, seconds: number): void {
    this.calls.inc({ endpoint, outcome });
    if (outcome !== 'circuit_open') this.latency.observe({ endpoint }, seconds);
  }

  circuit(state: 'closed' | 'half_open' | 'open'): void {
    this.circuitGauge.set(CIRCUIT_VALUE[state]);
  }

  staleServed(): void {
    this.stale.inc();
  }

  action(verb: string, outcome: 'ok' | 'error'): void {
    this.actions.inc({ verb, outcome });
  }
}
