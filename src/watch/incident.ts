/** The incident watch's model: what broke, what it blocks, what the team knows about it. */

export const INCIDENT_KINDS = [
  'job_abend',
  'job_late',
  'job_long_running',
  'workstation_down',
  'critical_at_risk',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface CriticalJobAtRisk {
  /** `WS#STREAM.JOB` */
  job: string;
  /** The deadline, else the latest start that keeps the critical path on time; null when HWA gives neither. */
  deadline: string | null;
  /** Minutes from now to `deadline` (negative once it has passed). */
  minutes_left: number | null;
}

export interface Impact {
  /** The jobs that wait for the broken thing, `WS#STREAM.JOB`, nearest first. */
  blocked_jobs: string[];
  critical_jobs: CriticalJobAtRisk[];
  /** True when the walk stopped at its depth or count bound: more may be blocked. */
  truncated: boolean;
}

export interface IncidentMemory {
  id: string;
  content: string;
  status: string;
  rating: number | null;
}

/** What the watcher saw: the plan object's state when the incident opened. */
export interface IncidentDetails {
  plan_id?: string;
  status?: string;
  return_code?: number;
  run_id?: string;
  job_number?: number;
  workstation?: string;
  started_at?: string;
  deadline?: string;
  /** For `critical_at_risk`: the failed or held predecessor, `WS#STREAM.JOB`. */
  cause?: string;
  /** For `job_long_running`: minutes running, and the estimate when there is one. */
  running_minutes?: number;
  estimated_minutes?: number;
}

export interface Incident {
  id: string;
  kind: IncidentKind;
  /** The job's `WS#STREAM.JOB` or the workstation's name. */
  object: string;
  status: IncidentStatus;
  opened_at: string;
  updated_at: string;
  summary: string;
  impact: Impact;
  log_tail: string | null;
  memories: IncidentMemory[];
  next_step: string;
  details: IncidentDetails;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  /** A caller id, or `recovered` when the watcher saw the thing recover. */
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
  /** The memory the resolution note became. */
  resolution_memory_id: string | null;
}

export type IncidentEventType = 'opened' | 'updated' | 'closed';

export interface IncidentEvent {
  /** Position in the feed (ascending; SSE `id`). */
  seq: number;
  type: IncidentEventType;
  incident: Incident;
}

export const RECOVERED = 'recovered';

export const EMPTY_IMPACT: Impact = Object.freeze({ blocked_jobs: [], critical_jobs: [], truncated: false });
