import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Database, type HeldLock } from '../database/database';
import { TwsStatusService } from '../tws/tws-status.service';
import { DependencyWalker, PlanIndex } from './dependency-walker';
import { criticalJobsToGuard, type Detection, detectInPlan, jobKey, rerunPending } from './detection';
import { IncidentAnnouncer } from './incident-announcer';
import { IncidentEnricher } from './incident-enricher';
import { type ActiveIncident, IncidentRepository } from './incident.repository';
import { WatchMetrics } from './watch.metrics';
import { WebhookSender } from './webhook-sender';

/** Any stable 64-bit number, distinct from the migration lock: the one watch leader per database. */
export const WATCH_LEADER_LOCK_KEY = 7_316_482_905_114;
/** New incidents enriched at once (each reads HWA and searches the memory). */
const ENRICH_CONCURRENCY = 8;

export interface PassReport {
  opened: number;
  closed: number;
  ms: number;
}

const identity = (kind: string, object: string) => `${kind}\u0000${object}`;

/**
 * The incident watcher. Every instance runs the timer; only the holder of the PostgreSQL advisory
 * lock reads the plan — when it dies its connection goes, the lock is free, and the next instance
 * to try takes over. A pass diffs the plan's broken things against the active incidents: new ones
 * are enriched and opened, recovered ones closed.
 */
@Injectable()
export class IncidentWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IncidentWatcher.name);
  private lock?: HeldLock;
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly database: Database,
    private readonly status: TwsStatusService,
    private readonly walker: DependencyWalker,
    private readonly enricher: IncidentEnricher,
    private readonly incidents: IncidentRepository,
    private readonly announcer: IncidentAnnouncer,
    private readonly sender: WebhookSender,
    private readonly metrics: WatchMetrics,
  ) {}

  get leading(): boolean {
    return this.lock !== undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.config.watch.enabled) return;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
    await this.lock?.release().catch(() => undefined);
    this.lock = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = undefined;
        this.schedule(this.config.watch.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (await this.lead()) await this.pass();
      this.metrics.unresolved(await this.incidents.countUnresolvedByKind());
    } catch (error) {
      this.metrics.pass('error', 0);
      this.logger.warn(`Watch pass failed: ${(error as Error).message}`);
    }
  }

  /** Keeps or takes the leadership; false when another instance leads. */
  private async lead(): Promise<boolean> {
    if (this.lock && !(await this.lock.stillHeld())) {
      this.logger.warn('Lost the watch leadership (its database connection failed)');
      await this.lock.release().catch(() => undefined);
      this.lock = undefined;
    }
    if (!this.lock) {
      this.lock = await this.database.tryHoldLock(WATCH_LEADER_LOCK_KEY);
      if (this.lock) this.logger.log('This instance leads the incident watch');
    }
    return this.lock !== undefined;
  }

  /** One pass over the plan; public for the bench and the tests that drive it by hand. */
  async pass(): Promise<PassReport | undefined> {
    const started = Date.now();
    const plan = await this.status.getSystemStatus();
    if (plan.stale) {
      // Deciding from an old copy would close incidents that still hold, or miss new ones.
      this.metrics.pass('skipped_stale', 0);
      return undefined;
    }
    const now = Date.now();
    const index = new PlanIndex(plan);
    const detections = [
      ...detectInPlan(plan, now, this.config.watch.longRunFactor),
      ...(await this.criticalAtRisk(index)),
    ];
    const active = await this.incidents.activeIncidents();
    const seen = new Map(detections.map((d) => [identity(d.kind, d.object), d]));
    const open = new Map(active.map((a) => [identity(a.kind, a.object), a]));
    const targets = this.sender.targets();

    let closed = 0;
    const fresh: Detection[] = [];
    for (const incident of active) {
      const detection = seen.get(identity(incident.kind, incident.object));
      if (!detection) {
        if (this.stillHolds(incident, index)) continue;
        const event = await this.incidents.recover(incident.id, targets);
        if (event) {
          closed++;
          await this.announcer.announce(event);
        }
      } else if (detection.fingerprint !== incident.fingerprint) {
        // Broken again in a new way: news if an operator had already resolved it, the same incident otherwise.
        if (incident.status === 'resolved') {
          await this.incidents.recover(incident.id, targets);
          fresh.push(detection);
        } else await this.incidents.refingerprint(incident.id, detection.fingerprint);
      }
    }
    for (const detection of detections)
      if (!open.has(identity(detection.kind, detection.object))) fresh.push(detection);

    let opened = 0;
    for (let i = 0; i < fresh.length; i += ENRICH_CONCURRENCY) {
      const batch = fresh.slice(i, i + ENRICH_CONCURRENCY);
      const incidents = await Promise.all(batch.map((detection) => this.enricher.enrich(detection, index, now)));
      for (const incident of incidents) {
        const event = await this.incidents.open(incident, targets);
        if (!event) continue;
        opened++;
        this.metrics.incidentOpened(incident.kind);
        await this.announcer.announce(event);
      }
    }
    const ms = Date.now() - started;
    this.metrics.pass('ok', ms / 1000);
    return { opened, closed, ms };
  }

  /** A failed job whose rerun is on its way is still the same incident. */
  private stillHolds(incident: ActiveIncident, index: PlanIndex): boolean {
    if (incident.kind !== 'job_abend') return false;
    return rerunPending(index.byKey.get(incident.object), incident.fingerprint);
  }

  private async criticalAtRisk(index: PlanIndex): Promise<Detection[]> {
    const found: Detection[] = [];
    for (const critical of criticalJobsToGuard(index.plan)) {
      const cause = await this.walker.blockerOf(critical, index);
      if (!cause) continue;
      found.push({
        kind: 'critical_at_risk',
        object: jobKey(critical),
        fingerprint: jobKey(cause),
        job: critical,
        cause,
        details: {
          plan_id: critical.id,
          status: critical.status,
          workstation: critical.workstation,
          cause: jobKey(cause),
          ...((critical.deadline ?? critical.critical_start) && {
            deadline: critical.deadline ?? critical.critical_start,
          }),
        },
      });
    }
    return found;
  }
}
