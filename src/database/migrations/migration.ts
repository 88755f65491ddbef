/** What a migration may depend on: the same SQL runs on PGlite and the server, except vector parts. */
export interface MigrationContext {
  hasVector: boolean;
}

/**
 * A versioned schema change. `id` sorts in apply order and is recorded in `schema_migrations`;
 * never edit one that has shipped: add the next.
 */
export interface Migration {
  id: string;
  up(context: MigrationContext): string;
}
