import type { ITWSClient, JobDependencies, JobStatus } from '../tws/tws-client.port';
import { TwsError } from '../tws/tws.errors';
import { DependencyWalker, IMPACT_MAX_JOBS, PlanIndex } from './dependency-walker';

const NOW = Date.parse('2026-11-22T23:00:00Z');

const job = (name: string, over: Partial<JobStatus> = {}): JobStatus => ({
  name,
  workstation: 'WINFTA01',
  status: 'HOLD',
  job_stream: 'PAYROLL',
  id: name,
  job_stream_workstation: 'MASTER',
  critical: false,
  late: false,
  ...over,
});

/** A fake HWA dependency graph: `edges[a] = [b]` means b waits for a. */
function fakeTws(edges: Record<string, string[]>, plan: JobStatus[]) {
  const byId = new Map(plan.map((j) => [j.id, j]));
  const calls: string[] = [];
  const deps = (ids: string[]): JobDependencies => ({ jobs: ids.map((id) => byId.get(id)!), job_streams: [] });
  const tws = {
    getJobSuccessors: (id: string) => {
      calls.push(`s:${id}`);
      return Promise.resolve(deps(edges[id] ?? []));
    },
    getJobPredecessors: (id: string) => {
      calls.push(`p:${id}`);
      const before = Object.entries(edges)
        .filter(([, after]) => after.includes(id))
        .map(([from]) => from);
      return Promise.resolve(deps(before));
    },
  } as unknown as ITWSClient;
  return { tws, calls };
}

describe(DependencyWalker.name, () => {
  const plan = [
    job('A', { status: 'ABEND' }),
    job('B'),
    job('C', { critical: true, critical_start: '2026-11-22T23:30:00Z' }),
    job('D', { job_stream: 'BANK' }),
  ];
  const edges = { A: ['B'], B: ['C'], C: ['D'] };

  it('walks the successors nearest first, with the critical ones and the minutes left to their deadline', async () => {
    const { tws } = fakeTws(edges, plan);
    const sut = new DependencyWalker(tws);
    const impact = await sut.impactOf(plan[0], new PlanIndex({ jobs: plan, workstations: [], critical_jobs: [] }), NOW);
    expect(impact).toEqual({
      blocked_jobs: ['MASTER#PAYROLL.B', 'MASTER#PAYROLL.C', 'MASTER#BANK.D'],
      critical_jobs: [{ job: 'MASTER#PAYROLL.C', deadline: '2026-11-22T23:30:00Z', minutes_left: 30 }],
      truncated: false,
    });
  });

  it('reads each job’s dependencies from HWA once, then from its cache', async () => {
    const { tws, calls } = fakeTws(edges, plan);
    const sut = new DependencyWalker(tws);
    const index = new PlanIndex({ jobs: plan, workstations: [], critical_jobs: [] });
    await sut.impactOf(plan[0], index, NOW);
    await sut.impactOf(plan[0], index, NOW);
    expect(calls).toEqual(['s:A', 's:B', 's:C', 's:D']);
    expect(sut.reads).toBe(4);
  });

  it('finds the failed or held job up a critical job’s chain', async () => {
    const { tws } = fakeTws(edges, plan);
    const sut = new DependencyWalker(tws);
    const index = new PlanIndex({ jobs: plan, workstations: [], critical_jobs: [] });
    expect((await sut.blockerOf(plan[2], index))?.name).toBe('A');
    const healthy = plan.map((j) => (j.name === 'A' ? { ...j, status: 'SUCC' } : j));
    const fresh = new PlanIndex({ jobs: healthy, workstations: [], critical_jobs: [] });
    expect(await new DependencyWalker(fakeTws(edges, healthy).tws).blockerOf(healthy[2], fresh)).toBeUndefined();
  });

  it('stops at its count bound and says so', async () => {
    const many = [job('ROOT', { status: 'ABEND' }), ...Array.from({ length: 150 }, (_, i) => job(`J${i}`))];
    const { tws } = fakeTws({ ROOT: many.slice(1).map((j) => j.id) }, many);
    const impact = await new DependencyWalker(tws).impactOf(
      many[0],
      new PlanIndex({ jobs: many, workstations: [], critical_jobs: [] }),
      NOW,
    );
    expect(impact.blocked_jobs).toHaveLength(IMPACT_MAX_JOBS);
    expect(impact.truncated).toBe(true);
  });

  it('a master without the dependency endpoints gives no impact rather than no incident', async () => {
    const tws = {
      getJobSuccessors: () => Promise.reject(new TwsError('TWS_NOT_FOUND', 'no such path')),
    } as unknown as ITWSClient;
    const impact = await new DependencyWalker(tws).impactOf(
      plan[0],
      new PlanIndex({ jobs: plan, workstations: [], critical_jobs: [] }),
      NOW,
    );
    expect(impact).toEqual({ blocked_jobs: [], critical_jobs: [], truncated: false });
  });
});
