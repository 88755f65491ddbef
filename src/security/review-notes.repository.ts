import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { Database } from '../database/database';

interface ReviewNotesTable {
  review_notes: {
    id: string;
    content: string;
    caller_id: string;
    caller_via: string;
    slack_user_id: string | null;
    created_at: Date;
  };
}

export interface ReviewNote {
  id: string;
  content: string;
  callerId: string;
  createdAt: Date;
}

@Injectable()
export class ReviewNotesRepository {
  constructor(private readonly database: Database) {}

  async add(content: string, caller: Caller): Promise<ReviewNote> {
    const row = await this.database
      .db<ReviewNotesTable>()
      .insertInto('review_notes')
      .values({
        id: randomUUID(),
        content,
        caller_id: caller.id,
        caller_via: caller.via,
        slack_user_id: caller.slackUserId ?? null,
        created_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { id: row.id, content: row.content, callerId: row.caller_id, createdAt: new Date(row.created_at) };
  }

  async find(id: string): Promise<ReviewNote | undefined> {
    const row = await this.database
      .db<ReviewNotesTable>()
      .selectFrom('review_notes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { id: row.id, content: row.content, callerId: row.caller_id, createdAt: new Date(row.created_at) };
  }

  async count(): Promise<number> {
    const row = await this.database
      .db<ReviewNotesTable>()
      .selectFrom('review_notes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
