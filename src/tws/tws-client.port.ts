/**
 * The seed's TWS models, mapped from HCL Workload Automation's plan objects (see docs/tws.md).
 * Seed fields come first; the real identifiers travel alongside so that actions can target them.
 */
export interface WorkstationStatus {
  name: string;
  /** `LINKED` when HWA reports the workstation linked, `DOWN` otherwise. */
  status: string;
  type: string;
  id: string;
  linked: boolean;
  /** HWA's `activeStates`, e.g. `LINKED`, `RUNNING`, `JOBMAN_UP`. */
  states: string[];
}

export interface JobStatus {
  name: string;
  workstation: string;
  /** HWA's internal status: SUCC, ABEND, HOLD, READY, EXEC, WAIT, INTRO, FAIL, CANCL, ... */
  status: string;
  job_stream: string;
  /** Plan id of the job (the target of hold, release, kill, cancel). */
  id: string;
  /** Id of the last run (the target of rerun and of the job log); absent before the first run. */
  run_id?: string;
  job_number?: number;
  return_code?: number;
  job_stream_workstation: string;
  critical: boolean;
  late: boolean;
  start_time?: string;
  end_time?: string;
  /** Held by an operator (priority 0), not merely waiting for its dependencies. */
  held?: boolean;
  /** Latest start that keeps the critical path on time (`criticalStart`). */
  critical_start?: string;
  /** The job's deadline (`timeRestrictions.deadlineTime`). */
  deadline?: string;
  /** HWA's estimate of the last run's duration, in seconds (`timeInfo.estimatedDuration`). */
  estimated_duration_seconds?: number;
  /** The last run has gone past its maximum duration (`maxDurationGone`). */
  max_duration_gone?: boolean;
}

export interface CriticalJob {
  /** The job number of the last run (the number operators see in conman); 0 before the first run. */
  job_id: number;
  job_name: string;
  status: string;
  /** Actual start of the last run, else the latest start that keeps the critical path on time. */
  start_time: string;
  id: string;
  job_stream: string;
  workstation: string;
  critical_start?: string;
  late: boolean;
}

export interface SystemStatus {
  workstations: WorkstationStatus[];
  jobs: JobStatus[];
  critical_jobs: CriticalJob[];
}

export interface JobStreamStatus {
  id: string;
  name: string;
  workstation: string;
  status: string;
  sched_time?: string;
}

export interface EngineInfo {
  version: string;
  timezone?: string;
}

export interface ActionResult {
  /** Id of what the action touched (a new run id for rerun). */
  id: string;
  message: string;
}

export type JobAction = 'hold' | 'release' | 'kill' | 'cancel';
export type JobStreamAction = 'hold' | 'release' | 'cancel';

/** Lookup of plan jobs by name; fields are matched exactly (names are upper case in HWA). */
export interface JobQuery {
  workstation?: string;
  jobStream?: string;
  name?: string;
}

/** The plan objects one dependency step away from a job (HWA's `/predecessors`, `/successors`). */
export interface JobDependencies {
  jobs: JobStatus[];
  /** A job stream as a whole depends on (or is depended on by) the job: all of its jobs wait. */
  job_streams: JobStreamStatus[];
}

/**
 * HCL Workload Automation, as Resync needs it. The one implementation (`HwaTwsClient`) speaks
 * REST API V2; errors are `TwsError`s.
 */
export interface ITWSClient {
  /** Engine version and time zone; throws when the master cannot be reached or refuses us. */
  checkConnection(): Promise<EngineInfo>;
  getWorkstationsStatus(): Promise<WorkstationStatus[]>;
  getJobsStatus(query?: JobQuery): Promise<JobStatus[]>;
  getCriticalPathStatus(): Promise<CriticalJob[]>;
  getSystemStatus(): Promise<SystemStatus>;
  getJobStreams(): Promise<JobStreamStatus[]>;
  getJob(id: string): Promise<JobStatus>;
  /** What the job waits for in the plan. */
  getJobPredecessors(jobId: string): Promise<JobDependencies>;
  /** What waits for the job in the plan. */
  getJobSuccessors(jobId: string): Promise<JobDependencies>;
  /** The job log of a run, as text. */
  getJobLog(runId: string): Promise<string>;
  /** Submits a new run of the job; `runId` is its last run. */
  rerunJob(runId: string): Promise<ActionResult>;
  jobAction(jobId: string, action: JobAction): Promise<ActionResult>;
  jobStreamAction(jobStreamId: string, action: JobStreamAction): Promise<ActionResult>;
  getJobStreamsByName(workstation: string, name: string): Promise<JobStreamStatus[]>;
}

export const ITWSClient = Symbol('ITWSClient');
