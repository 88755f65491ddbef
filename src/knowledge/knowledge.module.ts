import { Global, Module } from '@nestjs/common';
import { ToolRegistry } from '../agents/tools/tool-registry';
import { IReviewedMemories } from '../audit/reviewed-memories.port';
import { AppConfig } from '../config/app-config';
import { IEmbeddings } from './embeddings.port';
import { IngestThreadController } from './ingest-thread.controller';
import { IKnowledgeGraph } from './knowledge-graph.port';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeMetrics, knowledgeMetricProviders } from './knowledge.metrics';
import { MemoryEmbedder } from './memory-embedder';
import { MemoryRepository } from './memory-repository';
import { MemoryWriteGate } from './memory-write-gate';
import { OpenAiEmbeddings } from './openai-embeddings';
import { PgKnowledgeGraph } from './pg-knowledge-graph';
import { ReviewedMemories } from './reviewed-memories';
import { SearchMemoryTool } from './search-memory.tool';
import { TermWeights } from './term-weights';

/**
 * The learning memory. Global: chat, query and ingestion use `IKnowledgeGraph`; the review queue
 * applies its decisions through `IReviewedMemories`. Every write passes `MemoryWriteGate`, which
 * needs the auth module's write policy and the audit module's queue: without them the app does not boot.
 */
@Global()
@Module({
  controllers: [IngestThreadController, KnowledgeController],
  providers: [
    ...knowledgeMetricProviders,
    KnowledgeMetrics,
    MemoryRepository,
    {
      provide: IEmbeddings,
      inject: [AppConfig],
      // Absent without EMBEDDING_MODEL: the embedder then stays off and search is full-text only.
      useFactory: (config: AppConfig) =>
        config.knowledge.embedding ? new OpenAiEmbeddings(config.knowledge.embedding) : null,
    },
    MemoryEmbedder,
    TermWeights,
    PgKnowledgeGraph,
    { provide: IKnowledgeGraph, useExisting: PgKnowledgeGraph },
    MemoryWriteGate,
    { provide: IReviewedMemories, useClass: ReviewedMemories },
    SearchMemoryTool,
  ],
  exports: [IKnowledgeGraph, IReviewedMemories],
})
export class KnowledgeModule {
  /** Registered as soon as the module exists, so anything that inspects the registry before init sees it. */
  constructor(tools: ToolRegistry, searchMemory: SearchMemoryTool) {
    tools.register(searchMemory);
  }
}
