import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import {
  CACHE_HITS_TOTAL,
  CACHE_L2_ERRORS_TOTAL,
  CACHE_LOADS_TOTAL,
  CACHE_MISSES_TOTAL,
} from '../metrics/metric-names';

export const cacheMetricProviders = [
  makeCounterProvider({
    name: CACHE_HITS_TOTAL,
    help: 'Cache hits by cache name and level (l1 memory, l2 redis)',
    labelNames: ['cache', 'level'],
  }),
  makeCounterProvider({ name: CACHE_MISSES_TOTAL, help: 'Cache misses by cache name', labelNames: ['cache'] }),
  makeCounterProvider({
    name: CACHE_LOADS_TOTAL,
    help: 'Loader runs by cache name and outcome',
    labelNames: ['cache', 'outcome'],
  }),
  makeCounterProvider({
    name: CACHE_L2_ERRORS_TOTAL,
    help: 'Redis cache operations that failed (served from memory or the loader instead)',
    labelNames: ['cache'],
  }),
];

/** What a cache reports; kept as a small interface so the cache is testable without a registry. */
export interface CacheObserver {
  hit(cache: string, level: 'l1' | 'l2'): void;
  miss(cache: string): void;
  load(cache: string, outcome: 'ok' | 'error'): void;
  l2Error(cache: string): void;
}

@Injectable()
export class CacheMetrics implements CacheObserver {
  constructor(
    @InjectMetric(CACHE_HITS_TOTAL) private readonly hits: Counter<string>,
    @InjectMetric(CACHE_MISSES_TOTAL) private readonly misses: Counter<string>,
    @InjectMetric(CACHE_LOADS_TOTAL) private readonly loads: Counter<string>,
    @InjectMetric(CACHE_L2_ERRORS_TOTAL) private readonly l2Errors: Counter<string>,
  ) {}

  hit(cache: string, level: 'l1' | 'l2'): void {
    this.hits.inc({ cache, level });
  }

  miss(cache: string): void {
    this.misses.inc({ cache });
  }

  load(cache: string, outcome: 'ok' | 'error'): void {
    this.loads.inc({ cache, outcome });
  }

  l2Error(cache: string): void {
    this.l2Errors.inc({ cache });
  }
}
