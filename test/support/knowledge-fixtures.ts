import { Counter, Registry } from 'prom-client';
import { AuditFlagRepository } from '../../src/audit/audit-flag.repository';
import type { AuditObserver } from '../../src/audit/audit-metrics';
import { AuditService } from '../../src/audit/audit.service';
import { MemoryWritePolicy } from '../../src/auth/memory-write-policy';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import type { Database } from '../../src/database/database';
import type { IFactExtractor } from '../../src/knowledge/fact-extractor.port';
import { KnowledgeMetrics } from '../../src/knowledge/knowledge.metrics';
import { MemoryEmbedder } from '../../src/knowledge/memory-embedder';
import { MemoryRepository } from '../../src/knowledge/memory-repository';
import { MemoryWriteGate } from '../../src/knowledge/memory-write-gate';
import { OpenAiEmbeddings } from '../../src/knowledge/openai-embeddings';
import { PgKnowledgeGraph } from '../../src/knowledge/pg-knowledge-graph';
import { ReviewedMemories } from '../../src/knowledge/reviewed-memories';
import { TermWeights } from '../../src/knowledge/term-weights';

export interface KnowledgeUnderTest {
  sut: PgKnowledgeGraph;
  /** The review queue the graph's write gate flags risky memories into. */
  audit: AuditService;
  embedder: MemoryEmbedder;
  repository: MemoryRepository;
  config: AppConfig;
  /** Current value of a knowledge_agent_* counter. */
  counter(name: 'saves' | 'searches' | 'errors'): Promise<number>;
}

const ignoredAuditMetrics: AuditObserver = { flagged: () => {}, reviewed: () => {}, submitFailed: () => {} };

/**
 * The knowledge graph wired by hand over a real database, as the module wires it. `env` is the
 * environment the configuration is loaded from (KNOWLEDGE_*, EMBEDDING_*); `factExtractor` stands
 * in for the LLM module's. The write gate runs the real auditor and review queue on the same database.
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
  const audit = new AuditService(
    config,
    new AuditFlagRepository(database),
    new ReviewedMemories(repository),
    ignoredAuditMetrics,
  );
  const gate = new MemoryWriteGate(new MemoryWritePolicy(config), audit);
  const sut = new PgKnowledgeGraph(
    config,
    repository,
    embedder,
    new TermWeights(repository),
    metrics,
    gate,
    factExtractor ?? null,
  );
  return {
    sut,
    audit,
    embedder,
    repository,
    config,
    counter: async (name) => (await counters[name].get()).values[0]?.value ?? 0,
  };
}
