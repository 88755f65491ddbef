import type { AppConfig } from '../config/app-config';
import type { IKnowledgeGraph, Memory, MemoryMatch } from '../knowledge/knowledge-graph.port';
import type { JobStatus } from '../tws/tws-client.port';
import type { TwsStatusService } from '../tws/tws-status.service';
import { type DependencyWalker, PlanIndex } from './dependency-walker';
import type { Detection } from './detection';
import { IncidentEnricher } from './incident-enricher';
import type { IncidentRepository } from './incident.repository';

const NOW = Date.parse('2026-11-22T23:00:00Z');
const job: JobStatus = {
  name: 'PAY_CALC',
  workstation: 'WINFTA01',
  status: 'ABEND',
  job_stream: 'PAYROLL',
  id: 'JOB-1',
  run_id: 'RUN-1',
  return_code: 12,
  job_stream_workstation: 'MASTER',
  critical: false,
  late: false,
};
const detection: Detection = {
  kind: 'job_abend',
  object: 'MASTER#PAYROLL.PAY_CALC',
  fingerprint: 'RUN-1',
  job,
  details: { status: 'ABEND', return_code: 12, workstation: 'WINFTA01' },
};

const memory = (id: string, over: Partial<Memory> = {}): MemoryMatch => ({
  id,
  kind: 'conversation',
  content: `memory ${id}`,
  provenance: {},
  status: 'active',
  createdAt: '',
  updatedAt: '',
  score: 1,
  ...over,
});

function enricher(found: MemoryMatch[], linked: Memory[], log = 'step 6/6\nORA-01017: invalid username/password') {
  const searches: string[] = [];
  const knowledge = {
    searchSimilarIssues: (query: string) => {
      searches.push(query);
      return Promise.resolve(found);
    },
    getMemory: (id: string) => Promise.resolve(linked.find((m) => m.id === id)),
  } as unknown as IKnowledgeGraph;
  const sut = new IncidentEnricher(
    { tws: { logTailLines: 40 } } as AppConfig,
    { getJobLog: () => Promise.resolve(`${log}\n`) } as unknown as TwsStatusService,
    {
      impactOf: () =>
        Promise.resolve({
          blocked_jobs: ['MASTER#PAYROLL.PAY_BANK_FILE'],
          critical_jobs: [{ job: 'MASTER#PAYROLL.PAY_BANK_FILE', deadline: '2026-11-22T23:14:00Z', minutes_left: 14 }],
          truncated: false,
        }),
    } as unknown as DependencyWalker,
    { resolutionNotesFor: () => Promise.resolve(linked.map((m) => m.id)) } as unknown as IncidentRepository,
    knowledge,
  );
  return { sut, searches };
}

describe(IncidentEnricher.name, () => {
  const index = new PlanIndex({ jobs: [job], workstations: [], critical_jobs: [] });

  it('brings approved and well-rated memories first, never rejected or flagged ones', async () => {
    const { sut } = enricher(
      [
        memory('plain'),
        memory('rejected', { status: 'rejected' }),
        memory('rated', { rating: 5 }),
        memory('flagged', { status: 'flagged' }),
        memory('approved', { status: 'approved' }),
      ],
      [],
    );
    const incident = await sut.enrich(detection, index, NOW);
    expect(incident.memories.map((m) => m.id)).toEqual(['approved', 'rated', 'plain']);
    expect(incident.memories[0]).toEqual({
      id: 'approved',
      content: 'memory approved',
      status: 'approved',
      rating: null,
    });
  });

  it("puts the team's earlier resolution note of the same job before an unrated search hit", async () => {
    const { sut, searches } = enricher([memory('other')], [memory('note', { content: 'Rotated the password' })]);
    const incident = await sut.enrich(detection, index, NOW);
    expect(incident.memories.map((m) => m.id)).toEqual(['note', 'other']);
    expect(searches[0]).toContain('MASTER#PAYROLL.PAY_CALC');
    expect(searches[0]).toContain('ORA-01017');
  });

  it('says what broke, what it blocks and by when, and what to do, from the log', async () => {
    const { sut } = enricher([], []);
    const incident = await sut.enrich(detection, index, NOW);
    expect(incident.summary).toBe(
      'MASTER#PAYROLL.PAY_CALC ended in ABEND with return code 12 on WINFTA01; it blocks 1 job(s), 1 critical — MASTER#PAYROLL.PAY_BANK_FILE 14 min to its deadline.',
    );
    expect(incident.next_step).toMatch(/^The database credentials were refused/);
    expect(incident.log_tail).toContain('ORA-01017');
  });
});
