import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { Database } from '../database/database';
import type {
  Impact,
  Incident,
  IncidentDetails,
  IncidentEvent,
  IncidentEventType,
  IncidentKind,
  IncidentMemory,
  IncidentStatus,
} from './incident';
import type { IncidentPage, IncidentQuery } from './incident-feed.port';

interface IncidentsTable {
  id: string;
  kind: string;
  object: string;
  status: IncidentStatus;
  active: boolean;
  fingerprint: string;
  summary: string;
  impact: Impact;
  log_tail: string | null;
  memories: IncidentMemory[];
  next_step: string;
  details: IncidentDetails;
  opened_at: Date;
  updated_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  resolution_memory_id: string | null;
}

interface EventsTable {
  seq: Generated<string | number | bigint>;
  incident_id: string;
  type: IncidentEventType;
  created_at: Generated<Date>;
}

export type DeliveryTarget = 'slack' | 'webhook';

interface DeliveriesTable {
  id: string;
  event_seq: string | number | bigint;
  target: DeliveryTarget;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

interface Tables {
  incidents: IncidentsTable;
  incident_events: EventsTable;
  incident_deliveries: DeliveriesTable;
}

/** What the watcher tracks of an active incident to decide whether it still holds. */
export interface ActiveIncident {
  id: string;
  kind: IncidentKind;
  object: string;
  status: IncidentStatus;
  fingerprint: string;
}

/** An incident about to be opened: everything but what the database decides. */
export type NewIncident = Pick<
  Incident,
  'kind' | 'object' | 'summary' | 'impact' | 'log_tail' | 'memories' | 'next_step' | 'details'
> & { fingerprint: string };

/** A webhook delivery claimed by one instance for one try. */
export interface ClaimedDelivery {
  id: string;
  target: DeliveryTarget;
  attempts: number;
  event: IncidentEvent;
}

/** Replays are bounded: a client far behind gets the latest events, not the whole history. */
const MAX_REPLAY = 500;
/** A claimed delivery not settled within this is taken up again (the instance died mid-send). */
const CLAIM_SECONDS = 120;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toIncident(row: Selectable<IncidentsTable>): Incident {
  return {
    id: row.id,
    kind: row.kind as IncidentKind,
    object: row.object,
    status: row.status,
    opened_at: iso(row.opened_at)!,
    updated_at: iso(row.updated_at)!,
    summary: row.summary,
    impact: row.impact,
    log_tail: row.log_tail,
    memories: row.memories,
    next_step: row.next_step,
    details: row.details,
    acknowledged_by: row.acknowledged_by,
    acknowledged_at: iso(row.acknowledged_at),
    resolved_by: row.resolved_by,
    resolved_at: iso(row.resolved_at),
    resolution_note: row.resolution_note,
    resolution_memory_id: row.resolution_memory_id,
  };
}

const json = (value: unknown) => sql<never>`${JSON.stringify(value)}::jsonb`;

/** The incidents, their event feed and the webhook outbox, in PostgreSQL. */
@Injectable()
export class IncidentRepository {
  constructor(private readonly database: Database) {}

  private get db(): Kysely<Tables> {
    return this.database.db<Tables>();
  }

  async activeIncidents(): Promise<ActiveIncident[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['id', 'kind', 'object', 'status', 'fingerprint'])
      .where('active', '=', true)
      .execute();
    return rows.map((row) => ({ ...row, kind: row.kind as IncidentKind }));
  }

  /**
   * Opens the incident with its event and outbox rows in one transaction; undefined when an active
   * incident for the same (kind, object) exists already (another leader was first).
   */
  async open(incident: NewIncident, targets: readonly DeliveryTarget[]): Promise<IncidentEvent | undefined> {
    return this.database.transaction<Tables, IncidentEvent | undefined>(async (trx) => {
      const now = new Date();
      const row = await trx
        .insertInto('incidents')
        .values({
          id: randomUUID(),
          kind: incident.kind,
          object: incident.object,
          status: 'open',
          active: true,
          fingerprint: incident.fingerprint,
          summary: incident.summary,
          impact: json(incident.impact),
          log_tail: incident.log_tail,
          memories: json(incident.memories),
          next_step: incident.next_step,
          details: json(incident.details),
          opened_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['kind', 'object']).where('active', '=', true).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      return this.recordEvent(trx, toIncident(row), 'opened', targets);
    });
  }

  /** The thing recovered: inactive, and resolved by `recovered` unless an operator resolved it first. */
  async recover(id: string, targets: readonly DeliveryTarget[]): Promise<IncidentEvent | undefined> {
    return this.database.transaction<Tables, IncidentEvent | undefined>(async (trx) => {
      const now = new Date();
      const closed = await trx
        .updateTable('incidents')
        .set({ active: false, status: 'resolved', resolved_by: 'recovered', resolved_at: now, updated_at: now })
        .where('id', '=', id)
        .where('active', '=', true)
        .where('status', '!=', 'resolved')
        .returningAll()
        .executeTakeFirst();
      if (closed) return this.recordEvent(trx, toIncident(closed), 'closed', targets);
      // Resolved by an operator already: it only stops holding its (kind, object).
      await trx.updateTable('incidents').set({ active: false, updated_at: now }).where('id', '=', id).execute();
      return undefined;
    });
  }

  /** The same thing is still broken, in a new state (e.g. its rerun failed too). */
  async refingerprint(id: string, fingerprint: string): Promise<void> {
    await this.db.updateTable('incidents').set({ fingerprint }).where('id', '=', id).execute();
  }

  async acknowledge(
    id: string,
    by: string,
    targets: readonly DeliveryTarget[],
  ): Promise<{ incident: Incident; event?: IncidentEvent }> {
    return this.database.transaction(async (trx: Transaction<Tables>) => {
      const now = new Date();
      const row = await trx
        .updateTable('incidents')
        .set({ status: 'acknowledged', acknowledged_by: by, acknowledged_at: now, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      if (!row) return { incident: (await this.getIn(trx, id))! };
      const incident = toIncident(row);
      return { incident, event: await this.recordEvent(trx, incident, 'updated', targets) };
    });
  }

  async resolve(
    id: string,
    by: string,
    note: string | null,
    memoryId: string | null,
    targets: readonly DeliveryTarget[],
  ): Promise<IncidentEvent | undefined> {
    return this.database.transaction(async (trx: Transaction<Tables>) => {
      const now = new Date();
      const row = await trx
        .updateTable('incidents')
        .set({
          status: 'resolved',
          resolved_by: by,
          resolved_at: now,
          resolution_note: note,
          resolution_memory_id: memoryId,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', '!=', 'resolved')
        .returningAll()
        .executeTakeFirst();
      return row ? this.recordEvent(trx, toIncident(row), 'closed', targets) : undefined;
    });
  }

  get(id: string): Promise<Incident | undefined> {
    return this.getIn(this.db, id);
  }

  private async getIn(db: Kysely<Tables>, id: string): Promise<Incident | undefined> {
    const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toIncident(row) : undefined;
  }

  async list(query: IncidentQuery): Promise<IncidentPage> {
    let filtered = this.db.selectFrom('incidents');
    if (query.status === 'active') filtered = filtered.where('status', '!=', 'resolved');
    else if (query.status !== 'all') filtered = filtered.where('status', '=', query.status);
    if (query.kind) filtered = filtered.where('kind', '=', query.kind);
    const [rows, total] = await Promise.all([
      filtered
        .selectAll()
        .orderBy('opened_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      filtered.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { count: Number(total.count), results: rows.map(toIncident) };
  }

  /** Unresolved incidents by kind (for the `resync_incidents_open` gauge). */
  async countUnresolvedByKind(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['kind', (eb) => eb.fn.countAll<string>().as('count')])
      .where('status', '!=', 'resolved')
      .groupBy('kind')
      .execute();
    return new Map(rows.map((row) => [row.kind, Number(row.count)]));
  }

  /** Memory ids of the notes operators left when resolving earlier incidents of this thing, newest first. */
  async resolutionNotesFor(kind: IncidentKind, object: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .select('resolution_memory_id')
      .where('object', '=', object)
      .where('kind', '=', kind)
      .where('resolution_memory_id', 'is not', null)
      .orderBy('resolved_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => row.resolution_memory_id!);
  }

  /** Events after `afterSeq`, oldest first (the latest MAX_REPLAY at most when far behind), with when each was written. */
  async eventsAfter(afterSeq: number, limit = MAX_REPLAY): Promise<(IncidentEvent & { at: number })[]> {
    const rows = await this.db
      .selectFrom('incident_events as e')
      .innerJoin('incidents as i', 'i.id', 'e.incident_id')
      .selectAll('i')
      .select(['e.seq', 'e.type', 'e.created_at as event_at'])
      .where('e.seq', '>', String(afterSeq))
      .orderBy('e.seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((row) => ({
      seq: Number(row.seq),
      type: row.type,
      incident: toIncident(row),
      at: new Date(row.event_at).getTime(),
    }));
  }

  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('incident_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
  }

  /**
   * Claims due deliveries for one try each: marked taken for CLAIM_SECONDS and counted as an
   * attempt, in a short transaction (the HTTP call happens outside it). SKIP LOCKED lets every
   * instance work the outbox at once without two sending the same row.
   */
  async claimDue(limit: number): Promise<ClaimedDelivery[]> {
    const claimed = await sql<{ id: string; target: DeliveryTarget; attempts: number; event_seq: string }>`
      UPDATE incident_deliveries SET attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${CLAIM_SECONDS})
      WHERE id IN (
        SELECT id FROM incident_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_attempt_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, target, attempts, event_seq`.execute(this.db);
    if (claimed.rows.length === 0) return [];
    const seqs = [...new Set(claimed.rows.map((row) => String(row.event_seq)))];
    const events = await this.db
      .selectFrom('incident_events as e')
      .innerJoin('incidents as i', 'i.id', 'e.incident_id')
      .selectAll('i')
      .select(['e.seq', 'e.type'])
      .where('e.seq', 'in', seqs)
      .execute();
    const bySeq = new Map(
      events.map((row) => [String(row.seq), { seq: Number(row.seq), type: row.type, incident: toIncident(row) }]),
    );
    return claimed.rows
      .filter((row) => bySeq.has(String(row.event_seq)))
      .map((row) => ({
        id: row.id,
        target: row.target,
        attempts: row.attempts,
        event: bySeq.get(String(row.event_seq))!,
      }));
  }

  async delivered(id: string): Promise<void> {
    await this.db
      .updateTable('incident_deliveries')
      .set({ status: 'delivered', delivered_at: new Date(), locked_until: null, last_error: null })
      .where('id', '=', id)
      .execute();
  }

  /** A failed try: retried at `retryAt`, or given up (`failed`) when `retryAt` is undefined. */
  async deliveryFailed(id: string, error: string, retryAt: Date | undefined): Promise<void> {
    await this.db
      .updateTable('incident_deliveries')
      .set(
        retryAt
          ? { next_attempt_at: retryAt, locked_until: null, last_error: error }
          : { status: 'failed', locked_until: null, last_error: error },
      )
      .where('id', '=', id)
      .execute();
  }

  /** When the next pending delivery is due (to sleep until then), if any. */
  async nextDueAt(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('incident_deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.due ? new Date(row.due) : undefined;
  }

  private async recordEvent(
    trx: Kysely<Tables>,
    incident: Incident,
    type: IncidentEventType,
    targets: readonly DeliveryTarget[],
  ): Promise<IncidentEvent> {
    const event = await trx
      .insertInto('incident_events')
      .values({ incident_id: incident.id, type })
      .returning('seq')
      .executeTakeFirstOrThrow();
    if (targets.length > 0) {
      const now = new Date();
      await trx
        .insertInto('incident_deliveries')
        .values(
          targets.map((target) => ({
            id: randomUUID(),
            event_seq: String(event.seq),
            target,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
          })),
        )
        .execute();
    }
    return { seq: Number(event.seq), type, incident };
  }
}
