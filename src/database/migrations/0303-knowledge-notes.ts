import type { Migration } from './migration';

/** Notes (an incident's resolution, written by the watcher) are memories of their own kind. */
export const knowledgeNotesMigration: Migration = {
  id: '0303_knowledge_notes',
  up: () => `
    ALTER TABLE knowledge_memories DROP CONSTRAINT IF EXISTS knowledge_memories_kind_check;
    ALTER TABLE knowledge_memories ADD CONSTRAINT knowledge_memories_kind_check
      CHECK (kind IN ('conversation', 'thread', 'document', 'fact', 'note'));
  `,
};
