import type { Migration } from './migration';

/**
 * Every memory write is screened, not only conversations: the queue says what kind of memory
 * waits (a thread, a document chunk, a fact, a note), so the reviewer reads it right.
 */
export const auditMemoryKindMigration: Migration = {
  id: '0501_audit_memory_kind',
  up: () => `
    ALTER TABLE audit_flags ADD COLUMN IF NOT EXISTS memory_kind text NOT NULL DEFAULT 'conversation';
  `,
};
