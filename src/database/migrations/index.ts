import { coreMigration } from './0001-core';
import { ingestionMigration } from './0400-ingestion';
import type { Migration } from './migration';

/** Every migration, in apply order. Add new ones at the end. */
export const MIGRATIONS: readonly Migration[] = [coreMigration, ingestionMigration];
