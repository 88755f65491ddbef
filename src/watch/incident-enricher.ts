import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IKnowledgeGraph, type Memory } from '../knowledge/knowledge-graph.port';
import type { JobStatus, WorkstationStatus } from '../tws/tws-client.port';
import { TwsStatusService } from '../tws/tws-status.service';
import { suggestForJob, suggestForWorkstation } from '../tws/tools/tws-diagnosis';
import { DependencyWalker, impactFrom, IMPACT_MAX_JOBS, type PlanIndex } from './dependency-walker';
import { type Detection, jobKey } from './detection';
import { EMPTY_IMPACT, type Impact, type IncidentMemory } from './incident';
import { IncidentRepository, type NewIncident } from './incident.repository';

/** Memories an incident brings, and how many earlier resolution notes of the same thing are looked up first. */
const MAX_MEMORIES = 3;
const MAX_LINKED_NOTES = 3;
const MAX_MEMORY_CHARS = 600;
/** A rating from this many stars up counts as well rated. */
const WELL_RATED = 4;
/** Lines of the log that go into the memory search (the failure is at the end). */
const SEARCH_LOG_LINES = 3;

const PENDING_WORKSTATION_JOBS: ReadonlySet<string> = new Set(['HOLD', 'READY', 'WAIT', 'INTRO']);

const tail = (text: string, lines: number): string => text.replace(/\n$/, '').split('\n').slice(-lines).join('\n');

/** Approved first, then well rated, then the team's own notes on this thing, then relevance. */
function trustRank(memory: IncidentMemory & { linked: boolean }): number {
  return (
    (memory.status === 'approved' ? 4 : 0) + ((memory.rating ?? 0) >= WELL_RATED ? 2 : 0) + (memory.linked ? 1 : 0)
  );
}

const toIncidentMemory = (memory: Memory): IncidentMemory => ({
  id: memory.id,
  content: memory.content.length > MAX_MEMORY_CHARS ? `${memory.content.slice(0, MAX_MEMORY_CHARS)}…` : memory.content,
  status: memory.status,
  rating: memory.rating ?? null,
});

/**
 * Turns a detection into an incident an operator can act on: what it blocks (HWA successors),
 * the end of the job log, what the team remembers, the next step and one sentence. Each part
 * that fails is left out rather than holding the incident back.
 */
@Injectable()
export class IncidentEnricher {
  private readonly logger = new Logger(IncidentEnricher.name);

  constructor(
    private readonly config: AppConfig,
    private readonly status: TwsStatusService,
    private readonly walker: DependencyWalker,
    private readonly incidents: IncidentRepository,
    @Inject(IKnowledgeGraph) private readonly knowledge: IKnowledgeGraph,
  ) {}

  /** Memory searches run since start (the bench reports them). */
  searches = 0;

  async enrich(detection: Detection, index: PlanIndex, now: number): Promise<NewIncident> {
    const [impact, logTail] = await Promise.all([this.impact(detection, index, now), this.logTail(detection.job)]);
    const memories = await this.memories(detection, logTail);
    return {
      kind: detection.kind,
      object: detection.object,
      fingerprint: detection.fingerprint,
      summary: summarise(detection, impact),
      impact,
      log_tail: logTail ?? null,
      memories,
      next_step: this.nextStep(detection, logTail, index, memories),
      details: detection.details,
    };
  }

  private async impact(detection: Detection, index: PlanIndex, now: number): Promise<Impact> {
    try {
      if (detection.workstation) {
        const waiting = index.plan.jobs.filter(
          (job) => job.workstation === detection.workstation!.name && PENDING_WORKSTATION_JOBS.has(job.status),
        );
        return impactFrom(waiting.slice(0, IMPACT_MAX_JOBS), waiting.length > IMPACT_MAX_JOBS, now);
      }
      if (detection.kind === 'critical_at_risk' && detection.job) {
        const own = impactFrom([detection.job], false, now);
        const after = await this.walker.impactOf(detection.job, index, now);
        return {
          blocked_jobs: [...own.blocked_jobs, ...after.blocked_jobs],
          critical_jobs: [...own.critical_jobs, ...after.critical_jobs],
          truncated: after.truncated,
        };
      }
      if (detection.job) return await this.walker.impactOf(detection.job, index, now);
    } catch (error) {
      this.logger.warn(`Impact of ${detection.object} not computed: ${(error as Error).message}`);
    }
    return EMPTY_IMPACT;
  }

  private async logTail(job: JobStatus | undefined): Promise<string | undefined> {
    if (!job?.run_id) return undefined;
    try {
      return tail(await this.status.getJobLog(job.run_id), this.config.tws.logTailLines);
    } catch (error) {
      this.logger.warn(`Job log of ${jobKey(job)} not read: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Earlier resolution notes of this very thing, then the memory search; approved and well rated first. */
  private async memories(detection: Detection, logTail: string | undefined): Promise<IncidentMemory[]> {
    try {
      const linkedIds = await this.incidents.resolutionNotesFor(detection.kind, detection.object, MAX_LINKED_NOTES);
      const linked = (await Promise.all(linkedIds.map((id) => this.knowledge.getMemory(id)))).filter(
        (memory): memory is Memory => memory !== undefined && usable(memory),
      );
      this.searches++;
      const found = (await this.knowledge.searchSimilarIssues(searchText(detection, logTail), MAX_MEMORIES * 2)).filter(
        usable,
      );
      const seen = new Set<string>();
      return [
        ...linked.map((memory) => ({ ...toIncidentMemory(memory), linked: true })),
        ...found.map((memory) => ({ ...toIncidentMemory(memory), linked: false })),
      ]
        .filter((memory) => !seen.has(memory.id) && seen.add(memory.id))
        .map((memory, order) => ({ memory, order }))
        .sort((a, b) => trustRank(b.memory) - trustRank(a.memory) || a.order - b.order)
        .slice(0, MAX_MEMORIES)
        .map(({ memory: { linked: _linked, ...memory } }) => memory);
    } catch (error) {
      this.logger.warn(`Memories for ${detection.object} not searched: ${(error as Error).message}`);
      return [];
    }
  }

  private nextStep(
    detection: Detection,
    logTail: string | undefined,
    index: PlanIndex,
    memories: readonly IncidentMemory[],
  ): string {
    const remembered = memories.find((memory) => memory.status === 'approved' || (memory.rating ?? 0) >= WELL_RATED);
    const hint = remembered ? ` The team's remembered fix (memory ${remembered.id}) is listed with this incident.` : '';
    return `${capitalise(diagnose(detection, logTail, index.plan.workstations))}.${hint}`;
  }
}

/** Rejected memories never come back; flagged ones wait for review. */
const usable = (memory: Memory): boolean => memory.status === 'active' || memory.status === 'approved';

function searchText(detection: Detection, logTail: string | undefined): string {
  const job = detection.cause ?? detection.job;
  const words = [detection.object, job?.name, job?.status, detection.kind.replace(/_/g, ' ')];
  if (job?.return_code !== undefined) words.push(`return code ${job.return_code}`);
  if (detection.workstation) words.push(detection.workstation.name, 'unlinked workstation down');
  if (logTail) {
    const lines = logTail.split('\n').filter((line) => line.trim() && !line.startsWith('='));
    words.push(...lines.slice(-SEARCH_LOG_LINES));
  }
  return words.filter(Boolean).join(' ');
}

function diagnose(detection: Detection, logTail: string | undefined, workstations: WorkstationStatus[]): string {
  const job = detection.job;
  switch (detection.kind) {
    case 'job_abend':
      return suggestForJob(job!, logTail, workstations);
    case 'workstation_down':
      return suggestForWorkstation(detection.workstation!);
    case 'job_late':
      return `check what ${job!.name} still waits for (predecessors, resources, its workstation) and release or rerun it before its deadline`;
    case 'job_long_running':
      return `read the log of ${job!.name} to see whether it still progresses; kill and rerun it if it hangs`;
    case 'critical_at_risk': {
      const cause = detection.cause!;
      const fix = cause.held ? `release ${jobKey(cause)}` : suggestForJob(cause, undefined, workstations);
      return `unblock ${jobKey(cause)} first (${cause.held ? 'held' : cause.status}): ${fix}`;
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function blocking(impact: Impact): string {
  if (impact.blocked_jobs.length === 0) return '';
  const more = impact.truncated ? ' or more' : '';
  const nearest = [...impact.critical_jobs]
    .filter((job) => job.minutes_left !== null)
    .sort((a, b) => a.minutes_left! - b.minutes_left!)[0];
  const critical = nearest
    ? `, ${impact.critical_jobs.length} critical — ${nearest.job} ${nearest.minutes_left! < 0 ? `${-nearest.minutes_left!} min past` : `${nearest.minutes_left} min to`} its deadline`
    : impact.critical_jobs.length > 0
      ? `, ${impact.critical_jobs.length} critical`
      : '';
  return `; it blocks ${impact.blocked_jobs.length}${more} job(s)${critical}`;
}

/** One sentence an operator reads in a chat line or a Slack notification. */
export function summarise(detection: Detection, impact: Impact): string {
  const job = detection.job;
  const d = detection.details;
  switch (detection.kind) {
    case 'job_abend': {
      const rc = d.return_code !== undefined ? ` with return code ${d.return_code}` : '';
      return `${detection.object} ended in ${d.status}${rc} on ${d.workstation}${blocking(impact)}.`;
    }
    case 'job_late':
      return `${detection.object} is late (${d.status}${d.deadline ? `, deadline ${d.deadline}` : ''})${blocking(impact)}.`;
    case 'job_long_running': {
      const estimate = d.estimated_minutes !== undefined ? `, estimated ${d.estimated_minutes} min` : '';
      return `${detection.object} has been running ${d.running_minutes} min${estimate} — past its expected duration${blocking(impact)}.`;
    }
    case 'workstation_down':
      return `Workstation ${detection.object} (${detection.workstation!.type}) is down (unlinked)${
        impact.blocked_jobs.length > 0 ? `; ${impact.blocked_jobs.length} job(s) on it wait` : ''
      }.`;
    case 'critical_at_risk': {
      const cause = detection.cause!;
      const own = impact.critical_jobs[0];
      const left =
        own?.minutes_left !== null && own?.minutes_left !== undefined
          ? own.minutes_left < 0
            ? `, ${-own.minutes_left} min past its deadline`
            : `, ${own.minutes_left} min to its deadline`
          : '';
      return `Critical job ${detection.object} is at risk: its predecessor ${jobKey(cause)} is ${cause.held ? 'held' : `in ${cause.status}`}${left}.`;
    }
  }
  return `${detection.object}: ${job?.status ?? 'broken'}.`;
}
