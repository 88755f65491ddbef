import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import { type FakeEmbeddingsServer, startFakeEmbeddingsServer } from '../../test/support/fake-embeddings-server';
import { type KnowledgeUnderTest, newKnowledgeGraph } from '../../test/support/knowledge-fixtures';
import { TWS_INCIDENTS, TWS_QUESTIONS } from '../../test/support/tws-incident-corpus';

/** Relevance on a realistic incident memory: the right memory in the top 3 for every question. */
describe.each(databaseTargets())('Search relevance on $name', (target) => {
  let opened: OpenedDatabase;
  let fake: FakeEmbeddingsServer;
  let ids: Map<string, string>;
  const modes: [string, () => KnowledgeUnderTest][] = [];

  beforeAll(async () => {
    fake = await startFakeEmbeddingsServer(64);
    opened = await target.open();
    const loader = newKnowledgeGraph(opened.database, {
      EMBEDDING_MODEL: 'nomic-embed-text',
      EMBEDDING_BASE_URL: fake.url,
    });
    ids = new Map();
    for (const memory of TWS_INCIDENTS) {
      ids.set(await loader.sut.addConversation(memory.problem, memory.solution, 'tws-troubleshooter'), memory.key);
    }
  });

  afterAll(async () => {
    await opened.dispose();
    await fake.close();
  });

  modes.push(['text only', () => newKnowledgeGraph(opened.database)]);
  // Hybrid wherever pgvector exists (without it the same search would be text-only again).
  if (target.vector)
    modes.push([
      'hybrid',
      () => newKnowledgeGraph(opened.database, { EMBEDDING_MODEL: 'nomic-embed-text', EMBEDDING_BASE_URL: fake.url }),
    ]);

  it.each(modes)('%s: the right memory is in the top 3 for every question', async (mode, make) => {
    const kg = make();
    expect(kg.embedder.enabled).toBe(mode === 'hybrid');
    const batches = fake.batches.length;
    expect(TWS_QUESTIONS.length).toBeGreaterThanOrEqual(15);
    const misses: string[] = [];
    let firsts = 0;
    for (const { question, expected } of TWS_QUESTIONS) {
      const keys = (await kg.sut.searchSimilarIssues(question, 3)).map((m) => ids.get(m.id));
      if (!keys.includes(expected)) misses.push(`${question} → ${keys.join(', ') || 'nothing'} (wanted ${expected})`);
      if (keys[0] === expected) firsts++;
    }
    // Hybrid really asked the embeddings server: one vector per question.
    expect(fake.batches.length - batches).toBe(mode === 'hybrid' ? TWS_QUESTIONS.length : 0);
    expect(misses).toEqual([]);
    expect(firsts).toBeGreaterThanOrEqual(Math.ceil(TWS_QUESTIONS.length * 0.8));
  });

  it('returns nothing for questions the memory knows nothing about', async () => {
    const kg = newKnowledgeGraph(opened.database, {
      EMBEDDING_MODEL: 'nomic-embed-text',
      EMBEDDING_BASE_URL: fake.url,
    });
    for (const question of [
      'What is the canteen menu on Friday?',
      'How do I book a meeting room?',
      'quarterly sales forecast spreadsheet',
    ]) {
      expect(await kg.sut.searchSimilarIssues(question)).toEqual([]);
    }
  });
});
