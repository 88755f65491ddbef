import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Caller } from '../auth/caller';
import { IKnowledgeGraph } from '../knowledge/knowledge-graph.port';
import type { Incident, IncidentEvent } from './incident';
import { IncidentAnnouncer } from './incident-announcer';
import { IncidentEventHub } from './incident-event-hub';
import type { IIncidentFeed, IncidentPage, IncidentQuery } from './incident-feed.port';
import { IncidentRepository } from './incident.repository';
import { IncidentClosedError, IncidentNotFoundError } from './watch.errors';
import { WatchMetrics } from './watch.metrics';
import { WebhookSender } from './webhook-sender';

/** The agent id resolution notes are remembered under. */
export const RESOLUTION_AGENT_ID = 'incident-watch';
/** The caller of open mode, when no guard attached one. */
const ANONYMOUS = 'unauthenticated';

/** Reading incidents, and what operators do with them: acknowledge, resolve with a note the memory keeps. */
@Injectable()
export class IncidentService implements IIncidentFeed {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly hub: IncidentEventHub,
    private readonly announcer: IncidentAnnouncer,
    private readonly sender: WebhookSender,
    private readonly metrics: WatchMetrics,
    @Inject(IKnowledgeGraph) private readonly knowledge: IKnowledgeGraph,
  ) {}

  list(query: IncidentQuery): Promise<IncidentPage> {
    return this.incidents.list(query);
  }

  get(id: string): Promise<Incident | undefined> {
    return this.incidents.get(id);
  }

  async require(id: string): Promise<Incident> {
    const incident = await this.incidents.get(id);
    if (!incident) throw new IncidentNotFoundError(id);
    return incident;
  }

  events(afterSeq?: number): Observable<IncidentEvent> {
    return this.hub.events(afterSeq);
  }

  /** Idempotent: acknowledging again answers the incident as it is; a resolved one is 409. */
  async acknowledge(id: string, caller: Caller | undefined): Promise<Incident> {
    const before = await this.require(id);
    if (before.status === 'resolved') throw new IncidentClosedError(id);
    const { incident, event } = await this.incidents.acknowledge(id, caller?.id ?? ANONYMOUS, this.sender.targets());
    if (event) {
      this.metrics.acknowledged(incident.opened_at, incident.acknowledged_at!);
      await this.announcer.announce(event);
    }
    return incident;
  }

  /**
   * Resolves the incident; the note becomes a memory (through the knowledge port and its write
   * gate) linked to the incident, so the next incident of the same thing brings it.
   */
  async resolve(id: string, note: string | undefined, caller: Caller | undefined): Promise<Incident> {
    const incident = await this.require(id);
    if (incident.status === 'resolved') throw new IncidentClosedError(id);
    const by = caller?.id ?? ANONYMOUS;
    const text = note?.trim() || null;
    const memoryId = text
      ? await this.knowledge.addConversation(
          `${incident.kind} ${incident.object}: ${incident.summary}`,
          text,
          RESOLUTION_AGENT_ID,
          {
            incident_id: incident.id,
            incident_kind: incident.kind,
            incident_object: incident.object,
            callerId: by,
            ...(caller?.slackUserId && { slackUserId: caller.slackUserId }),
          },
        )
      : null;
    const event = await this.incidents.resolve(id, by, text, memoryId, this.sender.targets());
    if (!event) throw new IncidentClosedError(id);
    await this.announcer.announce(event);
    return event.incident;
  }
}
