import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { AppConfig } from '../config/app-config';
import type { IncidentEvent } from './incident';
import type { DeliveryTarget } from './incident.repository';

export const SIGNATURE_HEADER = 'X-Resync-Signature';
const MAX_LOG_CHARS = 1_500;
const MAX_LISTED_JOBS = 10;

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with WATCH_WEBHOOK_SECRET. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const TITLES: Record<IncidentEvent['type'], string> = {
  opened: 'Incident opened',
  updated: 'Incident acknowledged',
  closed: 'Incident closed',
};

/** The generic webhook's JSON body. */
export function webhookBody(event: IncidentEvent, deliveryId: string): string {
  return JSON.stringify({
    event: event.type,
    delivery_id: deliveryId,
    sent_at: new Date().toISOString(),
    incident: event.incident,
  });
}

/** A Slack incoming-webhook message in Block Kit, with `text` as the notification fallback. */
export function slackBody(event: IncidentEvent): string {
  const incident = event.incident;
  const facts = [`*Kind:* ${incident.kind}`, `*Object:* ${incident.object}`, `*Status:* ${incident.status}`];
  if (incident.resolved_by) facts.push(`*Resolved by:* ${incident.resolved_by}`);
  if (incident.acknowledged_by) facts.push(`*Acknowledged by:* ${incident.acknowledged_by}`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `${TITLES[event.type]}: ${incident.kind}` } },
    { type: 'section', text: { type: 'mrkdwn', text: incident.summary } },
    { type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (event.type === 'opened') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Next step:* ${incident.next_step}` } });
    const blocked = incident.impact.blocked_jobs;
    if (blocked.length > 0) {
      const listed = blocked.slice(0, MAX_LISTED_JOBS).join(', ');
      const more = blocked.length > MAX_LISTED_JOBS ? ` and ${blocked.length - MAX_LISTED_JOBS} more` : '';
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Blocks:* ${listed}${more}` } });
    }
    if (incident.log_tail) {
      const log = incident.log_tail.slice(-MAX_LOG_CHARS).replace(/```/g, "'''");
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${log}\`\`\`` } });
    }
    for (const memory of incident.memories.slice(0, 2)) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Remembered (${memory.status}): ${memory.content.slice(0, 280)}` }],
      });
    }
  }
  if (incident.resolution_note)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Resolution:* ${incident.resolution_note}` } });
  return JSON.stringify({ text: `${TITLES[event.type]}: ${incident.summary}`, blocks });
}

/** The one adapter for outgoing webhooks: builds the request for a target and sends it once. */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: AppConfig) {}

  targets(): DeliveryTarget[] {
    const targets: DeliveryTarget[] = [];
    if (this.config.watch.slackWebhookUrl) targets.push('slack');
    if (this.config.watch.webhook) targets.push('webhook');
    return targets;
  }

  /** Resolves when the receiver answered 2xx; throws with the reason otherwise. */
  async send(target: DeliveryTarget, event: IncidentEvent, deliveryId: string): Promise<void> {
    const { url, body, headers } = this.build(target, event, deliveryId);
    const timeout = this.config.watch.webhookTimeoutMs;
    const response = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Resync-Watch', ...headers },
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout),
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300)
      throw new Error(`the receiver answered HTTP ${response.statusCode}`);
  }

  private build(
    target: DeliveryTarget,
    event: IncidentEvent,
    deliveryId: string,
  ): { url: string; body: string; headers: Record<string, string> } {
    const { slackWebhookUrl, webhook } = this.config.watch;
    if (target === 'slack' && slackWebhookUrl) return { url: slackWebhookUrl, body: slackBody(event), headers: {} };
    if (target === 'webhook' && webhook) {
      const body = webhookBody(event, deliveryId);
      return {
        url: webhook.url,
        body,
        headers: {
          [SIGNATURE_HEADER]: signBody(body, webhook.secret),
          'X-Resync-Event': event.type,
          'X-Resync-Delivery': deliveryId,
        },
      };
    }
    throw new Error(`the ${target} webhook is no longer configured`);
  }
}
