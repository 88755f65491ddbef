import { sql } from 'kysely';
import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { runMigrations } from './migrator';

interface NotesTable {
  notes: { id: number; body: string };
}

const notesMigration: Migration = {
  id: '9000_notes',
  up: () => 'CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL); CREATE INDEX notes_body ON notes (body);',
};

describe.each(databaseTargets())('Database on $name', (target) => {
  let opened: OpenedDatabase;

  beforeAll(async () => {
    opened = await target.open();
    await runMigrations(opened.database, [...MIGRATIONS, notesMigration]);
  });

  afterAll(() => opened.dispose());

  it('records applied migrations and re-running applies nothing', async () => {
    const again = await runMigrations(opened.database, [...MIGRATIONS, notesMigration]);
    expect(again).toEqual([]);
    const rows = await sql<{ id: string }>`SELECT id FROM schema_migrations ORDER BY id`.execute(opened.database.db());
    expect(rows.rows.map((r) => r.id)).toEqual([...MIGRATIONS.map((m) => m.id), '9000_notes']);
  });

  it('applies concurrent migration runs exactly once', async () => {
    const next: Migration = { id: '9001_notes_extra', up: () => 'ALTER TABLE notes ADD COLUMN extra text;' };
    const runs = await Promise.all([1, 2, 3].map(() => runMigrations(opened.database, [notesMigration, next])));
    expect(runs.flat()).toEqual(['9001_notes_extra']);
  });

  it('rolls a failing migration back whole, records nothing and stops there', async () => {
    const broken: Migration = {
      id: '9002_broken',
      up: () => 'CREATE TABLE half_done (id integer); SELECT no_such_column FROM notes;',
    };
    const later: Migration = { id: '9003_after_broken', up: () => 'CREATE TABLE after_broken (id integer);' };
    await expect(runMigrations(opened.database, [notesMigration, broken, later])).rejects.toThrow(/no_such_column/);
    const tables = await sql<{
      name: string;
    }>`SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('half_done', 'after_broken')`.execute(
      opened.database.db(),
    );
    expect(tables.rows).toEqual([]);
    const recorded = await sql<{
      id: string;
    }>`SELECT id FROM schema_migrations WHERE id LIKE '900%' ORDER BY id`.execute(opened.database.db());
    expect(recorded.rows.map((r) => r.id)).not.toContain('9002_broken');
  });

  it('commits a transaction that resolves', async () => {
    await opened.database.transaction<NotesTable, void>(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, body: 'kept' }).execute();
    });
    const row = await opened.database
      .db<NotesTable>()
      .selectFrom('notes')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirst();
    expect(row?.body).toBe('kept');
  });

  it('rolls back everything a failing transaction wrote', async () => {
    await expect(
      opened.database.transaction<NotesTable, void>(async (trx) => {
        await trx.insertInto('notes').values({ id: 2, body: 'half' }).execute();
        await trx.insertInto('notes').values({ id: 2, body: 'duplicate key' }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    const row = await opened.database
      .db<NotesTable>()
      .selectFrom('notes')
      .selectAll()
      .where('id', '=', 2)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('keeps other queries out of an open transaction', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = opened.database.transaction<NotesTable, void>(async (trx) => {
      await trx.insertInto('notes').values({ id: 3, body: 'in flight' }).execute();
      await gate;
      throw new Error('abort');
    });
    const outside = opened.database
      .db<NotesTable>()
      .selectFrom('notes')
      .selectAll()
      .where('id', '=', 3)
      .executeTakeFirst();
    setTimeout(release, 20);
    await expect(tx).rejects.toThrow('abort');
    expect(await outside).toBeUndefined();
  });

  it('answers a ping', async () => {
    await expect(opened.database.ping(2000)).resolves.toBeUndefined();
  });
});
