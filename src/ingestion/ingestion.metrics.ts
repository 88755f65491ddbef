import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import {
  INGEST_CHUNKS_TOTAL,
  INGEST_JOBS_TOTAL,
  INGEST_UPLOAD_BYTES_TOTAL,
  INGEST_UPLOADS_TOTAL,
} from '../metrics/metric-names';

export type JobOutcome = 'done' | 'failed' | 'retried';

export const ingestionMetricProviders = [
  makeCounterProvider({
    name: INGEST_UPLOADS_TOTAL,
    help: 'Documents accepted for ingestion, new or duplicate',
    labelNames: ['result'],
  }),
  makeCounterProvider({ name: INGEST_UPLOAD_BYTES_TOTAL, help: 'Bytes of newly stored documents' }),
  makeCounterProvider({ name: INGEST_JOBS_TOTAL, help: 'Ingestion job attempts by outcome', labelNames: ['outcome'] }),
  makeCounterProvider({ name: INGEST_CHUNKS_TOTAL, help: 'Chunks handed to the knowledge graph' }),
];

@Injectable()
export class IngestionMetrics {
  constructor(
    @InjectMetric(INGEST_UPLOADS_TOTAL) private readonly uploads: Counter<string>,
    @InjectMetric(INGEST_UPLOAD_BYTES_TOTAL) private readonly bytes: Counter<string>,
    @InjectMetric(INGEST_JOBS_TOTAL) private readonly jobs: Counter<string>,
    @InjectMetric(INGEST_CHUNKS_TOTAL) private readonly chunks: Counter<string>,
  ) {}

  uploaded(sizeBytes: number, duplicate: boolean): void {
    this.uploads.inc({ result: duplicate ? 'duplicate' : 'new' });
    if (!duplicate) this.bytes.inc(sizeBytes);
  }

  jobEnded(outcome: JobOutcome, chunks = 0): void {
    this.jobs.inc({ outcome });
    if (chunks > 0) this.chunks.inc(chunks);
  }
}
