import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import {
  KNOWLEDGE_MEMORY_ERRORS_TOTAL,
  KNOWLEDGE_MEMORY_SAVES_TOTAL,
  KNOWLEDGE_MEMORY_SEARCHES_TOTAL,
} from '../metrics/metric-names';

export const knowledgeMetricProviders = [
  makeCounterProvider({
    name: KNOWLEDGE_MEMORY_SAVES_TOTAL,
    help: 'Memories actually stored (duplicates and failures not counted)',
  }),
  makeCounterProvider({ name: KNOWLEDGE_MEMORY_SEARCHES_TOTAL, help: 'Memory searches run' }),
  makeCounterProvider({
    name: KNOWLEDGE_MEMORY_ERRORS_TOTAL,
    help: 'Memory operations that failed (saves, searches, embeddings)',
  }),
];

@Injectable()
export class KnowledgeMetrics {
  constructor(
    @InjectMetric(KNOWLEDGE_MEMORY_SAVES_TOTAL) private readonly saves: Counter<string>,
    @InjectMetric(KNOWLEDGE_MEMORY_SEARCHES_TOTAL) private readonly searches: Counter<string>,
    @InjectMetric(KNOWLEDGE_MEMORY_ERRORS_TOTAL) private readonly errors: Counter<string>,
  ) {}

  saved(count: number): void {
    if (count > 0) this.saves.inc(count);
  }

  searched(): void {
    this.searches.inc();
  }

  failed(): void {
    this.errors.inc();
  }
}
