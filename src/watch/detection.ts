import type { JobStatus, SystemStatus, WorkstationStatus } from '../tws/tws-client.port';
import { FAILED_STATUSES } from '../tws/tools/tws-diagnosis';
import type { IncidentDetails, IncidentKind } from './incident';

/** Something broken the watcher sees in the plan; becomes an incident unless one is already active for it. */
export interface Detection {
  kind: IncidentKind;
  object: string;
  /** The state that is broken (e.g. the failed run): a different one after an operator resolved it is news. */
  fingerprint: string;
  job?: JobStatus;
  workstation?: WorkstationStatus;
  /** For `critical_at_risk`: the failed or held predecessor. */
  cause?: JobStatus;
  details: IncidentDetails;
}

/** Statuses of a job that has not started or is running: a rerun on its way. */
const PENDING_STATUSES: ReadonlySet<string> = new Set(['HOLD', 'READY', 'EXEC', 'WAIT', 'INTRO', 'SCHED', 'PEND']);
const DONE_STATUSES: ReadonlySet<string> = new Set(['SUCC', 'CANCL']);

export const jobKey = (job: Pick<JobStatus, 'job_stream_workstation' | 'job_stream' | 'name'>): string =>
  `${job.job_stream_workstation}#${job.job_stream}.${job.name}`;

export const isFailed = (job: JobStatus): boolean => FAILED_STATUSES.has(job.status);
export const isDone = (job: JobStatus): boolean => DONE_STATUSES.has(job.status);
export const isBlocking = (job: JobStatus): boolean => isFailed(job) || job.held === true;

const minutesBetween = (from: string, to: number): number => Math.round((to - Date.parse(from)) / 60_000);

function jobDetails(job: JobStatus): IncidentDetails {
  const details: IncidentDetails = { plan_id: job.id, status: job.status, workstation: job.workstation };
  if (job.return_code !== undefined) details.return_code = job.return_code;
  if (job.run_id) details.run_id = job.run_id;
  if (job.job_number !== undefined) details.job_number = job.job_number;
  if (job.start_time) details.started_at = job.start_time;
  const deadline = job.deadline ?? job.critical_start;
  if (deadline) details.deadline = deadline;
  return details;
}

/** Running past its maximum duration, or longer than `factor` × its estimate. */
function runningLong(job: JobStatus, now: number, factor: number): IncidentDetails | undefined {
  if (job.status !== 'EXEC' || !job.start_time) return undefined;
  const running = (now - Date.parse(job.start_time)) / 1000;
  const estimate = job.estimated_duration_seconds;
  const overEstimate = estimate !== undefined && estimate > 0 && running > factor * estimate;
  if (!job.max_duration_gone && !overEstimate) return undefined;
  return {
    ...jobDetails(job),
    running_minutes: minutesBetween(job.start_time, now),
    ...(estimate !== undefined && { estimated_minutes: Math.round(estimate / 60) }),
  };
}

/**
 * Every broken thing the plan shows, except critical jobs at risk (which need the dependency
 * walk): failed jobs, late jobs, jobs running long, workstations down. Pure: same plan, same answer.
 */
export function detectInPlan(plan: SystemStatus, now: number, longRunFactor: number): Detection[] {
  const found: Detection[] = [];
  for (const job of plan.jobs) {
    const object = jobKey(job);
    if (isFailed(job)) {
      found.push({ kind: 'job_abend', object, fingerprint: job.run_id ?? job.id, job, details: jobDetails(job) });
    } else if (job.late && !isDone(job)) {
      found.push({ kind: 'job_late', object, fingerprint: job.id, job, details: jobDetails(job) });
    }
    const long = runningLong(job, now, longRunFactor);
    if (long) found.push({ kind: 'job_long_running', object, fingerprint: job.run_id ?? job.id, job, details: long });
  }
  for (const ws of plan.workstations) {
    if (ws.linked) continue;
    found.push({
      kind: 'workstation_down',
      object: ws.name,
      fingerprint: ws.id,
      workstation: ws,
      details: { plan_id: ws.id, status: ws.status, workstation: ws.name },
    });
  }
  return found;
}

/**
 * A failed job whose rerun is on its way (a newer run, not started or running) is still the same
 * incident: it closes when the rerun succeeds, not when it is submitted.
 */
export function rerunPending(job: JobStatus | undefined, failedRun: string): boolean {
  return job !== undefined && job.run_id !== undefined && job.run_id !== failedRun && PENDING_STATUSES.has(job.status);
}

/** The critical jobs that can still be made late: not ended, not already running. */
export function criticalJobsToGuard(plan: SystemStatus): JobStatus[] {
  return plan.jobs.filter((job) => job.critical && !isDone(job) && job.status !== 'EXEC' && !isFailed(job));
}
