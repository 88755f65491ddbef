import { Inject, Injectable } from '@nestjs/common';
import { ICache } from '../cache/cache.port';
import { AppConfig } from '../config/app-config';
import type { PlanSource } from '../config/sections/tws.section';
import { TwsMetrics } from './tws-metrics';
import {
  type CriticalJob,
  ITWSClient,
  type JobStatus,
  type SystemStatus,
  type WorkstationStatus,
} from './tws-client.port';
import { TwsError } from './tws.errors';

export interface StatusSnapshot extends SystemStatus {
  /** When HWA was read for this answer (ISO-8601 UTC). */
  as_of: string;
  /** True when HWA is failing and this is the last good copy. */
  stale: boolean;
  /** Why the copy is stale: the HWA error. */
  stale_reason?: string;
  /** `simulator`: the built-in simulator's invented plan, not a real master. */
  source: PlanSource;
}

/** The line every answer built on a simulated plan carries (tool output, offline answers). */
export const SIMULATED_PLAN_NOTE =
  "Simulated plan: this comes from Resync's built-in HWA simulator, not from a real HWA master (TWS_HOST is unset).";

const KEYS = {
  system: 'status:system',
  lastGood: 'status:system:last-good',
  workstations: 'status:workstations',
  jobs: 'status:jobs',
  critical: 'status:critical',
} as const;

const runLogKey = (runId: string) => `joblog:${runId}`;

/**
 * Plan reads through the cache: at most one upstream read per key per TWS_CACHE_TTL_SECONDS
 * however many callers ask; actions invalidate. While HWA fails, the last good system status is
 * served marked stale.
 */
@Injectable()
export class TwsStatusService {
  constructor(
    @Inject(ITWSClient) private readonly tws: ITWSClient,
    @Inject(ICache) private readonly cache: ICache,
    private readonly config: AppConfig,
    private readonly metrics: TwsMetrics,
  ) {}

  private get ttl(): number {
    return this.config.tws.cacheTtlSeconds;
  }

  /** Where every plan this service returns comes from. */
  get source(): PlanSource {
    return this.config.tws.source;
  }

  /** The line to put before anything shown from the plan, or undefined for a real master. */
  get sourceNote(): string | undefined {
    return this.source === 'simulator' ? SIMULATED_PLAN_NOTE : undefined;
  }

  async getSystemStatus(): Promise<StatusSnapshot> {
    // Added on the way out, so copies cached before (or by another instance) say it too.
    return { ...(await this.readSystemStatus()), source: this.source };
  }

  private async readSystemStatus(): Promise<Omit<StatusSnapshot, 'source'>> {
    try {
      return await this.cache.getOrLoad(KEYS.system, this.ttl, async () => {
        const snapshot: Omit<StatusSnapshot, 'source'> = {
          ...(await this.tws.getSystemStatus()),
          as_of: new Date().toISOString(),
          stale: false,
        };
        if (this.config.tws.staleTtlSeconds > 0)
          await this.cache.set(KEYS.lastGood, snapshot, this.config.tws.staleTtlSeconds);
        return snapshot;
      });
    } catch (error) {
      if (!(error instanceof TwsError) || this.config.tws.staleTtlSeconds === 0) throw error;
      const last = await this.cache.get<Omit<StatusSnapshot, 'source'>>(KEYS.lastGood);
      if (!last) throw error;
      this.metrics.staleServed();
      return { ...last, stale: true, stale_reason: error.message };
    }
  }

  getWorkstations(): Promise<WorkstationStatus[]> {
    return this.cache.getOrLoad(KEYS.workstations, this.ttl, () => this.tws.getWorkstationsStatus());
  }

  getJobs(): Promise<JobStatus[]> {
    return this.cache.getOrLoad(KEYS.jobs, this.ttl, () => this.tws.getJobsStatus());
  }

  getCriticalJobs(): Promise<CriticalJob[]> {
    return this.cache.getOrLoad(KEYS.critical, this.ttl, () => this.tws.getCriticalPathStatus());
  }

  /** A run's log; an ended run's log no longer changes, so it is cached for the TTL too. */
  getJobLog(runId: string): Promise<string> {
    return this.cache.getOrLoad(runLogKey(runId), this.ttl, () => this.tws.getJobLog(runId));
  }

  /** After an action: the plan changed, so every cached plan read is dropped (the last good copy stays). */
  async invalidate(runId?: string): Promise<void> {
    await Promise.all([KEYS.system, KEYS.workstations, KEYS.jobs, KEYS.critical].map((key) => this.cache.delete(key)));
    if (runId) await this.cache.delete(runLogKey(runId));
  }
}
