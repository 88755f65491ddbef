import { Inject, Injectable, Logger } from '@nestjs/common';
import { IConnectionManager } from '../chat/connection-manager.port';
import type { IncidentEvent } from './incident';
import { IncidentEventHub } from './incident-event-hub';
import { WebhookOutbox } from './webhook-outbox';

/** What a chat receives: the seed's `info` frame, with the incident alongside for clients that read it. */
export function incidentFrame(event: IncidentEvent): Record<string, unknown> {
  const { incident } = event;
  const message =
    event.type === 'closed'
      ? `Resolved (${incident.resolved_by}): ${incident.summary}`
      : event.type === 'updated'
        ? `Acknowledged by ${incident.acknowledged_by}: ${incident.summary}`
        : incident.summary;
  return { type: 'info', sender: 'system', message, incident };
}

/**
 * Tells everyone about an event this instance wrote: every open chat (through the connection
 * manager, so other instances' chats too), this instance's feed (the others read it from the
 * database), and the webhook outbox worker. Never throws: the event is already recorded.
 */
@Injectable()
export class IncidentAnnouncer {
  private readonly logger = new Logger(IncidentAnnouncer.name);

  constructor(
    @Inject(IConnectionManager) private readonly chats: IConnectionManager,
    private readonly hub: IncidentEventHub,
    private readonly outbox: WebhookOutbox,
  ) {}

  async announce(event: IncidentEvent): Promise<void> {
    this.hub.publish(event);
    this.outbox.kick();
    try {
      await this.chats.broadcastJson(incidentFrame(event), 'cluster');
    } catch (error) {
      this.logger.warn(`Incident ${event.incident.id} not pushed to the chats: ${(error as Error).message}`);
    }
  }
}
