import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Kysely, type Selectable, sql } from 'kysely';
import { Database } from '../database/database';
import type { ScreenedKind } from './audit-queue.port';
import type { AuditFlag, FlagCounts, FlagFilter, FlagStatus } from './audit-flag';

interface AuditFlagsTable {
  id: string;
  memory_id: string;
  memory_kind: string;
  agent_id: string;
  user_query: string;
  agent_response: string;
  reason: string;
  rules: string[];
  confidence: number;
  status: FlagStatus;
  reviewer: string | null;
  reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface AuditTables {
  audit_flags: AuditFlagsTable;
}

export type NewFlag = Pick<
  AuditFlag,
  'memoryId' | 'memoryKind' | 'agentId' | 'userQuery' | 'agentResponse' | 'reason' | 'rules' | 'confidence'
>;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toFlag(row: Selectable<AuditFlagsTable>): AuditFlag {
  return {
    id: row.id,
    memoryId: row.memory_id,
    memoryKind: row.memory_kind as ScreenedKind,
    agentId: row.agent_id,
    userQuery: row.user_query,
    agentResponse: row.agent_response,
    reason: row.reason,
    rules: row.rules,
    confidence: Number(row.confidence),
    status: row.status,
    reviewer: row.reviewer,
    reviewedAt: iso(row.reviewed_at),
    createdAt: iso(row.created_at) as string,
  };
}

/** `%` and `_` in the user's text are literal characters, not wildcards. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The `audit_flags` table: one row per flagged memory. */
@Injectable()
export class AuditFlagRepository {
  private readonly db: Kysely<AuditTables>;

  constructor(database: Database) {
    this.db = database.db<AuditTables>();
  }

  /**
   * Records a flag, or refreshes one still waiting for review; a decided flag is left as the
   * human decided it. Returns the stored flag.
   */
  async upsert(flag: NewFlag): Promise<AuditFlag> {
    const now = new Date();
    const values = {
      memory_kind: flag.memoryKind,
      agent_id: flag.agentId,
      user_query: flag.userQuery,
      agent_response: flag.agentResponse,
      reason: flag.reason,
      rules: flag.rules,
      confidence: flag.confidence,
      updated_at: now,
    };
    await this.db
      .insertInto('audit_flags')
      .values({ id: randomUUID(), memory_id: flag.memoryId, status: 'pending', created_at: now, ...values })
      .onConflict((oc) => oc.column('memory_id').doUpdateSet(values).where('audit_flags.status', '=', 'pending'))
      .execute();
    return (await this.findByMemoryId(flag.memoryId)) as AuditFlag;
  }

  async findByMemoryId(memoryId: string): Promise<AuditFlag | undefined> {
    const row = await this.db
      .selectFrom('audit_flags')
      .selectAll()
      .where('memory_id', '=', memoryId)
      .executeTakeFirst();
    return row && toFlag(row);
  }

  async list(filter: FlagFilter): Promise<AuditFlag[]> {
    let query = this.db.selectFrom('audit_flags').selectAll();
    if (filter.status !== 'all') query = query.where('status', '=', filter.status);
    if (filter.query) {
      const pattern = likePattern(filter.query);
      query = query.where((eb) => eb.or([eb('user_query', 'ilike', pattern), eb('agent_response', 'ilike', pattern)]));
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map(toFlag);
  }

  /**
   * Moves a pending flag to a decision in one statement: when several reviews race, exactly one
   * finds it pending. Returns the decided flag, or undefined when it was not pending.
   */
  async decide(
    memoryId: string,
    status: Exclude<FlagStatus, 'pending'>,
    reviewer: string,
  ): Promise<AuditFlag | undefined> {
    const now = new Date();
    const row = await this.db
      .updateTable('audit_flags')
      .set({ status, reviewer, reviewed_at: now, updated_at: now })
      .where('memory_id', '=', memoryId)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    return row && toFlag(row);
  }

  /** Undoes a decision whose follow-up failed, so the flag can be reviewed again. */
  async reopen(flag: AuditFlag): Promise<void> {
    await this.db
      .updateTable('audit_flags')
      .set({ status: 'pending', reviewer: null, reviewed_at: null, updated_at: new Date() })
      .where('memory_id', '=', flag.memoryId)
      .where('status', '=', flag.status)
      .where('reviewer', '=', flag.reviewer)
      .execute();
  }

  async counts(): Promise<FlagCounts> {
    const rows = await this.db
      .selectFrom('audit_flags')
      .select(['status', sql<string>`count(*)`.as('count')])
      .groupBy('status')
      .execute();
    const counts: FlagCounts = { pending: 0, approved: 0, rejected: 0, total: 0 };
    for (const row of rows) {
      counts[row.status] = Number(row.count);
      counts.total += Number(row.count);
    }
    return counts;
  }
}
