/**
 * The parts of HCL Workload Automation REST API V2 objects that Resync reads, named as in
 * `hwa-rest-api-v2.subset.json` (EngineInfoV2, WorkstationInPlanV2, JobInPlanV2, JobRunInstanceV2,
 * JobStreamInPlanV2, PaginatedResponse*, ResourceResponseV2). Everything is optional on the wire.
 */
export interface HwaEngineInfo {
  displayVersion?: string;
  fullVersion?: string;
  timezone?: string;
  locale?: string;
}

export interface HwaWorkstation {
  id?: string;
  name?: string;
  folder?: string;
  type?: string;
  activeStates?: string[];
  domainName?: string;
  nodeName?: string;
  agentId?: string;
}

export interface HwaCompositeStatus {
  status?: string;
  substatus?: string;
  error?: boolean;
  started?: boolean;
  canceled?: boolean;
}

export interface HwaTimeInfo {
  estimatedDuration?: string;
  actualStartTime?: string;
  actualEndTime?: string;
  elapsedTime?: string;
}

export interface HwaJobRun {
  id?: string;
  name?: string;
  jobId?: string;
  actualWorkstation?: string;
  jobNumber?: number;
  compositeStatus?: HwaCompositeStatus;
  commonStatus?: string;
  returnCode?: number;
  rerunJob?: boolean;
  timeInfo?: HwaTimeInfo;
  submittedTime?: string;
  lastInRerunChain?: boolean;
  runAttempt?: number;
  maxDurationGone?: boolean;
}

export interface HwaJob {
  id?: string;
  name?: string;
  folder?: string;
  workstationId?: string;
  workstation?: string;
  jobStreamId?: string;
  jobStreamName?: string;
  jobStreamWorkstation?: string;
  position?: number;
  jobStatusFlags?: { jobLate?: boolean; deadlineHasPassed?: boolean };
  jobOptions?: { critical?: boolean; noOperation?: boolean; requiresConfirmation?: boolean };
  lastRunCompositeStatus?: HwaCompositeStatus;
  lastRunCommonStatus?: string;
  priority?: number;
  jobruns?: HwaJobRun[];
  schedTime?: string;
  endTime?: string;
  criticalStart?: string;
  confidenceInterval?: string;
  timeRestrictions?: { deadlineTime?: string; maxDuration?: string };
}

export interface HwaJobStream {
  id?: string;
  name?: string;
  originalJobStreamName?: string;
  workstation?: string;
  schedTime?: string;
  compositeStatus?: HwaCompositeStatus;
  commonStatus?: string;
  jobs?: HwaJob[];
}

export interface HwaPage<T> {
  count?: number;
  results?: T[];
  next?: string | null;
  previous?: string | null;
}

export interface HwaResourceResponse {
  id?: string;
  url?: string;
  message?: string;
}

export const HWA_API_BASE = '/twsd/api/v2';

/** ListResponseV21: the flow nodes (jobs or job streams) of `/predecessors` and `/successors`. */
export interface HwaFlowNodeList {
  count?: number;
  results?: (HwaJob & HwaJobStream & { flowNodeType?: 'JOB' | 'JOBSTREAM' })[];
}
