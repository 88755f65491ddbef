import { sql } from 'kysely';
import { Database } from '../database/database';
import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import { type FakeEmbeddingsServer, startFakeEmbeddingsServer } from '../../test/support/fake-embeddings-server';
import { newKnowledgeGraph } from '../../test/support/knowledge-fixtures';
import { EMBEDDING_SETTING_KEY, MemoryEmbedder } from './memory-embedder';

describe.each(databaseTargets())(`${MemoryEmbedder.name} on $name`, (target) => {
  let opened: OpenedDatabase;
  let fake: FakeEmbeddingsServer;
  const env = () => ({
    EMBEDDING_MODEL: 'nomic-embed-text',
    EMBEDDING_BASE_URL: fake.url,
    EMBEDDING_BATCH_SIZE: '4',
    EMBEDDING_TIMEOUT_MS: '2000',
  });

  beforeAll(async () => {
    fake = await startFakeEmbeddingsServer(32);
    opened = await target.open();
  });

  afterAll(async () => {
    await opened.dispose();
    await fake.close();
  });

  const embeddedCount = async (): Promise<number> => {
    if (!opened.database.hasVector) return 0;
    const rows = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM knowledge_memories WHERE embedding IS NOT NULL`.execute(opened.database.db());
    return Number(rows.rows[0].n);
  };

  it('without pgvector, falls back to full-text search cleanly', async () => {
    // The server without the extension as it is; a database with it, seen as one without.
    expect(opened.database.hasVector).toBe(target.vector);
    const database = target.vector ? new Database(opened.database.db(), opened.database.kind, false) : opened.database;
    const kg = newKnowledgeGraph(database, env());
    kg.embedder.onApplicationBootstrap();
    expect(kg.embedder.enabled).toBe(false);
    const id = await kg.sut.addConversation(
      'Workstation FTA_ROME unlinked at night',
      'Relinked after restarting netman',
      'a',
    );
    const [hit] = await kg.sut.searchSimilarIssues('FTA_ROME unlinked');
    expect(hit.userQuery).toBe('Workstation FTA_ROME unlinked at night');
    expect(fake.batches).toEqual([]);
    expect(await kg.counter('errors')).toBe(0);
    expect(await kg.sut.delete(id)).toBe(true);
  });

  // The vector path wherever pgvector exists: PGlite always, the server when it has the extension.
  if (!target.vector) return;

  it('embeds new memories in batches, fixes the dimension once and builds the HNSW index', async () => {
    const kg = newKnowledgeGraph(opened.database, env());
    expect(kg.embedder.enabled).toBe(true);
    const chunks = Array.from(
      { length: 10 },
      (_, i) => `Runbook section ${i}: restart the batchman process on workstation CPU${i}`,
    );
    expect(await kg.sut.addDocumentChunks('batchman-runbook.pdf', chunks)).toBe(10);
    expect(await embeddedCount()).toBe(10);
    expect(fake.batches).toEqual([4, 4, 2]);
    const setting = await sql<{
      value: unknown;
    }>`SELECT value FROM app_settings WHERE key = ${EMBEDDING_SETTING_KEY}`.execute(opened.database.db());
    expect(setting.rows[0].value).toEqual({ model: 'nomic-embed-text', dimension: 32 });
    const index = await sql<{
      indexdef: string;
    }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_memories_embedding_hnsw'`.execute(
      opened.database.db(),
    );
    expect(index.rows[0].indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
  });

  it('finds by meaning what full-text search misses (hybrid)', async () => {
    const strict = { KNOWLEDGE_MIN_RELEVANCE: '0.6', KNOWLEDGE_MIN_SIMILARITY: '0.4' };
    const hybrid = newKnowledgeGraph(opened.database, { ...env(), ...strict });
    const textOnly = newKnowledgeGraph(opened.database, strict);
    await hybrid.sut.addConversation(
      'Agent FTA_OSLO went offline after the network change',
      'Reopened port 31111 on the firewall',
      'a',
    );
    // Two of four words match ("down" is a stop word): below the text cut-off. The embedding model knows "disconnected" ~ "offline".
    const question = 'FTA_OSLO unreachable disconnected down';
    expect(await textOnly.sut.searchSimilarIssues(question)).toEqual([]);
    const [hit] = await hybrid.sut.searchSimilarIssues(question);
    expect(hit?.userQuery).toBe('Agent FTA_OSLO went offline after the network change');
    // Rejected memories are filtered out of the vector list as well.
    await hybrid.sut.setStatus(hit.id, 'rejected');
    expect((await hybrid.sut.searchSimilarIssues(question, 50)).map((m) => m.id)).not.toContain(hit.id);
    await hybrid.sut.setStatus(hit.id, 'active');
  });

  it('keeps writing and searching when the embeddings server fails, and back-fills later', async () => {
    const kg = newKnowledgeGraph(opened.database, env());
    fake.failing = true;
    try {
      const errors = await kg.counter('errors');
      const id = await kg.sut.addConversation(
        'Job INVOICE_EXPORT abended with RC 8 during the night run',
        'Disk full on /exports',
        'a',
      );
      expect((await kg.sut.searchSimilarIssues('INVOICE_EXPORT abended'))[0]?.id).toBe(id);
      expect(await kg.counter('errors')).toBeGreaterThan(errors);
      const missing = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM knowledge_memories WHERE embedding IS NULL`.execute(opened.database.db());
      expect(Number(missing.rows[0].n)).toBeGreaterThan(0);
    } finally {
      fake.failing = false;
    }
    expect(await kg.embedder.backfill()).toBeGreaterThan(0);
    const missing = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM knowledge_memories WHERE embedding IS NULL`.execute(opened.database.db());
    expect(Number(missing.rows[0].n)).toBe(0);
  });

  it('refuses vectors of another dimension from the same model, and re-embeds everything when the model changes', async () => {
    const kg = newKnowledgeGraph(opened.database, env());
    await kg.sut.searchSimilarIssues('warm up');
    fake.dimension = 16;
    try {
      const errors = await kg.counter('errors');
      expect(await kg.embedder.embedQuery('anything')).toBeUndefined();
      expect(await kg.counter('errors')).toBe(errors + 1);
      // Text search still answers.
      expect(await kg.sut.searchSimilarIssues('INVOICE_EXPORT abended')).toHaveLength(1);

      const other = newKnowledgeGraph(opened.database, { ...env(), EMBEDDING_MODEL: 'all-minilm' });
      expect(await other.embedder.embedQuery('anything')).toHaveLength(16);
      expect(await other.embedder.backfill()).toBeGreaterThan(0);
      const dims = await sql<{
        d: number;
      }>`SELECT DISTINCT vector_dims(embedding) AS d FROM knowledge_memories`.execute(opened.database.db());
      expect(dims.rows.map((r) => Number(r.d))).toEqual([16]);
      const [hit] = await other.sut.searchSimilarIssues('workstation disconnected after network change');
      expect(hit?.userQuery).toBe('Agent FTA_OSLO went offline after the network change');
    } finally {
      fake.dimension = 32;
    }
  });
});
