import { coreMigration } from './0001-core';
import { reviewNotesMigration } from './0100-review-notes';
import { twsActionsMigration } from './0200-tws-actions';
import { knowledgeMigration } from './0300-knowledge';
import { knowledgeHashIndexMigration } from './0301-knowledge-hash-index';
import { knowledgeDerivedFactsMigration } from './0302-knowledge-derived-facts';
import { knowledgeNotesMigration } from './0303-knowledge-notes';
import { ingestionMigration } from './0400-ingestion';
import { auditMigration } from './0500-audit';
import { auditMemoryKindMigration } from './0501-audit-memory-kind';
import { watchMigration } from './0600-watch';
import type { Migration } from './migration';

/** Every migration, in id order (the order they apply in). */
export const MIGRATIONS: readonly Migration[] = [
  coreMigration,
  reviewNotesMigration,
  twsActionsMigration,
  knowledgeMigration,
  knowledgeHashIndexMigration,
  knowledgeDerivedFactsMigration,
  knowledgeNotesMigration,
  ingestionMigration,
  auditMigration,
  auditMemoryKindMigration,
  watchMigration,
];
