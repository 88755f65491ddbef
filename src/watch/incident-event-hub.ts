import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import type { IncidentEvent } from './incident';
import { IncidentRepository } from './incident.repository';

/** How often an instance with feed subscribers reads the events other instances wrote. */
const POLL_MS = 1_000;
/** Events younger than this are read again on the next poll: a transaction that took a lower seq may commit late. */
const SETTLE_MS = 2_000;

/**
 * The live incident feed of this instance. Events written here are pushed at once; events written
 * by other instances (the leader opens and closes, any instance acknowledges) are read from
 * `incident_events` while someone listens, so every instance's subscribers see every event, in order
 * of writing, once.
 */
@Injectable()
export class IncidentEventHub implements OnModuleDestroy {
  private readonly logger = new Logger(IncidentEventHub.name);
  private readonly live = new Subject<IncidentEvent>();
  private readonly emitted = new Set<number>();
  private cursor?: number;
  private subscribers = 0;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(private readonly incidents: IncidentRepository) {}

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.live.complete();
  }

  /** An event this instance just wrote. */
  publish(event: IncidentEvent): void {
    this.emit(event);
  }

  /** Events after `afterSeq` from the database (bounded replay), then live ones. */
  events(afterSeq?: number): Observable<IncidentEvent> {
    return new Observable<IncidentEvent>((subscriber) => {
      const buffered: IncidentEvent[] = [];
      let replaying = afterSeq !== undefined;
      let last = afterSeq ?? 0;
      const deliver = (event: IncidentEvent) => {
        if (event.seq <= last && afterSeq !== undefined) return;
        last = Math.max(last, event.seq);
        subscriber.next(event);
      };
      const subscription = this.live.subscribe({
        next: (event) => (replaying ? buffered.push(event) : deliver(event)),
        complete: () => subscriber.complete(),
      });
      this.listen(+1);
      if (afterSeq !== undefined) {
        this.incidents
          .eventsAfter(afterSeq)
          .then((events) => events.forEach(({ at: _at, ...event }) => deliver(event)))
          .catch((error: unknown) => this.logger.warn(`Feed replay failed: ${(error as Error).message}`))
          .finally(() => {
            replaying = false;
            buffered.splice(0).forEach(deliver);
          });
      }
      return () => {
        subscription.unsubscribe();
        this.listen(-1);
      };
    });
  }

  private listen(delta: number): void {
    this.subscribers += delta;
    if (this.subscribers > 0 && !this.timer && !this.live.closed) this.schedule();
    if (this.subscribers === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.cursor = undefined;
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.polling = this.poll()
        .catch((error: unknown) => this.logger.warn(`Incident feed poll failed: ${(error as Error).message}`))
        .finally(() => {
          this.polling = undefined;
          if (this.subscribers > 0 && !this.live.closed) this.schedule();
          else this.timer = undefined;
        });
    }, POLL_MS);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.cursor === undefined) {
      this.cursor = await this.incidents.lastSeq();
      return;
    }
    const events = await this.incidents.eventsAfter(this.cursor);
    const settled = Date.now() - SETTLE_MS;
    for (const { at, ...event } of events) {
      this.emit(event);
      if (at < settled) this.cursor = Math.max(this.cursor, event.seq);
    }
    for (const seq of this.emitted) if (seq <= this.cursor) this.emitted.delete(seq);
  }

  private emit(event: IncidentEvent): void {
    if (this.subscribers === 0) return;
    if (this.emitted.has(event.seq) || (this.cursor !== undefined && event.seq <= this.cursor)) return;
    this.emitted.add(event.seq);
    this.live.next(event);
  }
}
