import type { HwaEngineInfo } from '../tws/hwa-wire';
import type { JobState, SimJob, SimRun, SimStream, SimWorkstation, SimulatedPlan } from './simulated-plan';

/** Simulated objects → the JSON HWA REST API V2 sends (JobInPlanV2, WorkstationInPlanV2, ...). */

const ENGINE_ID = 'RESYNC-SIM';
const PLAN_ID = 'current';
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const COMMON_STATUS: Record<JobState, string> = {
  HOLD: 'WAITING',
  READY: 'READY',
  EXEC: 'RUNNING',
  SUCC: 'SUCCESSFUL',
  ABEND: 'ERROR',
  CANCL: 'CANCELED',
};

export function engineInfo(): HwaEngineInfo & Record<string, unknown> {
  return {
    displayVersion: '10.2.3',
    fullVersion: '10.2.3.00.20241115',
    referenceId: 'resync-simulator',
    licenseType: 'PERJOB',
    locale: 'en',
    timezone: 'UTC',
    capabilities: {},
  };
}

export function workstationView(ws: SimWorkstation): Record<string, unknown> {
  const states =
    ws.type === 'MANAGER'
      ? ['MASTER', 'MANAGER', 'RUNNING', 'LINKED', 'JOBMAN_UP']
      : ws.linked
        ? ['LINKED', 'RUNNING', 'JOBMAN_UP', 'FULLY_LINKED']
        : ['INSTALLED'];
  return {
    engineId: ENGINE_ID,
    id: ws.id,
    planId: PLAN_ID,
    folder: '/',
    name: ws.name,
    key: ws.name,
    activeStates: states,
    activeFlags: [],
    type: ws.type,
    os: ws.os,
    timeZone: 'UTC',
    nodeName: `${ws.name.toLowerCase()}.example.internal`,
    tcpPort: 31111,
    domainName: 'MASTERDM',
    version: '10.2.3',
    archived: false,
  };
}

function compositeStatus(state: JobState, held: boolean): Record<string, unknown> {
  return {
    status: state,
    ...(state === 'HOLD' && { substatus: held ? 'HOLD_PRIORITY_ZERO' : 'HOLD_WAITING_FOR_PREDECESSOR' }),
    error: state === 'ABEND',
    started: state === 'EXEC' || state === 'SUCC' || state === 'ABEND',
    canceled: state === 'CANCL',
    cancelPending: false,
    dontRun: false,
  };
}

function runView(plan: SimulatedPlan, job: SimJob, run: SimRun, last: boolean): Record<string, unknown> {
  const end = run.endedAt ?? (run.state === 'EXEC' ? plan.now : undefined);
  return {
    id: run.id,
    name: job.name,
    jobId: job.id,
    jobKey: plan.key(job),
    actualWorkstation: job.workstation.name,
    jobNumber: run.jobNumber,
    compositeStatus: compositeStatus(run.state, false),
    commonStatus: COMMON_STATUS[run.state],
    ...(run.returnCode !== undefined && { returnCode: run.returnCode }),
    rerunJob: run.rerun,
    timeInfo: {
      ...(run.startedAt !== undefined && { actualStartTime: iso(run.startedAt) }),
      ...(run.endedAt !== undefined && { actualEndTime: iso(run.endedAt) }),
      ...(run.startedAt !== undefined &&
        end !== undefined && { elapsedTime: `PT${Math.round((end - run.startedAt) / 1000)}S` }),
    },
    submittedTime: iso(run.submittedAt),
    lastInRerunChain: last,
    runAttempt: run.attempt,
  };
}

function dependenciesStats(job: SimJob): Record<string, number> {
  const done = (state: JobState) => state === 'SUCC' || state === 'CANCL';
  const unresolved =
    job.follows.filter((p) => !done(p.state)).length +
    job.followsStreams.filter((s) => !s.jobs.every((p) => done(p.state))).length;
  return {
    numberOfDependencies: job.follows.length + job.followsStreams.length,
    numberOfJobDependencies: job.follows.length,
    numberOfJobStreamDependencies: job.followsStreams.length,
    numberOfUnresolvedDependencies: unresolved,
    numberOfNonResourceUnresolvedDependencies: unresolved,
  };
}

export function jobView(plan: SimulatedPlan, job: SimJob): Record<string, unknown> {
  const held = job.held || job.stream.held;
  const late =
    job.critical &&
    job.criticalStart !== undefined &&
    plan.now > job.criticalStart &&
    (job.state === 'HOLD' || job.state === 'READY');
  return {
    flowNodeType: 'JOB',
    engineId: ENGINE_ID,
    id: job.id,
    planId: PLAN_ID,
    folder: '/',
    name: job.name,
    workstationId: job.workstation.id,
    workstation: job.workstation.name,
    jobStreamId: job.stream.id,
    jobStreamName: job.stream.name,
    jobStreamWorkstationId: job.stream.workstation.id,
    jobStreamWorkstation: job.stream.workstation.name,
    position: job.position,
    key: plan.key(job),
    jobOptions: { critical: job.critical, noOperation: false, requiresConfirmation: false, every: false },
    jobStatusFlags: { jobLate: late, deadlineHasPassed: false, restarted: job.runs.length > 1 },
    lastRunCompositeStatus: compositeStatus(job.state, held),
    lastRunCommonStatus: job.state === 'HOLD' && held ? 'HELD' : COMMON_STATUS[job.state],
    priority: held ? 0 : 10,
    origPriority: 10,
    jobruns: job.runs.map((run, i) => runView(plan, job, run, i === job.runs.length - 1)),
    dependenciesStats: dependenciesStats(job),
    schedTime: iso(job.stream.schedTime),
    ...(job.criticalStart !== undefined && { criticalStart: iso(job.criticalStart), confidenceInterval: '95' }),
    jobDefinition: {
      name: job.name,
      workstation: job.workstation.name,
      isCommand: false,
      task: { type: 'executable', script: `/opt/hwa/scripts/${job.name.toLowerCase()}.sh` },
    },
    archived: false,
  };
}

function streamState(stream: SimStream): JobState | 'HOLD' {
  const states = stream.jobs.map((j) => j.state);
  if (stream.held) return 'HOLD';
  if (states.includes('EXEC')) return 'EXEC';
  if (states.includes('ABEND')) return 'ABEND';
  if (states.every((s) => s === 'SUCC' || s === 'CANCL')) return states.every((s) => s === 'CANCL') ? 'CANCL' : 'SUCC';
  return states.some((s) => s === 'SUCC') ? 'EXEC' : 'READY';
}

export function jobStreamView(stream: SimStream): Record<string, unknown> {
  const state = streamState(stream);
  return {
    flowNodeType: 'JOBSTREAM',
    engineId: ENGINE_ID,
    id: stream.id,
    planId: PLAN_ID,
    folder: '/',
    name: stream.name,
    originalJobStreamName: stream.name,
    workstationId: stream.workstation.id,
    workstation: stream.workstation.name,
    key: `${stream.workstation.name}#${stream.name}`,
    schedTime: iso(stream.schedTime),
    compositeStatus: compositeStatus(state, stream.held),
    commonStatus: COMMON_STATUS[state],
    priority: stream.held ? 0 : 10,
    jobStreamStats: {
      numberOfJob: stream.jobs.length,
      numberOfSuccessfullJob: stream.jobs.filter((j) => j.state === 'SUCC').length,
      numberOfExecutingJob: stream.jobs.filter((j) => j.state === 'EXEC').length,
      numberOfAbendedJob: stream.jobs.filter((j) => j.state === 'ABEND').length,
      numberOfNotRunningJob: stream.jobs.filter((j) => j.state === 'HOLD' || j.state === 'READY').length,
    },
    archived: false,
  };
}
