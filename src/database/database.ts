import { Kysely, sql, type Transaction } from 'kysely';

export type DatabaseKind = 'pglite' | 'postgres';

/** A session-level advisory lock held on its own connection (see `Database.tryHoldLock`). */
export interface HeldLock {
  /** False once the connection holding the lock has failed: the lock is gone with it. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** PGlite is one process's database: nobody else can take the lock. */
const IN_PROCESS_LOCK: HeldLock = { stillHeld: () => Promise.resolve(true), release: () => Promise.resolve() };

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

  /**
   * Takes the session-level advisory lock `key` if it is free, and keeps it on a connection of its
   * own (taken from the pool) until `release()` or until that connection dies — which is how the
   * other instances learn that the holder is gone. Undefined when another session holds it.
   */
  async tryHoldLock(key: number): Promise<HeldLock | undefined> {
    if (this.kind === 'pglite') return IN_PROCESS_LOCK;
    return new Promise<HeldLock | undefined>((resolve, reject) => {
      let letGo!: () => void;
      const released = new Promise<void>((done) => (letGo = done));
      const holding = this.kysely.connection().execute(async (connection) => {
        const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${key}) AS locked`.execute(
          connection,
        );
        if (!rows[0]?.locked) return resolve(undefined);
        resolve({
          stillHeld: () =>
            sql`SELECT 1`.execute(connection).then(
              () => true,
              () => false,
            ),
          release: async () => {
            letGo();
            await holding.catch(() => undefined);
          },
        });
        await released;
        await sql`SELECT pg_advisory_unlock(${key})`.execute(connection).catch(() => undefined);
      });
      holding.catch(reject);
    });
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
