import type { ColumnType, Generated } from 'kysely';
import type { MemoryKind, MemoryStatus } from './knowledge-graph.port';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface KnowledgeMemoriesTable {
  id: Generated<string>;
  kind: MemoryKind;
  content: string;
  user_query: string | null;
  agent_response: string | null;
  agent_id: string | null;
  scope_key: string;
  channel_id: string | null;
  thread_ts: string | null;
  source_file: string | null;
  chunk_index: number | null;
  caller_id: string | null;
  slack_user_id: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<MemoryStatus>;
  feedback: string | null;
  rating: number | null;
  content_hash: string;
  /** A fact's source conversation: rejecting or deleting it takes the fact along. */
  derived_from: string | null;
  /** Only where pgvector exists; written as the text form `[1,2,3]`. */
  embedding: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KnowledgeThreadsTable {
  channel_id: string;
  thread_ts: string;
  message_count: number;
  memories_saved: number;
  ingested_at: Timestamp;
}

export interface AppSettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface KnowledgeTables {
  knowledge_memories: KnowledgeMemoriesTable;
  knowledge_threads: KnowledgeThreadsTable;
  app_settings: AppSettingsTable;
}
