import {
  durationSeconds,
  jobInternalStatus,
  lastRun,
  mapCriticalJob,
  mapJob,
  mapJobStream,
  mapWorkstation,
} from './hwa-mapping';
import type { HwaJob, HwaWorkstation } from './hwa-wire';

/** Shaped like HWA 10.x REST V2 answers (JobInPlanV2 / WorkstationInPlanV2), trimmed of unrelated fields. */
const newWorkstation = (over: Partial<HwaWorkstation> = {}): HwaWorkstation =>
  ({
    engineId: 'ENG1',
    id: 'WKS-d1f0c2a4-77e1-3b5e-9a3c-0c1f2e3d4a5b',
    planId: 'current',
    folder: '/',
    name: 'LNXFTA01',
    key: 'LNXFTA01',
    activeStates: ['LINKED', 'RUNNING', 'JOBMAN_UP', 'FULLY_LINKED'],
    activeFlags: ['FULL_STATUS'],
    type: 'FTA',
    os: 'UNIX',
    domainName: 'MASTERDM',
    ...over,
  }) as HwaWorkstation;

const newJob = (over: Partial<HwaJob> = {}): HwaJob =>
  ({
    flowNodeType: 'JOB',
    engineId: 'ENG1',
    id: 'JOB-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
    planId: 'current',
    folder: '/',
    name: 'PAY_CALC',
    workstationId: 'WKS-2',
    workstation: 'WINFTA01',
    jobStreamId: 'JS-1',
    jobStreamName: 'PAYROLL',
    jobStreamWorkstationId: 'WKS-M',
    jobStreamWorkstation: 'MASTER',
    position: 2,
    key: 'MASTER#PAYROLL.PAY_CALC',
    jobOptions: { critical: true, noOperation: false, requiresConfirmation: false, every: false },
    jobStatusFlags: { jobLate: false, deadlineHasPassed: false, restarted: true },
    lastRunCompositeStatus: { status: 'ABEND', error: true, started: true, canceled: false },
    lastRunCommonStatus: 'ERROR',
    priority: 10,
    schedTime: '2026-11-22T21:00:00Z',
    criticalStart: '2026-11-22T22:10:00Z',
    jobruns: [
      {
        id: 'RUN-1',
        name: 'PAY_CALC',
        jobId: 'JOB-0a1b',
        actualWorkstation: 'WINFTA01',
        jobNumber: 4711,
        compositeStatus: { status: 'ABEND', error: true, started: true },
        commonStatus: 'ERROR',
        returnCode: 12,
        rerunJob: false,
        timeInfo: {
          actualStartTime: '2026-11-22T22:00:05Z',
          actualEndTime: '2026-11-22T22:01:40Z',
          elapsedTime: 'PT95S',
        },
        submittedTime: '2026-11-22T22:00:00Z',
        lastInRerunChain: false,
        runAttempt: 1,
      },
      {
        id: 'RUN-2',
        name: 'PAY_CALC',
        jobId: 'JOB-0a1b',
        actualWorkstation: 'WINFTA01',
        jobNumber: 4790,
        compositeStatus: { status: 'ABEND', error: true, started: true },
        commonStatus: 'ERROR',
        returnCode: 8,
        rerunJob: true,
        timeInfo: { actualStartTime: '2026-11-22T22:20:00Z', actualEndTime: '2026-11-22T22:21:00Z' },
        submittedTime: '2026-11-22T22:19:58Z',
        lastInRerunChain: true,
        runAttempt: 2,
      },
    ],
    ...over,
  }) as HwaJob;

describe('HWA mapping', () => {
  describe(mapWorkstation.name, () => {
    it('maps a linked FTA to the seed model with its id and states alongside', () => {
      expect(mapWorkstation(newWorkstation())).toEqual({
        name: 'LNXFTA01',
        status: 'LINKED',
        type: 'FTA',
        id: 'WKS-d1f0c2a4-77e1-3b5e-9a3c-0c1f2e3d4a5b',
        linked: true,
        states: ['LINKED', 'RUNNING', 'JOBMAN_UP', 'FULLY_LINKED'],
      });
    });

    it('reports DOWN when LINKED is absent from activeStates', () => {
      expect(mapWorkstation(newWorkstation({ activeStates: ['INSTALLED'] }))).toMatchObject({
        status: 'DOWN',
        linked: false,
      });
      expect(mapWorkstation(newWorkstation({ activeStates: undefined }))).toMatchObject({ status: 'DOWN', states: [] });
    });

    it('counts the master as linked when it reports MASTER and RUNNING', () => {
      expect(mapWorkstation(newWorkstation({ type: 'MANAGER', activeStates: ['MASTER', 'RUNNING'] })).status).toBe(
        'LINKED',
      );
    });
  });

  describe(mapJob.name, () => {
    it('takes the status from lastRunCompositeStatus and the numbers from the last run of the rerun chain', () => {
      expect(mapJob(newJob())).toEqual({
        name: 'PAY_CALC',
        workstation: 'WINFTA01',
        status: 'ABEND',
        job_stream: 'PAYROLL',
        id: 'JOB-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
        run_id: 'RUN-2',
        job_number: 4790,
        return_code: 8,
        job_stream_workstation: 'MASTER',
        critical: true,
        late: false,
        start_time: '2026-11-22T22:20:00Z',
        end_time: '2026-11-22T22:21:00Z',
        critical_start: '2026-11-22T22:10:00Z',
      });
    });

    it('carries the timing HWA knows: deadline, estimated duration, maximum duration passed, operator hold', () => {
      const job = newJob({ timeRestrictions: { deadlineTime: '2026-11-23T02:00:00Z' } });
      job.jobruns![1] = {
        ...job.jobruns![1],
        timeInfo: { estimatedDuration: 'PT1H2M30S' },
        maxDurationGone: true,
      };
      expect(mapJob(job)).toMatchObject({
        deadline: '2026-11-23T02:00:00Z',
        estimated_duration_seconds: 3750,
        max_duration_gone: true,
      });
      expect(mapJob(newJob()).held).toBeUndefined();
      const held = newJob({
        jobruns: [],
        priority: 0,
        lastRunCompositeStatus: { status: 'HOLD', substatus: 'HOLD_PRIORITY_ZERO' },
      });
      expect(mapJob(held)).toMatchObject({ status: 'HOLD', held: true });
      expect(durationSeconds('P1DT1S')).toBe(86_401);
      expect(durationSeconds('PT')).toBeUndefined();
      expect(durationSeconds('soon')).toBeUndefined();
    });

    it('falls back to the last run, then to the common status', () => {
      expect(jobInternalStatus(newJob({ lastRunCompositeStatus: undefined }))).toBe('ABEND');
      expect(
        jobInternalStatus(newJob({ lastRunCompositeStatus: undefined, jobruns: [], lastRunCommonStatus: 'HELD' })),
      ).toBe('HELD');
      expect(jobInternalStatus({})).toBe('UNKNOWN');
    });

    it('maps a job that has not run: no run id, no job number', () => {
      const mapped = mapJob(
        newJob({ jobruns: [], lastRunCompositeStatus: { status: 'HOLD', substatus: 'HOLD_WAITING_FOR_PREDECESSOR' } }),
      );
      expect(mapped).toMatchObject({ status: 'HOLD', workstation: 'WINFTA01' });
      expect(mapped).not.toHaveProperty('run_id');
      expect(mapped).not.toHaveProperty('job_number');
    });

    it('without lastInRerunChain picks the run submitted last', () => {
      const job = newJob();
      job.jobruns = job.jobruns!.map((r) => ({ ...r, lastInRerunChain: undefined })).reverse();
      expect(lastRun(job)?.id).toBe('RUN-2');
    });

    it('flags late jobs', () => {
      expect(mapJob(newJob({ jobStatusFlags: { jobLate: true } })).late).toBe(true);
      expect(mapJob(newJob({ jobStatusFlags: { deadlineHasPassed: true } })).late).toBe(true);
    });
  });

  describe(mapCriticalJob.name, () => {
    it('uses the job number as job_id and the actual start as start_time', () => {
      expect(mapCriticalJob(newJob())).toEqual({
        job_id: 4790,
        job_name: 'PAY_CALC',
        status: 'ABEND',
        start_time: '2026-11-22T22:20:00Z',
        id: 'JOB-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
        job_stream: 'PAYROLL',
        workstation: 'WINFTA01',
        critical_start: '2026-11-22T22:10:00Z',
        late: false,
      });
    });

    it('before the first run: job_id 0 and criticalStart as start_time', () => {
      expect(mapCriticalJob(newJob({ jobruns: [] }))).toMatchObject({ job_id: 0, start_time: '2026-11-22T22:10:00Z' });
    });
  });

  it('maps a job stream with its composite status', () => {
    expect(
      mapJobStream({
        id: 'JS-1',
        name: 'PAYROLL',
        workstation: 'MASTER',
        compositeStatus: { status: 'EXEC' },
        schedTime: '2026-11-22T21:00:00Z',
      }),
    ).toEqual({
      id: 'JS-1',
      name: 'PAYROLL',
      workstation: 'MASTER',
      status: 'EXEC',
      sched_time: '2026-11-22T21:00:00Z',
    });
  });
});
