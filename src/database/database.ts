import { Kysely, sql, type Transaction } from 'kysely';

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * The database port: a Kysely handle over PGlite or a PostgreSQL server, both speaking the same
 * SQL. Each feature declares its own table types and asks for a typed view with `db<T>()`.
 */
export class Database {
  constructor(
    private readonly kysely: Kysely<unknown>,
    readonly kind: DatabaseKind,
    /** True when the pgvector extension is installed, so `vector` columns and HNSW indexes exist. */
    readonly hasVector: boolean,
  ) {}

  db<T>(): Kysely<T> {
    return this.kysely as Kysely<T>;
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T, R>(work: (trx: Transaction<T>) => Promise<R>): Promise<R> {
    return this.db<T>().transaction().execute(work);
  }

  /** A round trip with a deadline, for readiness probes. */
  async ping(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([sql`select 1`.execute(this.kysely), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}
