import { Inject, Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ITWSClient, type JobDependencies, type JobStatus, type SystemStatus } from '../tws/tws-client.port';
import { TwsError } from '../tws/tws.errors';
import { type CriticalJobAtRisk, EMPTY_IMPACT, type Impact } from './incident';
import { isBlocking, jobKey } from './detection';

/** How far and how wide a walk goes: the nearest blocked jobs are what an operator acts on. */
export const IMPACT_MAX_DEPTH = 5;
export const IMPACT_MAX_JOBS = 100;
/** A plan's dependencies rarely change within a day: each job's are read from HWA at most this often. */
const DEPENDENCY_TTL_MS = 10 * 60_000;
const DEPENDENCY_CACHE_ENTRIES = 50_000;
/** HWA dependency reads in flight at once, across every walk. */
const MAX_CONCURRENT_READS = 8;

type Direction = 'predecessors' | 'successors';

/** The plan, indexed for walks: jobs by plan id and by job stream. */
export class PlanIndex {
  readonly byId = new Map<string, JobStatus>();
  readonly byStream = new Map<string, JobStatus[]>();
  /** By `WS#STREAM.JOB` (the last one when a stream is in the plan twice). */
  readonly byKey = new Map<string, JobStatus>();

  constructor(readonly plan: SystemStatus) {
    for (const job of plan.jobs) {
      this.byId.set(job.id, job);
      this.byKey.set(jobKey(job), job);
      const stream = `${job.job_stream_workstation}#${job.job_stream}`;
      const jobs = this.byStream.get(stream) ?? [];
      jobs.push(job);
      this.byStream.set(stream, jobs);
    }
  }

  /** The plan's current view of a dependency (fresher than the one HWA's list carried), stream members included. */
  expand(deps: JobDependencies): JobStatus[] {
    const jobs = deps.jobs.map((job) => this.byId.get(job.id) ?? job);
    for (const stream of deps.job_streams)
      jobs.push(...(this.byStream.get(`${stream.workstation}#${stream.name}`) ?? []));
    return jobs;
  }
}

/** A tiny counting semaphore. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Walks HWA's `/predecessors` and `/successors` breadth-first, bounded in depth and count, with
 * each job's dependencies cached (so a pass over a stable plan costs no HWA read at all).
 */
@Injectable()
export class DependencyWalker {
  private readonly logger = new Logger(DependencyWalker.name);
  private readonly cache = new LRUCache<string, JobDependencies>({
    max: DEPENDENCY_CACHE_ENTRIES,
    ttl: DEPENDENCY_TTL_MS,
  });
  private readonly gate = new Gate(MAX_CONCURRENT_READS);
  private warned = false;
  /** HWA dependency reads since start (the bench reports them). */
  reads = 0;

  constructor(@Inject(ITWSClient) private readonly tws: ITWSClient) {}

  /** What waits for `job`, and the critical jobs among them with the time left to their deadline. */
  async impactOf(start: JobStatus, index: PlanIndex, now: number): Promise<Impact> {
    const { jobs, truncated } = await this.walk(start, 'successors', index);
    return impactFrom(jobs, truncated, now);
  }

  /** The first failed or held job up the chain of `critical`, if any. */
  async blockerOf(critical: JobStatus, index: PlanIndex): Promise<JobStatus | undefined> {
    const { jobs } = await this.walk(critical, 'predecessors', index, isBlocking);
    return jobs.find(isBlocking);
  }

  private async walk(
    start: JobStatus,
    direction: Direction,
    index: PlanIndex,
    stopAt?: (job: JobStatus) => boolean,
  ): Promise<{ jobs: JobStatus[]; truncated: boolean }> {
    const seen = new Set<string>([start.id]);
    const found: JobStatus[] = [];
    let level = [start];
    for (let depth = 0; depth < IMPACT_MAX_DEPTH && level.length > 0; depth++) {
      const next: JobStatus[] = [];
      const lists = await Promise.all(level.map((job) => this.dependencies(job.id, direction)));
      for (const job of lists.flatMap((deps) => index.expand(deps))) {
        if (seen.has(job.id)) continue;
        seen.add(job.id);
        found.push(job);
        if (stopAt?.(job)) return { jobs: found, truncated: false };
        if (found.length >= IMPACT_MAX_JOBS) return { jobs: found, truncated: true };
        next.push(job);
      }
      level = next;
    }
    return { jobs: found, truncated: level.length > 0 };
  }

  private async dependencies(jobId: string, direction: Direction): Promise<JobDependencies> {
    const key = `${direction}:${jobId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    try {
      const deps = await this.gate.run(() => {
        this.reads++;
        return direction === 'successors' ? this.tws.getJobSuccessors(jobId) : this.tws.getJobPredecessors(jobId);
      });
      this.cache.set(key, deps);
      return deps;
    } catch (error) {
      // A master (or simulator) without the dependency endpoints: incidents open without impact.
      if (!(error instanceof TwsError)) throw error;
      if (!this.warned) this.logger.warn(`Job ${direction} could not be read from HWA: ${error.message}`);
      this.warned = true;
      return { jobs: [], job_streams: [] };
    }
  }
}

/** Blocked jobs nearest first; critical ones with their deadline (else latest start) and minutes left. */
export function impactFrom(jobs: readonly JobStatus[], truncated: boolean, now: number): Impact {
  if (jobs.length === 0) return { ...EMPTY_IMPACT, truncated };
  const critical: CriticalJobAtRisk[] = jobs
    .filter((job) => job.critical)
    .map((job) => {
      const deadline = job.deadline ?? job.critical_start ?? null;
      return {
        job: jobKey(job),
        deadline,
        minutes_left: deadline ? Math.round((Date.parse(deadline) - now) / 60_000) : null,
      };
    });
  return { blocked_jobs: jobs.map(jobKey), critical_jobs: critical, truncated };
}
