import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Kysely, Selectable } from 'kysely';
import type { Caller } from '../../auth/caller';
import { Database } from '../../database/database';

interface TwsActionsTable {
  id: string;
  caller_id: string;
  caller_via: string;
  command: string;
  verb: string;
  scope: 'job' | 'stream';
  target: string;
  target_id: string | null;
  outcome: ActionOutcome;
  message: string;
  error_code: string | null;
  created_at: Date;
}

/** `pending` from the moment a command is recorded until HWA has answered it. */
export type ActionOutcome = 'pending' | 'ok' | 'error';

interface Tables {
  tws_actions: TwsActionsTable;
}

/** One operator command as it was run: who, what, against which plan object, when, and what HWA answered. */
export interface OperatorAction {
  id: string;
  callerId: string;
  callerVia: string;
  command: string;
  verb: string;
  scope: 'job' | 'stream';
  /** The target as the operator named it (plan id or WORKSTATION#JOBSTREAM[.JOB]). */
  target: string;
  /** The plan id it resolved to; absent when resolving failed. */
  targetId: string | null;
  outcome: ActionOutcome;
  message: string;
  errorCode: string | null;
  createdAt: string;
}

/** A command as parsed, before anything was sent to HWA. */
export type NewOperatorAction = Pick<OperatorAction, 'command' | 'verb' | 'scope' | 'target'>;

/** What became of a command once HWA answered (or resolving its target failed). */
export type CommandResult = Pick<OperatorAction, 'targetId' | 'message' | 'errorCode'> & {
  outcome: Exclude<ActionOutcome, 'pending'>;
};

export interface OperatorActionPage {
  total: number;
  actions: OperatorAction[];
}

function toAction(row: Selectable<TwsActionsTable>): OperatorAction {
  return {
    id: row.id,
    callerId: row.caller_id,
    callerVia: row.caller_via,
    command: row.command,
    verb: row.verb,
    scope: row.scope,
    target: row.target,
    targetId: row.target_id,
    outcome: row.outcome,
    message: row.message,
    errorCode: row.error_code,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * The `tws_actions` table: the record of /api/execute. A command is written before it reaches
 * HWA and settled once with its result, so no action is ever taken without a trace.
 */
@Injectable()
export class OperatorActionRepository {
  private readonly db: Kysely<Tables>;

  constructor(database: Database) {
    this.db = database.db<Tables>();
  }

  /** Records a command as `pending`; it is called before the command is sent, so a failure here stops it. */
  async begin(caller: Pick<Caller, 'id' | 'via'>, action: NewOperatorAction): Promise<OperatorAction> {
    const row = await this.db
      .insertInto('tws_actions')
      .values({
        id: randomUUID(),
        caller_id: caller.id,
        caller_via: caller.via,
        command: action.command,
        verb: action.verb,
        scope: action.scope,
        target: action.target,
        target_id: null,
        outcome: 'pending',
        message: '',
        error_code: null,
        created_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAction(row);
  }

  /** Writes the result of a pending command; a settled command is never changed again. */
  async settle(id: string, result: CommandResult): Promise<OperatorAction> {
    const row = await this.db
      .updateTable('tws_actions')
      .set({
        target_id: result.targetId,
        outcome: result.outcome,
        message: result.message,
        error_code: result.errorCode,
      })
      .where('id', '=', id)
      .where('outcome', '=', 'pending')
      .returningAll()
      .executeTakeFirstOrThrow(() => new Error(`No pending operator command ${id}`));
    return toAction(row);
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<OperatorActionPage> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('tws_actions')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.db
        .selectFrom('tws_actions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { total: Number(count.n), actions: rows.map(toAction) };
  }
}
