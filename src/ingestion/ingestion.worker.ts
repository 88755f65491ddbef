import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IKnowledgeGraph } from '../knowledge/knowledge-graph.port';
import { DocumentParser } from './document-parser';
import { IngestionError } from './ingestion.errors';
import { IngestionMetrics } from './ingestion.metrics';
import { type ClaimedJob, IngestionRepository } from './ingestion.repository';

/** How much of the lease may pass before it is renewed: a third leaves two renewals' slack. */
const LEASE_RENEW_FRACTION = 1 / 3;

class LeaseLostError extends Error {}

/**
 * Works the ingestion queue: claims a job (any instance may), parses the stored document, chunks
 * it and hands the chunks to the knowledge graph, renewing its lease meanwhile. A job whose worker
 * dies keeps its row in `processing` until the lease expires; then any worker takes it again.
 */
@Injectable()
export class IngestionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestionWorker.name);
  /** Unique per process, so a restarted instance never mistakes an old lease for its own. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = true;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: IngestionRepository,
    private readonly metrics: IngestionMetrics,
    private readonly parser: DocumentParser,
    @Optional() @Inject(IKnowledgeGraph) private readonly knowledge?: IKnowledgeGraph,
  ) {}

  onApplicationBootstrap(): void {
    const { workerConcurrency, pollIntervalMs } = this.config.ingestion;
    if (workerConcurrency === 0) {
      this.logger.log('Ingestion worker disabled (INGEST_WORKER_CONCURRENCY=0): this instance only accepts uploads');
      return;
    }
    if (!this.knowledge) {
      this.logger.warn(
        'No knowledge graph is available: uploads are stored and stay queued until an instance with one runs',
      );
      return;
    }
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops claiming; in-flight jobs finish, or keep their lease and are resumed elsewhere after it expires. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.config.app.shutdownTimeoutMs / 2)),
    );
    await Promise.race([Promise.allSettled([...this.active]), deadline]);
    clearTimeout(timer);
  }

  /** Claims jobs until the queue is empty or every slot is busy. Safe to call at any time. */
  wake(): void {
    if (this.stopped || this.polling) return;
    this.polling = true;
    this.fill()
      .catch((error: unknown) => this.logger.warn(`Could not poll the ingestion queue: ${(error as Error).message}`))
      .finally(() => (this.polling = false));
  }

  private async fill(): Promise<void> {
    const { workerConcurrency, leaseSeconds, maxAttempts } = this.config.ingestion;
    await this.repository.failAbandoned(maxAttempts);
    while (!this.stopped && this.active.size < workerConcurrency) {
      const job = await this.repository.claimNext(this.owner, leaseSeconds, maxAttempts);
      if (!job) return;
      const run = this.run(job).finally(() => {
        this.active.delete(run);
        this.wake();
      });
      this.active.add(run);
    }
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { leaseSeconds, maxAttempts } = this.config.ingestion;
    let leaseLost = false;
    const heartbeat = setInterval(
      () => {
        this.repository
          .renewLease(job.id, this.owner, leaseSeconds)
          .then((held) => (leaseLost ||= !held))
          .catch((error: unknown) =>
            this.logger.warn(`Could not renew the lease of job ${job.id}: ${(error as Error).message}`),
          );
      },
      leaseSeconds * 1000 * LEASE_RENEW_FRACTION,
    );
    const checkLease = () => {
      if (leaseLost) throw new LeaseLostError();
    };
    try {
      const chunks = await this.process(job, checkLease);
      if (await this.repository.finish(job.id, this.owner, { status: 'done', chunks })) {
        this.metrics.jobEnded('done', chunks);
        this.logger.log(`Ingested ${job.filename} (job ${job.id}): ${chunks} chunks`);
      }
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.logger.warn(`Job ${job.id} was taken over by another worker after its lease expired`);
        return;
      }
      const message = (error as Error).message;
      const permanent = error instanceof IngestionError || job.attempts >= maxAttempts;
      this.metrics.jobEnded(permanent ? 'failed' : 'retried');
      await this.repository
        .finish(job.id, this.owner, { status: permanent ? 'failed' : 'queued', error: message })
        .catch((finishError: unknown) =>
          this.logger.warn(`Could not record the outcome of job ${job.id}: ${(finishError as Error).message}`),
        );
      this.logger.warn(
        `Ingestion of ${job.filename} (job ${job.id}) ${permanent ? 'failed' : 'will be retried'}: ${message}`,
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async process(job: ClaimedJob, checkLease: () => void): Promise<number> {
    const knowledge = this.knowledge;
    if (!knowledge)
      throw new IngestionError('KNOWLEDGE_UNAVAILABLE', 'No knowledge graph is available to index the document');
    const content = await this.repository.fileContent(job.sha256);
    if (!content) throw new IngestionError('FILE_NOT_FOUND', 'The uploaded file is no longer stored');
    const { chunks } = await this.parser.parse(job.kind, content);
    checkLease();
    await knowledge.addDocumentChunks(job.filename, chunks, {
      sourceFile: job.filename,
      ...(job.uploadedBy && { callerId: job.uploadedBy }),
    });
    return chunks.length;
  }
}
