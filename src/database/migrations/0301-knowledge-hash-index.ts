import type { Migration } from './migration';

/**
 * The dedupe index led with scope_key, which made the planner filter a whole scope row by row
 * instead of using the full-text index. Leading with the hash keeps it a pure uniqueness check.
 */
export const knowledgeHashIndexMigration: Migration = {
  id: '0301_knowledge_hash_index',
  up: () => `
    DROP INDEX IF EXISTS knowledge_memories_scope_hash;
    CREATE UNIQUE INDEX knowledge_memories_hash_scope ON knowledge_memories (content_hash, scope_key);
  `,
};
