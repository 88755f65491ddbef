import type { Migration } from './migration';

/**
 * Facts a model extracted from a conversation point at it, so that a reviewer who rejects the
 * conversation takes its facts out of retrieval too, and deleting it deletes them.
 */
export const knowledgeDerivedFactsMigration: Migration = {
  id: '0302_knowledge_derived_facts',
  up: () => `
    ALTER TABLE knowledge_memories ADD COLUMN IF NOT EXISTS derived_from uuid REFERENCES knowledge_memories (id) ON DELETE CASCADE;
    CREATE INDEX IF NOT EXISTS knowledge_memories_derived_from ON knowledge_memories (derived_from) WHERE derived_from IS NOT NULL;
  `,
};
