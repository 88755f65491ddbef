import type { Observable } from 'rxjs';
import type { Incident, IncidentEvent, IncidentKind, IncidentStatus } from './incident';

export interface IncidentQuery {
  /** `active` = open or acknowledged; `all` = any. */
  status: IncidentStatus | 'active' | 'all';
  kind?: IncidentKind;
  limit: number;
  offset: number;
}

export interface IncidentPage {
  count: number;
  results: Incident[];
}

/**
 * The incidents, for the dashboard, the agents and outside transports: what is open, and a live
 * feed of what opens, changes and closes (on every instance, whichever one leads the watch).
 */
export interface IIncidentFeed {
  list(query: IncidentQuery): Promise<IncidentPage>;
  get(id: string): Promise<Incident | undefined>;
  /** Events after `afterSeq` (replayed from the feed, bounded), then live ones. */
  events(afterSeq?: number): Observable<IncidentEvent>;
}

export const IIncidentFeed = Symbol('IIncidentFeed');
