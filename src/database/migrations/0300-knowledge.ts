import type { Migration } from './migration';

/**
 * The learning memory. Text search always (generated tsvector + GIN); the `embedding` column only
 * where pgvector exists. It is created without a dimension: the first embedding fixes it (see
 * `EmbeddingIndex`), which then types the column and builds the HNSW index.
 */
export const knowledgeMigration: Migration = {
  id: '0300_knowledge',
  up: ({ hasVector }) => `
    CREATE TABLE knowledge_memories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('conversation', 'thread', 'document', 'fact')),
      content text NOT NULL,
      user_query text,
      agent_response text,
      agent_id text,
      scope_key text NOT NULL DEFAULT '',
      channel_id text,
      thread_ts text,
      source_file text,
      chunk_index integer,
      caller_id text,
      slack_user_id text,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'flagged', 'approved', 'rejected')),
      feedback text,
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      content_hash text NOT NULL,
      search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
      ${hasVector ? 'embedding vector,' : ''}
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX knowledge_memories_scope_hash ON knowledge_memories (scope_key, content_hash);
    CREATE INDEX knowledge_memories_search ON knowledge_memories USING gin (search_vector);
    CREATE INDEX knowledge_memories_thread ON knowledge_memories (channel_id, thread_ts) WHERE thread_ts IS NOT NULL;
    CREATE INDEX knowledge_memories_source ON knowledge_memories (source_file) WHERE source_file IS NOT NULL;
    ${hasVector ? 'CREATE INDEX knowledge_memories_unembedded ON knowledge_memories (created_at) WHERE embedding IS NULL;' : ''}

    CREATE TABLE knowledge_threads (
      channel_id text NOT NULL,
      thread_ts text NOT NULL,
      message_count integer NOT NULL,
      memories_saved integer NOT NULL,
      ingested_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, thread_ts)
    );
  `,
};
