import type { JobStatus, SystemStatus, WorkstationStatus } from '../tws/tws-client.port';
import { criticalJobsToGuard, detectInPlan, rerunPending } from './detection';

const NOW = Date.parse('2026-11-22T23:00:00Z');

const newJob = (over: Partial<JobStatus> = {}): JobStatus => ({
  name: 'PAY_CALC',
  workstation: 'WINFTA01',
  status: 'SUCC',
  job_stream: 'PAYROLL',
  id: 'JOB-1',
  run_id: 'RUN-1',
  job_stream_workstation: 'MASTER',
  critical: false,
  late: false,
  ...over,
});

const newWorkstation = (over: Partial<WorkstationStatus> = {}): WorkstationStatus => ({
  name: 'LNXFTA01',
  status: 'LINKED',
  type: 'FTA',
  id: 'WS-1',
  linked: true,
  states: ['LINKED'],
  ...over,
});

const plan = (jobs: JobStatus[], workstations: WorkstationStatus[] = [newWorkstation()]): SystemStatus => ({
  jobs,
  workstations,
  critical_jobs: [],
});

describe(detectInPlan.name, () => {
  it('finds failed jobs by WS#STREAM.JOB, fingerprinted by their failed run', () => {
    const found = detectInPlan(
      plan([newJob({ status: 'ABEND', return_code: 12 }), newJob({ id: 'J2', name: 'OK' })]),
      NOW,
      2,
    );
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'job_abend',
        object: 'MASTER#PAYROLL.PAY_CALC',
        fingerprint: 'RUN-1',
        details: expect.objectContaining({ status: 'ABEND', return_code: 12, plan_id: 'JOB-1' }),
      }),
    ]);
    expect(detectInPlan(plan([newJob({ status: 'FAIL' })]), NOW, 2)[0].kind).toBe('job_abend');
  });

  it('reports late jobs that have not ended, but not a late job that succeeded', () => {
    expect(detectInPlan(plan([newJob({ status: 'READY', late: true })]), NOW, 2).map((d) => d.kind)).toEqual([
      'job_late',
    ]);
    expect(detectInPlan(plan([newJob({ status: 'SUCC', late: true })]), NOW, 2)).toEqual([]);
  });

  it('reports a run past its maximum duration, or past the factor times its estimate', () => {
    const started = new Date(NOW - 50 * 60_000).toISOString();
    const running = { status: 'EXEC', start_time: started };
    expect(detectInPlan(plan([newJob({ ...running, estimated_duration_seconds: 20 * 60 })]), NOW, 2)).toEqual([
      expect.objectContaining({
        kind: 'job_long_running',
        details: expect.objectContaining({ running_minutes: 50, estimated_minutes: 20 }),
      }),
    ]);
    expect(detectInPlan(plan([newJob({ ...running, estimated_duration_seconds: 30 * 60 })]), NOW, 2)).toEqual([]);
    expect(detectInPlan(plan([newJob({ ...running, max_duration_gone: true })]), NOW, 2)[0].kind).toBe(
      'job_long_running',
    );
    expect(detectInPlan(plan([newJob({ ...running })]), NOW, 2)).toEqual([]);
  });

  it('reports each unlinked workstation', () => {
    const found = detectInPlan(
      plan([], [newWorkstation(), newWorkstation({ name: 'AGT1', linked: false, status: 'DOWN' })]),
      NOW,
      2,
    );
    expect(found).toEqual([expect.objectContaining({ kind: 'workstation_down', object: 'AGT1' })]);
  });
});

describe(rerunPending.name, () => {
  it('a newer run not started or running keeps the failure open; success, a new day or the same run do not', () => {
    expect(rerunPending(newJob({ status: 'READY', run_id: 'RUN-2' }), 'RUN-1')).toBe(true);
    expect(rerunPending(newJob({ status: 'EXEC', run_id: 'RUN-2' }), 'RUN-1')).toBe(true);
    expect(rerunPending(newJob({ status: 'SUCC', run_id: 'RUN-2' }), 'RUN-1')).toBe(false);
    expect(rerunPending(newJob({ status: 'HOLD', run_id: undefined }), 'RUN-1')).toBe(false);
    expect(rerunPending(undefined, 'RUN-1')).toBe(false);
  });
});

describe(criticalJobsToGuard.name, () => {
  it('guards critical jobs that can still be made late', () => {
    const jobs = [
      newJob({ id: 'a', critical: true, status: 'HOLD' }),
      newJob({ id: 'b', critical: true, status: 'SUCC' }),
      newJob({ id: 'c', critical: true, status: 'EXEC' }),
      newJob({ id: 'd', critical: false, status: 'HOLD' }),
    ];
    expect(criticalJobsToGuard(plan(jobs)).map((j) => j.id)).toEqual(['a']);
  });
});
