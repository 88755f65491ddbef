import type { ModuleRef } from '@nestjs/core';
import { Counter, Registry } from 'prom-client';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import type { Database } from '../../src/database/database';
import type { IFactExtractor } from '../../src/knowledge/fact-extractor.port';
import { KnowledgeMetrics } from '../../src/knowledge/knowledge.metrics';
import { MemoryEmbedder } from '../../src/knowledge/memory-embedder';
import { MemoryRepository } from '../../src/knowledge/memory-repository';
import { OpenAiEmbeddings } from '../../src/knowledge/openai-embeddings';
import { PgKnowledgeGraph } from '../../src/knowledge/pg-knowledge-graph';
import { TermWeights } from '../../src/knowledge/term-weights';

export interface KnowledgeUnderTest {
  sut: PgKnowledgeGraph;
  embedder: MemoryEmbedder;
  repository: MemoryRepository;
  config: AppConfig;
  /** Current value of a knowledge_agent_* counter. */
  counter(name: 'saves' | 'searches' | 'errors'): Promise<number>;
}

/**
 * The knowledge graph wired by hand over a real database, as the module wires it. `env` is the
 * environment the configuration is loaded from (KNOWLEDGE_*, EMBEDDING_*); `factExtractor` stands
 * in for the agents module's.
 */
export function newKnowledgeGraph(
  database: Database,
  env: Record<string, string> = {},
  factExtractor?: IFactExtractor,
): KnowledgeUnderTest {
  const config = loadConfig({ DATA_DIR: '/tmp', ...env });
  const registry = new Registry();
  const counters = {
    saves: new Counter({ name: 'knowledge_agent_memory_saves_total', help: 's', registers: [registry] }),
    searches: new Counter({ name: 'knowledge_agent_memory_searches_total', help: 's', registers: [registry] }),
    errors: new Counter({ name: 'knowledge_agent_memory_errors_total', help: 'e', registers: [registry] }),
  };
  const metrics = new KnowledgeMetrics(counters.saves, counters.searches, counters.errors);
  const repository = new MemoryRepository(database);
  const embeddings = config.knowledge.embedding ? new OpenAiEmbeddings(config.knowledge.embedding) : null;
  const embedder = new MemoryEmbedder(database, repository, metrics, embeddings);
  const moduleRef = {
    get: () => {
      if (factExtractor) return factExtractor;
      throw new Error('not provided');
    },
  } as unknown as ModuleRef;
  const sut = new PgKnowledgeGraph(config, repository, embedder, new TermWeights(repository), metrics, moduleRef);
  sut.onApplicationBootstrap();
  return {
    sut,
    embedder,
    repository,
    config,
    counter: async (name) => (await counters[name].get()).values[0]?.value ?? 0,
  };
}
