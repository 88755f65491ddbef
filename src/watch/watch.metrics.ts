import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import {
  INCIDENT_ACK_BUCKETS_SECONDS,
  INCIDENT_ACK_SECONDS,
  INCIDENTS_OPEN,
  INCIDENTS_OPENED_TOTAL,
  WATCH_PASS_BUCKETS_SECONDS,
  WATCH_PASS_SECONDS,
  WATCH_PASSES_TOTAL,
  WEBHOOK_DELIVERIES_TOTAL,
} from '../metrics/metric-names';
import { INCIDENT_KINDS } from './incident';

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';
export type PassOutcome = 'ok' | 'skipped_stale' | 'error';

export const watchMetricProviders = [
  makeCounterProvider({ name: INCIDENTS_OPENED_TOTAL, help: 'Incidents opened, by kind', labelNames: ['kind'] }),
  makeGaugeProvider({
    name: INCIDENTS_OPEN,
    help: 'Incidents not resolved yet, by kind (read from the database: the same on every instance)',
    labelNames: ['kind'],
  }),
  makeHistogramProvider({
    name: INCIDENT_ACK_SECONDS,
    help: 'Seconds from an incident opening to its acknowledgement',
    buckets: INCIDENT_ACK_BUCKETS_SECONDS,
  }),
  makeCounterProvider({
    name: WEBHOOK_DELIVERIES_TOTAL,
    help: 'Webhook delivery tries, by target (slack, webhook) and outcome (delivered, retry, failed)',
    labelNames: ['target', 'outcome'],
  }),
  makeHistogramProvider({
    name: WATCH_PASS_SECONDS,
    help: 'Duration of one watch pass over the plan (leader only)',
    buckets: WATCH_PASS_BUCKETS_SECONDS,
  }),
  makeCounterProvider({
    name: WATCH_PASSES_TOTAL,
    help: 'Watch passes by outcome (ok, skipped_stale, error)',
    labelNames: ['outcome'],
  }),
];

@Injectable()
export class WatchMetrics {
  constructor(
    @InjectMetric(INCIDENTS_OPENED_TOTAL) private readonly opened: Counter<string>,
    @InjectMetric(INCIDENTS_OPEN) private readonly open: Gauge<string>,
    @InjectMetric(INCIDENT_ACK_SECONDS) private readonly ack: Histogram<string>,
    @InjectMetric(WEBHOOK_DELIVERIES_TOTAL) private readonly deliveries: Counter<string>,
    @InjectMetric(WATCH_PASS_SECONDS) private readonly passDuration: Histogram<string>,
    @InjectMetric(WATCH_PASSES_TOTAL) private readonly passes: Counter<string>,
  ) {}

  incidentOpened(kind: string): void {
    this.opened.inc({ kind });
  }

  unresolved(counts: ReadonlyMap<string, number>): void {
    for (const kind of new Set([...INCIDENT_KINDS, ...counts.keys()])) this.open.set({ kind }, counts.get(kind) ?? 0);
  }

  acknowledged(openedAt: string, acknowledgedAt: string): void {
    this.ack.observe(Math.max(0, (Date.parse(acknowledgedAt) - Date.parse(openedAt)) / 1000));
  }

  delivery(target: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ target, outcome });
  }

  pass(outcome: PassOutcome, seconds: number): void {
    this.passes.inc({ outcome });
    if (outcome === 'ok') this.passDuration.observe(seconds);
  }
}
