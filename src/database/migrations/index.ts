import { coreMigration } from './0001-core';
import { knowledgeMigration } from './0300-knowledge';
import type { Migration } from './migration';

/** Every migration, in apply order. Add new ones at the end. */
export const MIGRATIONS: readonly Migration[] = [coreMigration, knowledgeMigration];
