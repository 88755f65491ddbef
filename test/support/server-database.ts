import { Client } from 'pg';

export interface ServerDatabase {
  /** The server URL pointing at the new database. */
  url: string;
  drop(): Promise<void>;
}

/** An empty database on the server (for an app or a repository test), dropped by `drop()`. */
export async function createServerDatabase(serverUrl: string): Promise<ServerDatabase> {
  const name = `resync_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
