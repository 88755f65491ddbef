import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../database/database';
import { IEmbeddings } from './embeddings.port';
import { KnowledgeError } from './knowledge.errors';
import { KnowledgeMetrics } from './knowledge.metrics';
import type { KnowledgeTables } from './knowledge.tables';
import { MemoryRepository } from './memory-repository';

/** The app_settings row that remembers which model (and so which dimension) the stored vectors come from. */
export const EMBEDDING_SETTING_KEY = 'knowledge.embedding';
const EMBEDDING_LOCK_KEY = 7_316_482_905_300;
const BACKFILL_BATCH = 256;
/** Longest text sent for embedding: embedding models read a few thousand tokens at most. */
const MAX_EMBED_CHARS = 8_000;

interface EmbeddingSetting {
  model: string;
  dimension: number;
}

/**
 * Vectors for memories: embeds new rows, back-fills rows without a vector, embeds queries.
 * The first vector fixes the dimension: the column is typed `vector(N)` and the HNSW index built.
 * A different model or dimension later resets the vectors so that none from two models are mixed.
 * Every failure degrades to full-text search; none reaches the caller.
 */
@Injectable()
export class MemoryEmbedder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MemoryEmbedder.name);
  private setting?: Promise<EmbeddingSetting | undefined>;
  private backfillRun?: Promise<number>;
  private stopping = false;

  constructor(
    private readonly database: Database,
    private readonly repository: MemoryRepository,
    private readonly metrics: KnowledgeMetrics,
    /** Null without EMBEDDING_MODEL: search is then full-text only. */
    @Inject(IEmbeddings) private readonly embeddings: IEmbeddings | null,
  ) {}

  /** True when both an embeddings server is configured and the database has pgvector. */
  get enabled(): boolean {
    return !!this.embeddings && this.database.hasVector;
  }

  onApplicationBootstrap(): void {
    if (this.embeddings && !this.database.hasVector) {
      this.logger.warn(
        'EMBEDDING_MODEL is set but the database has no pgvector: memories are searched by full text only',
      );
    }
    if (this.enabled) void this.backfill();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.backfillRun?.catch(() => undefined);
  }

  /** The query's vector, or undefined when vectors are off or the server fails. */
  async embedQuery(text: string): Promise<number[] | undefined> {
    if (!this.enabled) return undefined;
    try {
      const [vector] = await this.embeddings!.embed([text.slice(0, MAX_EMBED_CHARS)]);
      const setting = await this.ensureSetting(vector.length);
      return setting ? vector : undefined;
    } catch (error) {
      this.degraded('embed a query', error);
      return undefined;
    }
  }

  /** Embeds the given memories (those still without a vector); failures are left to the backfill. */
  async embedMemories(ids: readonly string[]): Promise<void> {
    if (!this.enabled || ids.length === 0) return;
    try {
      await this.embedRows(await this.repository.unembeddedAmong(ids));
    } catch (error) {
      this.degraded('embed new memories', error);
    }
  }

  /** Embeds every memory without a vector; one run at a time. Resolves with the number embedded. */
  backfill(): Promise<number> {
    if (!this.enabled) return Promise.resolve(0);
    this.backfillRun ??= this.runBackfill().finally(() => (this.backfillRun = undefined));
    return this.backfillRun;
  }

  private async runBackfill(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        if (this.stopping) break;
        const rows = await this.repository.unembedded(BACKFILL_BATCH);
        if (rows.length === 0) break;
        await this.embedRows(rows);
        total += rows.length;
      }
      if (total > 0) this.logger.log(`Embedded ${total} memories that had no vector`);
    } catch (error) {
      this.degraded('back-fill vectors', error);
    }
    return total;
  }

  private async embedRows(rows: readonly { id: string; content: string }[]): Promise<void> {
    if (rows.length === 0) return;
    // Requests are bounded by EMBEDDING_TIMEOUT_MS; shutdown stops the back-fill between batches.
    const vectors = await this.embeddings!.embed(rows.map((r) => r.content.slice(0, MAX_EMBED_CHARS)));
    const setting = await this.ensureSetting(vectors[0].length);
    if (!setting) return;
    if (vectors.some((v) => v.length !== setting.dimension)) {
      throw new KnowledgeError(
        'EMBEDDING_DIMENSION_MISMATCH',
        `The embeddings server answered vectors of mixed dimensions`,
      );
    }
    await this.repository.setEmbeddings(rows.map((row, i) => ({ id: row.id, vector: vectors[i] })));
  }

  /**
   * The stored model and dimension, established on first use. A vector whose dimension differs
   * from the stored one means the server changed behind the same model name: refused.
   */
  private async ensureSetting(dimension: number): Promise<EmbeddingSetting | undefined> {
    this.setting ??= this.establish(dimension).catch((error: unknown) => {
      this.setting = undefined;
      throw error;
    });
    const setting = await this.setting;
    if (setting && setting.dimension !== dimension) {
      throw new KnowledgeError(
        'EMBEDDING_DIMENSION_MISMATCH',
        `Embedding model ${setting.model} answered ${dimension} dimensions; the stored vectors have ${setting.dimension}`,
      );
    }
    return setting;
  }

  private async establish(dimension: number): Promise<EmbeddingSetting> {
    const wanted: EmbeddingSetting = { model: this.embeddings!.model, dimension };
    return this.database.transaction<KnowledgeTables, EmbeddingSetting>(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${EMBEDDING_LOCK_KEY})`.execute(trx);
      const row = await trx
        .selectFrom('app_settings')
        .select('value')
        .where('key', '=', EMBEDDING_SETTING_KEY)
        .executeTakeFirst();
      const stored = row?.value as EmbeddingSetting | undefined;
      if (stored && stored.model === wanted.model && stored.dimension === wanted.dimension) return stored;
      if (stored) {
        this.logger.warn(
          `Embedding model changed (${stored.model}/${stored.dimension} → ${wanted.model}/${wanted.dimension}): every memory will be embedded again`,
        );
      }
      await sql`DROP INDEX IF EXISTS knowledge_memories_embedding_hnsw`.execute(trx);
      await sql`UPDATE knowledge_memories SET embedding = NULL WHERE embedding IS NOT NULL`.execute(trx);
      await sql
        .raw(`ALTER TABLE knowledge_memories ALTER COLUMN embedding TYPE vector(${Math.trunc(dimension)})`)
        .execute(trx);
      await sql`CREATE INDEX knowledge_memories_embedding_hnsw ON knowledge_memories USING hnsw (embedding vector_cosine_ops)`.execute(
        trx,
      );
      await trx
        .insertInto('app_settings')
        .values({ key: EMBEDDING_SETTING_KEY, value: JSON.stringify(wanted) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(wanted), updated_at: sql`now()` }))
        .execute();
      this.logger.log(`Vector search on: ${wanted.model}, ${wanted.dimension} dimensions, HNSW index ready`);
      return wanted;
    });
  }

  private lastWarning = 0;

  private degraded(action: string, error: unknown): void {
    this.metrics.failed();
    // One line a minute at most: an embeddings server that is down must not flood the log.
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Could not ${action}, full-text search still works: ${(error as Error).message}`);
  }
}
