import { Injectable } from '@nestjs/common';
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { Database } from '../database/database';
import type { Memory, MemoryStatus } from './knowledge-graph.port';
import type { KnowledgeTables } from './knowledge.tables';
import { isMemoryId, MEMORY_COLUMNS, type MemoryRow, toMemory, toVectorLiteral } from './memory-rows';
import type { ScreenedMemory, StoredRef } from './screened-memory';

export { isMemoryId, toMemory, toVectorLiteral } from './memory-rows';
export type { NewMemory, ScreenedMemory, StoredRef } from './screened-memory';

/** What a replace left: the rows that now hold the source, and how many of them are new. */
export interface Replaced {
  ids: string[];
  inserted: number;
  /** One per memory given, in order. */
  refs: StoredRef[];
}

/** Which rows a source (a thread, a file) owns. */
type OwnedRows = (eb: ExpressionBuilder<KnowledgeTables, 'knowledge_memories'>) => Expression<SqlBool>;

/** A full-text query: every lexeme with its weight, and the selective ones that pick candidates. */
export interface TextQuery {
  lexemes: string[];
  weights: number[];
  retrieval: string[];
}

export interface TextCandidate {
  memory: Memory;
  /** Share of the query's distinct lexemes the memory contains (0..1). */
  coverage: number;
  rank: number;
}

export interface VectorCandidate {
  memory: Memory;
  similarity: number;
}

/** Which scopes a search may see: always the shared one, plus the caller's channel/user scope. */
export type ScopeKeys = readonly string[];

/** What a search may return: its scopes, and the statuses it never serves (rejected; flagged too by default). */
export interface SearchFilter {
  scopes: ScopeKeys;
  hidden: readonly MemoryStatus[];
}

/** Lock namespace for pg_advisory_xact_lock(namespace, hashtext(key)). */
const DOCUMENT_LOCK_NAMESPACE = 30_001;

/**
 * Rows per INSERT (and ids per DELETE): one statement may bind at most 65,535 parameters, and a
 * memory row binds 17; a 5,000-chunk document is written as several statements in one transaction.
 */
const WRITE_BATCH_ROWS = 1000;

const batches = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / WRITE_BATCH_ROWS) }, (_, i) =>
    items.slice(i * WRITE_BATCH_ROWS, (i + 1) * WRITE_BATCH_ROWS),
  );

type Db = Kysely<KnowledgeTables>;

/** The SQL of the knowledge store; every query runs the same on PGlite and the server. */
@Injectable()
export class MemoryRepository {
  constructor(private readonly database: Database) {}

  private get db(): Db {
    return this.database.db<KnowledgeTables>();
  }

  /**
   * Stores each memory once per scope: content already stored keeps its row (and its review
   * status — except that an unreviewed `active` row the gate now finds risky becomes `flagged`),
   * and its id comes back with `inserted: false`. One ref per memory given, in order.
   */
  async insert(
    memories: readonly ScreenedMemory[],
    executor: Db | Transaction<KnowledgeTables> = this.db,
  ): Promise<StoredRef[]> {
    if (memories.length === 0) return [];
    // Sorted by key: concurrent writers then take the unique index's locks in one order (no deadlock).
    const keyOf = (m: { contentHash: string; scopeKey: string }) => `${m.contentHash}\u0000${m.scopeKey}`;
    const unique = [...new Map(memories.map((m) => [keyOf(m), m])).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, m]) => m);
    const byKey = new Map<string, StoredRef>();
    for (const batch of batches(unique)) {
      for (const [key, ref] of await this.insertBatch(batch, executor, keyOf)) byKey.set(key, ref);
    }
    return memories.map((m) => byKey.get(keyOf(m)) as StoredRef);
  }

  /** One INSERT of at most a batch of rows (PostgreSQL takes at most 65,535 bind parameters). */
  private async insertBatch(
    unique: readonly ScreenedMemory[],
    executor: Db | Transaction<KnowledgeTables>,
    keyOf: (m: { contentHash: string; scopeKey: string }) => string,
  ): Promise<Map<string, StoredRef>> {
    const rows = await executor
      .insertInto('knowledge_memories')
      .values(
        unique.map((m) => ({
          kind: m.kind,
          status: m.status,
          content: m.content,
          content_hash: m.contentHash,
          scope_key: m.scopeKey,
          user_query: m.userQuery ?? null,
          agent_response: m.agentResponse ?? null,
          agent_id: m.agentId ?? null,
          channel_id: m.channelId ?? null,
          thread_ts: m.threadTs ?? null,
          source_file: m.sourceFile ?? null,
          chunk_index: m.chunkIndex ?? null,
          caller_id: m.callerId ?? null,
          slack_user_id: m.slackUserId ?? null,
          metadata: JSON.stringify(m.metadata ?? {}),
          derived_from: m.derivedFrom ?? null,
          feedback: null,
          rating: null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['content_hash', 'scope_key']).doUpdateSet({
          updated_at: sql`now()`,
          // A re-ingested chunk moves with its source; content without a chunk index keeps its own.
          chunk_index: sql`coalesce(excluded.chunk_index, knowledge_memories.chunk_index)`,
          status: sql`CASE WHEN knowledge_memories.status = 'active' THEN excluded.status ELSE knowledge_memories.status END`,
        }),
      )
      .returning(['id', 'status', 'content_hash', 'scope_key', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    return new Map(
      rows.map((r) => [
        keyOf({ contentHash: r.content_hash, scopeKey: r.scope_key }),
        { id: r.id, status: r.status, inserted: r.inserted === true || String(r.inserted) === 'true' },
      ]),
    );
  }

  /**
   * Replaces a thread's memories in one transaction. The thread's row is upserted first: that row
   * lock makes concurrent ingests of the same thread take turns, so exactly one copy remains.
   */
  async replaceThread(
    channelId: string,
    threadTs: string,
    messageCount: number,
    memories: readonly ScreenedMemory[],
  ): Promise<Replaced> {
    return this.database.transaction<KnowledgeTables, Replaced>(async (trx) => {
      await trx
        .insertInto('knowledge_threads')
        .values({ channel_id: channelId, thread_ts: threadTs, message_count: messageCount, memories_saved: 0 })
        .onConflict((oc) =>
          oc.columns(['channel_id', 'thread_ts']).doUpdateSet({ message_count: messageCount, ingested_at: sql`now()` }),
        )
        .execute();
      const replaced = await this.replaceOwned(trx, memories, (eb) =>
        eb.and([eb('channel_id', '=', channelId), eb('thread_ts', '=', threadTs)]),
      );
      await trx
        .updateTable('knowledge_threads')
        .set({ memories_saved: replaced.ids.length })
        .where('channel_id', '=', channelId)
        .where('thread_ts', '=', threadTs)
        .execute();
      return replaced;
    });
  }

  /** Replaces every chunk of a source file in one transaction (re-ingesting a file never duplicates). */
  async replaceDocument(
    sourceFile: string,
    memories: readonly ScreenedMemory[],
    kind: 'document' | 'note' = 'document',
  ): Promise<Replaced> {
    return this.database.transaction<KnowledgeTables, Replaced>(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${DOCUMENT_LOCK_NAMESPACE}, hashtext(${`${kind}:${sourceFile}`}))`.execute(
        trx,
      );
      return this.replaceOwned(trx, memories, (eb) =>
        eb.and([eb('source_file', '=', sourceFile), eb('kind', '=', kind)]),
      );
    });
  }

  /**
   * The rows `owned` selects become exactly `memories`: an unchanged one keeps its row — id,
   * review status, feedback, vector — and takes its new chunk index; the others are deleted.
   */
  private async replaceOwned(
    trx: Transaction<KnowledgeTables>,
    memories: readonly ScreenedMemory[],
    owned: OwnedRows,
  ): Promise<Replaced> {
    const before = new Set(
      (await trx.selectFrom('knowledge_memories').select('id').where(owned).execute()).map((r) => r.id),
    );
    const refs = await this.insert(memories, trx);
    const distinct = [...new Map(refs.map((ref) => [ref.id, ref])).values()];
    const kept = distinct.filter((ref) => ref.inserted || before.has(ref.id)).map((ref) => ref.id);
    const keptIds = new Set(kept);
    const gone = [...before].filter((id) => !keptIds.has(id));
    for (const batch of batches(gone)) await trx.deleteFrom('knowledge_memories').where('id', 'in', batch).execute();
    return { ids: kept, inserted: distinct.filter((ref) => ref.inserted).length, refs };
  }

  async get(id: string): Promise<Memory | undefined> {
    if (!isMemoryId(id)) return undefined;
    const row = await this.db
      .selectFrom('knowledge_memories')
      .select(MEMORY_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toMemory(row);
  }

  /** Rejecting a memory rejects the facts extracted from it too, unless a reviewer approved them. */
  async setStatus(id: string, status: MemoryStatus): Promise<boolean> {
    if (!isMemoryId(id)) return false;
    return this.database.transaction<KnowledgeTables, boolean>(async (trx) => {
      const result = await trx
        .updateTable('knowledge_memories')
        .set({ status, updated_at: sql`now()` })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await this.rejectDerivedOfRejected(id, trx);
      return true;
    });
  }

  /** Facts stored after their source was rejected (extraction runs in the background) follow it. */
  async rejectDerivedOfRejected(
    sourceId: string,
    executor: Db | Transaction<KnowledgeTables> = this.db,
  ): Promise<void> {
    await executor
      .updateTable('knowledge_memories')
      .set({ status: 'rejected', updated_at: sql`now()` })
      .where('derived_from', '=', sourceId)
      .where('status', '<>', 'approved')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('knowledge_memories as source')
            .select('source.id')
            .where('source.id', '=', sourceId)
            .where('source.status', '=', 'rejected'),
        ),
      )
      .execute();
  }

  async setFeedback(id: string, feedback: string, rating: number): Promise<boolean> {
    if (!isMemoryId(id)) return false;
    const result = await this.db
      .updateTable('knowledge_memories')
      .set({ feedback, rating, updated_at: sql`now()` })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(id: string): Promise<boolean> {
    if (!isMemoryId(id)) return false;
    const result = await this.db.deleteFrom('knowledge_memories').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The query's distinct lexemes, as the search vector's parser and stemmer make them. */
  async lexemes(text: string): Promise<string[]> {
    const rows = await sql<{
      lexemes: string[];
    }>`SELECT tsvector_to_array(to_tsvector('english', ${text})) AS lexemes`.execute(this.db);
    return rows.rows[0]?.lexemes ?? [];
  }

  /** How many memories hold each lexeme, counted up to `cap` (beyond it a term is common anyway). */
  async documentFrequencies(lexemes: readonly string[], cap: number): Promise<Map<string, number>> {
    if (lexemes.length === 0) return new Map();
    const rows = await sql<{ lexeme: string; df: string }>`
      SELECT l AS lexeme,
             (SELECT count(*) FROM (
                SELECT 1 FROM knowledge_memories WHERE search_vector @@ plainto_tsquery('simple', l) LIMIT ${cap}
              ) hits) AS df
      FROM unnest(${[...lexemes]}::text[]) AS l
    `.execute(this.db);
    return new Map(rows.rows.map((r) => [r.lexeme, Number(r.df)]));
  }

  /** Fresh planner statistics (the embedded database has no autovacuum to gather them). */
  async analyze(): Promise<void> {
    await sql`ANALYZE knowledge_memories`.execute(this.db);
  }

  async count(): Promise<number> {
    const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM knowledge_memories`.execute(this.db);
    return Number(rows.rows[0].n);
  }

  /**
   * Full-text candidates: memories holding any of `retrieval` (the query's selective lexemes),
   * at most `pool` of them by cover density, then scored by `coverage` — the IDF-weighted share
   * of the query's lexemes they contain — cut at `minCoverage`. Hidden statuses and other scopes
   * never come back.
   */
  async textSearch(
    query: TextQuery,
    { scopes, hidden }: SearchFilter,
    minCoverage: number,
    pool: number,
    limit: number,
  ): Promise<TextCandidate[]> {
    const total = query.weights.reduce((sum, w) => sum + w, 0) || 1;
    const rows = await sql<MemoryRow & { coverage: number; rank: number }>`
      WITH q AS (
        SELECT websearch_to_tsquery('simple', ${query.retrieval.join(' or ')}) AS query
      ),
      pool AS (
        SELECT m.id, ts_rank_cd(m.search_vector, q.query) AS rank
        FROM knowledge_memories m, q
        WHERE m.search_vector @@ q.query
          AND m.status NOT IN (${sql.join(hidden)})
          AND m.scope_key IN (${sql.join(scopes)})
        ORDER BY rank DESC
        LIMIT ${pool}
      ),
      scored AS (
        SELECT pool.id, pool.rank,
               (SELECT coalesce(sum(w.weight), 0)
                  FROM unnest(${query.lexemes}::text[], ${query.weights}::float8[]) AS w(lexeme, weight)
                 WHERE length(ts_delete(m.search_vector, ARRAY[w.lexeme])) < length(m.search_vector)) / ${total}::float8 AS coverage
        FROM pool JOIN knowledge_memories m ON m.id = pool.id
      )
      SELECT ${sql.join(MEMORY_COLUMNS.map((c) => sql.ref(`m.${c}`)))}, scored.coverage, scored.rank
      FROM scored JOIN knowledge_memories m ON m.id = scored.id
      WHERE scored.coverage >= ${minCoverage}
      ORDER BY scored.coverage DESC, scored.rank DESC, m.created_at DESC, m.id
      LIMIT ${limit}
    `.execute(this.db);
    return rows.rows.map((row) => ({ memory: toMemory(row), coverage: Number(row.coverage), rank: Number(row.rank) }));
  }

  /** Nearest memories by cosine distance (HNSW), filtered like the text search. */
  async vectorSearch(
    vector: readonly number[],
    { scopes, hidden }: SearchFilter,
    limit: number,
  ): Promise<VectorCandidate[]> {
    const literal = toVectorLiteral(vector);
    return this.database.transaction<KnowledgeTables, VectorCandidate[]>(async (trx) => {
      // Filtered HNSW scans keep walking the graph until enough rows pass the WHERE clause.
      await sql`SET LOCAL hnsw.iterative_scan = relaxed_order`.execute(trx);
      await sql.raw(`SET LOCAL hnsw.ef_search = ${Math.max(40, Math.min(1000, limit))}`).execute(trx);
      const rows = await sql<MemoryRow & { similarity: number }>`
        SELECT ${sql.join(MEMORY_COLUMNS.map((c) => sql.ref(c)))}, 1 - (embedding <=> ${literal}::vector) AS similarity
        FROM knowledge_memories
        WHERE embedding IS NOT NULL
          AND status NOT IN (${sql.join(hidden)})
          AND scope_key IN (${sql.join(scopes)})
        ORDER BY embedding <=> ${literal}::vector
        LIMIT ${limit}
      `.execute(trx);
      return rows.rows.map((row) => ({ memory: toMemory(row), similarity: Number(row.similarity) }));
    });
  }

  async unembedded(limit: number): Promise<{ id: string; content: string }[]> {
    return this.db
      .selectFrom('knowledge_memories')
      .select(['id', 'content'])
      .where('embedding', 'is', null)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  async unembeddedAmong(ids: readonly string[]): Promise<{ id: string; content: string }[]> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('knowledge_memories')
      .select(['id', 'content'])
      .where('id', 'in', ids)
      .where('embedding', 'is', null)
      .execute();
  }

  async setEmbeddings(items: readonly { id: string; vector: readonly number[] }[]): Promise<void> {
    if (items.length === 0) return;
    await this.database.transaction<KnowledgeTables, void>(async (trx) => {
      for (const item of items) {
        await trx
          .updateTable('knowledge_memories')
          .set({ embedding: toVectorLiteral(item.vector) })
          .where('id', '=', item.id)
          .execute();
      }
    });
  }
}
