import type { CriticalJob, JobStatus, JobStreamStatus, WorkstationStatus } from './tws-client.port';
import type { HwaJob, HwaJobRun, HwaJobStream, HwaWorkstation } from './hwa-wire';

/**
 * HWA plan objects → the seed's flat models. Explicit, field by field; documented in docs/tws.md.
 * HWA leaves fields out freely, so every read has a fallback rather than trusting the shape.
 */

const UNKNOWN = 'UNKNOWN';

/** A workstation is linked when `activeStates` holds LINKED (or one of its stronger forms). */
const LINKED_STATES = new Set([
  'LINKED',
  'FULLY_LINKED',
  'DIRECTLY_LINKED',
  'HOST_LINKED',
  'EXTENDED_LINKED',
  'TCP_IP_LINKED',
]);

/** The master links to itself: HWA reports it as MASTER/MANAGER with RUNNING rather than LINKED. */
function isLinked(ws: HwaWorkstation): boolean {
  const states = ws.activeStates ?? [];
  if (states.some((s) => LINKED_STATES.has(s))) return true;
  return ws.type === 'MANAGER' && states.includes('MASTER') && states.includes('RUNNING');
}

export function mapWorkstation(ws: HwaWorkstation): WorkstationStatus {
  const linked = isLinked(ws);
  return {
    name: ws.name ?? UNKNOWN,
    status: linked ? 'LINKED' : 'DOWN',
    type: ws.type ?? UNKNOWN,
    id: ws.id ?? '',
    linked,
    states: [...(ws.activeStates ?? [])],
  };
}

/**
 * The run the job's status belongs to: the one marked last in its rerun chain, else the one
 * submitted last. Runs are listed oldest first by HWA, but we do not depend on that.
 */
export function lastRun(job: HwaJob): HwaJobRun | undefined {
  const runs = job.jobruns ?? [];
  if (runs.length === 0) return undefined;
  const marked = runs.filter((r) => r.lastInRerunChain);
  const pool = marked.length > 0 ? marked : runs;
  return pool.reduce((latest, run) => ((run.submittedTime ?? '') >= (latest.submittedTime ?? '') ? run : latest));
}

/**
 * HWA's internal status (SUCC, ABEND, EXEC, ...) lives in `lastRunCompositeStatus`, then in the
 * last run's `compositeStatus`; a job with neither only has the common status (e.g. HELD).
 */
export function jobInternalStatus(job: HwaJob): string {
  return (
    job.lastRunCompositeStatus?.status ?? lastRun(job)?.compositeStatus?.status ?? job.lastRunCommonStatus ?? UNKNOWN
  );
}

export function mapJob(job: HwaJob): JobStatus {
  const run = lastRun(job);
  const mapped: JobStatus = {
    name: job.name ?? UNKNOWN,
    workstation: run?.actualWorkstation ?? job.workstation ?? UNKNOWN,
    status: jobInternalStatus(job),
    job_stream: job.jobStreamName ?? UNKNOWN,
    id: job.id ?? '',
    job_stream_workstation: job.jobStreamWorkstation ?? job.workstation ?? UNKNOWN,
    critical: job.jobOptions?.critical === true,
    late: isLate(job),
  };
  if (run?.id) mapped.run_id = run.id;
  if (run?.jobNumber !== undefined) mapped.job_number = run.jobNumber;
  if (run?.returnCode !== undefined) mapped.return_code = run.returnCode;
  if (run?.timeInfo?.actualStartTime) mapped.start_time = run.timeInfo.actualStartTime;
  if (run?.timeInfo?.actualEndTime) mapped.end_time = run.timeInfo.actualEndTime;
  if (isHeld(job)) mapped.held = true;
  if (job.criticalStart) mapped.critical_start = job.criticalStart;
  if (job.timeRestrictions?.deadlineTime) mapped.deadline = job.timeRestrictions.deadlineTime;
  const estimated = durationSeconds(run?.timeInfo?.estimatedDuration);
  if (estimated !== undefined) mapped.estimated_duration_seconds = estimated;
  if (run?.maxDurationGone === true) mapped.max_duration_gone = true;
  return mapped;
}

/** An operator hold drops the priority to 0 (HWA's HELD common status, HOLD_PRIORITY_ZERO substatus). */
function isHeld(job: HwaJob): boolean {
  return (
    job.lastRunCommonStatus === 'HELD' ||
    job.lastRunCompositeStatus?.substatus === 'HOLD_PRIORITY_ZERO' ||
    (job.priority === 0 && jobInternalStatus(job) === 'HOLD')
  );
}

/** An ISO-8601 duration (`PT1H2M3.5S`, `P1DT2H`) in seconds; HWA also sends plain milliseconds. */
export function durationSeconds(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value / 1000 : undefined;
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) / 1000;
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    value,
  );
  if (!match || value === 'P' || value.endsWith('T')) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return days * 86_400 + hours * 3_600 + minutes * 60 + seconds;
}

function isLate(job: HwaJob): boolean {
  return job.jobStatusFlags?.jobLate === true || job.jobStatusFlags?.deadlineHasPassed === true;
}

export function isCritical(job: HwaJob): boolean {
  return job.jobOptions?.critical === true;
}

export function mapCriticalJob(job: HwaJob): CriticalJob {
  const run = lastRun(job);
  const mapped: CriticalJob = {
    job_id: run?.jobNumber ?? 0,
    job_name: job.name ?? UNKNOWN,
    status: jobInternalStatus(job),
    start_time: run?.timeInfo?.actualStartTime ?? job.criticalStart ?? job.schedTime ?? '',
    id: job.id ?? '',
    job_stream: job.jobStreamName ?? UNKNOWN,
    workstation: run?.actualWorkstation ?? job.workstation ?? UNKNOWN,
    late: isLate(job),
  };
  if (job.criticalStart) mapped.critical_start = job.criticalStart;
  return mapped;
}

export function mapJobStream(js: HwaJobStream): JobStreamStatus {
  const mapped: JobStreamStatus = {
    id: js.id ?? '',
    name: js.name ?? js.originalJobStreamName ?? UNKNOWN,
    workstation: js.workstation ?? UNKNOWN,
    status: js.compositeStatus?.status ?? js.commonStatus ?? UNKNOWN,
  };
  if (js.schedTime) mapped.sched_time = js.schedTime;
  return mapped;
}
