import { Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IncidentRepository } from './incident.repository';
import { WatchMetrics } from './watch.metrics';
import { WebhookSender } from './webhook-sender';

/** Deliveries claimed per round, and sent in parallel. */
const BATCH = 20;
/** Longest sleep between two looks at the outbox (deliveries written by other instances, retries due). */
const IDLE_MS = 5_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const MAX_ERROR_CHARS = 500;

/**
 * Sends the webhook outbox: at least once, retried with exponential backoff and jitter, on every
 * instance at once (rows are claimed with SKIP LOCKED). The watcher only writes rows; a slow or
 * failing receiver never holds it up.
 */
@Injectable()
export class WebhookOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookOutbox.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private again = false;

  constructor(
    private readonly config: AppConfig,
    private readonly incidents: IncidentRepository,
    private readonly sender: WebhookSender,
    private readonly metrics: WatchMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.sender.targets().length > 0) this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** New rows were written: look now rather than at the next tick. */
  kick(): void {
    if (this.stopped || this.sender.targets().length === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn(`Webhook outbox round failed: ${(error as Error).message}`))
      .then(() => this.sleep())
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async sleep(): Promise<void> {
    if (this.stopped) return;
    const due = await this.incidents.nextDueAt().catch(() => undefined);
    const wait = due ? Math.min(IDLE_MS, Math.max(0, due.getTime() - Date.now())) : IDLE_MS;
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const claimed = await this.incidents.claimDue(BATCH);
      if (claimed.length === 0) return;
      await Promise.all(
        claimed.map(async (delivery) => {
          try {
            await this.sender.send(delivery.target, delivery.event, delivery.id);
            await this.incidents.delivered(delivery.id);
            this.metrics.delivery(delivery.target, 'delivered');
          } catch (error) {
            const reason = ((error as Error).message || String(error)).slice(0, MAX_ERROR_CHARS);
            const last = delivery.attempts >= this.config.watch.webhookMaxAttempts;
            const retryAt = last ? undefined : new Date(Date.now() + this.backoff(delivery.attempts));
            await this.incidents.deliveryFailed(delivery.id, reason, retryAt);
            this.metrics.delivery(delivery.target, last ? 'failed' : 'retry');
            if (last)
              this.logger.warn(
                `Gave up the ${delivery.target} webhook for incident ${delivery.event.incident.id} after ${delivery.attempts} tries: ${reason}`,
              );
          }
        }),
      );
    }
  }

  /** Base × 2^(tries-1), capped, with ±20 % jitter so receivers coming back are not stampeded. */
  private backoff(attempts: number): number {
    const base = Math.min(MAX_BACKOFF_MS, this.config.watch.webhookRetryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }
}
