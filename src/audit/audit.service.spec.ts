import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import type { FlagRequest } from './audit-queue.port';
import type { ReviewDecision } from './audit-flag';
import { AuditFlagRepository } from './audit-flag.repository';
import type { AuditObserver, ReviewOutcomeLabel } from './audit-metrics';
import { AuditService } from './audit.service';
import { FlagNotFoundError, ReviewConflictError } from './audit.errors';
import type { IReviewedMemories, ReviewedStatus } from './reviewed-memories.port';

/** Records the status each review gives a memory; can be told to fail, or that the memory is gone. */
class StatusLog implements IReviewedMemories {
  readonly statuses = new Map<string, ReviewedStatus>();
  failWith?: Error;
  gone = false;
  async setReviewStatus(id: string, status: ReviewedStatus): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    if (this.gone) return false;
    this.statuses.set(id, status);
    return true;
  }
}

/** Counts what the service reports. */
class MetricsLog implements AuditObserver {
  readonly flaggedRules: string[] = [];
  readonly reviews: string[] = [];
  submitFailures = 0;
  flagged(rules: readonly string[]): void {
    this.flaggedRules.push(...rules);
  }
  reviewed(decision: ReviewDecision, outcome: ReviewOutcomeLabel): void {
    this.reviews.push(`${decision}:${outcome}`);
  }
  submitFailed(): void {
    this.submitFailures++;
  }
}

type Candidate = Omit<FlagRequest, 'findings' | 'kind'>;

let sequence = 0;
const newCandidate = (overrides: Partial<Candidate> = {}): Candidate => ({
  memoryId: `mem_${++sequence}`,
  userQuery: 'How do I free disk space on the master?',
  agentResponse: 'Run rm -rf /opt/tws/stdlist',
  agentId: 'tws-specialist',
  ...overrides,
});

/** What the memory write gate does with a conversation: screen it, and queue it when risky. */
async function submit(service: AuditService, candidate: Candidate): Promise<void> {
  const findings = service.screen({ kind: 'conversation', ...candidate });
  await service.enqueue({ ...candidate, kind: 'conversation', findings });
}

describe.each(databaseTargets())(`${AuditService.name} on $name`, (target) => {
  let opened: OpenedDatabase;
  let config: AppConfig;
  let knowledge: StatusLog;
  let metrics: MetricsLog;
  let sut: AuditService;

  beforeAll(async () => {
    opened = await target.open();
    config = loadConfig({ AUDIT_PAGE_SIZE: '3', AUDIT_MAX_PAGE_SIZE: '5', AUDIT_QUERY_MAX_LENGTH: '20' });
  });
  afterAll(() => opened.dispose());

  beforeEach(async () => {
    await opened.database.db<{ audit_flags: { id: string } }>().deleteFrom('audit_flags').execute();
    knowledge = new StatusLog();
    metrics = new MetricsLog();
    sut = new AuditService(config, new AuditFlagRepository(opened.database), knowledge, metrics);
  });

  it('flags a suspicious memory, marks it flagged and leaves a clean one alone', async () => {
    const bad = newCandidate();
    const good = newCandidate({ agentResponse: 'Rerun the job after fixing the input file.' });
    await submit(sut, bad);
    await submit(sut, good);

    const flags = await sut.list({});
    expect(flags).toEqual([
      expect.objectContaining({
        memoryId: bad.memoryId,
        memoryKind: 'conversation',
        agentId: 'tws-specialist',
        userQuery: bad.userQuery,
        agentResponse: bad.agentResponse,
        rules: ['destructive_command'],
        confidence: 0.9,
        status: 'pending',
        reviewer: null,
        reviewedAt: null,
        reason: expect.stringContaining('rm -rf'),
      }),
    ]);
    expect(sut.screen({ kind: 'conversation', ...good })).toEqual([]);
  });

  it('reads what people wrote for credentials, destructive commands and markup, not for doubt or errors', () => {
    const doubt = 'I don’t know why ECONNREFUSED happens; the fix was rm -rf /opt/tws/stdlist/*';
    expect(sut.screen({ kind: 'conversation', userQuery: 'q', agentResponse: doubt }).map((f) => f.rule)).toEqual([
      'destructive_command',
      'non_answer',
      'error_output',
    ]);
    for (const kind of ['thread', 'document', 'fact', 'note'] as const)
      expect(sut.screen({ kind, userQuery: 'Slack thread C1 1.2', agentResponse: doubt }).map((f) => f.rule)).toEqual([
        'destructive_command',
      ]);
  });

  it('flags a text whose credential was redacted before it was stored', () => {
    expect(
      sut.screen({ kind: 'thread', userQuery: 'Slack thread C1 1.2', agentResponse: 'Use TWS_PASSWORD=[REDACTED]' }),
    ).toEqual([
      {
        rule: 'credential_leak',
        reason: 'The answer contained a credential, redacted before it was stored',
        confidence: 0.95,
      },
    ]);
  });

  it('fails, and counts, when a flag cannot be recorded', async () => {
    const broken = new AuditService(
      config,
      { upsert: () => Promise.reject(new Error('database down')) } as unknown as AuditFlagRepository,
      knowledge,
      metrics,
    );
    await expect(submit(broken, newCandidate())).rejects.toThrow('database down');
    expect(metrics.submitFailures).toBe(1);
  });

  it('keeps no more of each text than the rules read', async () => {
    const small = new AuditService(
      loadConfig({ AUDIT_MAX_SCAN_CHARS: '100' }),
      new AuditFlagRepository(opened.database),
      knowledge,
      metrics,
    );
    const candidate = newCandidate({ userQuery: 'q'.repeat(500), agentResponse: `rm -rf /tmp/x ${'a'.repeat(500)}` });
    await submit(small, candidate);
    expect((await small.list({}))[0]).toMatchObject({
      userQuery: 'q'.repeat(100),
      agentResponse: expect.stringMatching(/^rm -rf \/tmp\/x a+$/),
    });
    expect((await small.list({}))[0].agentResponse).toHaveLength(100);
  });

  it('records the first decision, repeats it harmlessly and refuses the opposite one', async () => {
    const candidate = newCandidate();
    await submit(sut, candidate);

    const first = await sut.review(candidate.memoryId, 'approve', 'alice');
    expect(first).toMatchObject({
      changed: true,
      flag: { status: 'approved', reviewer: 'alice', reviewedAt: expect.any(String) },
    });
    expect(knowledge.statuses.get(candidate.memoryId)).toBe('approved');

    const again = await sut.review(candidate.memoryId, 'approve', 'bob');
    expect(again).toMatchObject({ changed: false, flag: { status: 'approved', reviewer: 'alice' } });

    await expect(sut.review(candidate.memoryId, 'reject', 'bob')).rejects.toBeInstanceOf(ReviewConflictError);
    expect(knowledge.statuses.get(candidate.memoryId)).toBe('approved');
    expect(await sut.metrics()).toEqual({ pending: 0, approved: 1, rejected: 0, total: 1 });
    expect(metrics.flaggedRules).toEqual(['destructive_command']);
    expect(metrics.reviews).toEqual(['approve:decided', 'approve:repeated', 'reject:conflict']);
  });

  it('rejects a memory for good', async () => {
    const candidate = newCandidate();
    await submit(sut, candidate);
    await sut.review(candidate.memoryId, 'reject', 'alice');
    expect(knowledge.statuses.get(candidate.memoryId)).toBe('rejected');
    await submit(sut, candidate);
    expect((await sut.list({ status: 'all' }))[0]).toMatchObject({ status: 'rejected', reviewer: 'alice' });
  });

  it('answers an unknown memory with not found', async () => {
    await expect(sut.review('mem_nope', 'approve', 'alice')).rejects.toBeInstanceOf(FlagNotFoundError);
  });

  it('lets exactly one of many concurrent reviews decide', async () => {
    const candidate = newCandidate();
    await submit(sut, candidate);
    const decisions = Array.from({ length: 12 }, (_, i): ReviewDecision => (i % 2 === 0 ? 'approve' : 'reject'));
    const results = await Promise.allSettled(
      decisions.map((decision, i) => sut.review(candidate.memoryId, decision, `reviewer-${i}`)),
    );

    const winners = results.filter((r) => r.status === 'fulfilled' && r.value.changed);
    expect(winners).toHaveLength(1);
    const final = (await sut.list({ status: 'all' }))[0];
    for (const [i, result] of results.entries()) {
      const agrees = (decisions[i] === 'approve' ? 'approved' : 'rejected') === final.status;
      if (agrees) expect(result.status).toBe('fulfilled');
      else expect(result).toMatchObject({ status: 'rejected', reason: expect.any(ReviewConflictError) });
    }
    expect(knowledge.statuses.get(candidate.memoryId)).toBe(final.status);
  });

  it('reopens the flag when the memory status cannot be changed', async () => {
    const candidate = newCandidate();
    await submit(sut, candidate);
    knowledge.failWith = new Error('knowledge down');
    await expect(sut.review(candidate.memoryId, 'approve', 'alice')).rejects.toThrow('knowledge down');
    expect((await sut.list({}))[0]).toMatchObject({ status: 'pending', reviewer: null });

    knowledge.failWith = undefined;
    await expect(sut.review(candidate.memoryId, 'reject', 'alice')).resolves.toMatchObject({ changed: true });
  });

  it('keeps the decision when the memory was deleted meanwhile', async () => {
    const candidate = newCandidate();
    await submit(sut, candidate);
    knowledge.gone = true;
    await expect(sut.review(candidate.memoryId, 'approve', 'alice')).resolves.toMatchObject({ changed: true });
  });

  it('filters by status and text, with % and _ taken literally, in pages capped by the configuration', async () => {
    for (let i = 0; i < 7; i++) await submit(sut, newCandidate({ userQuery: `disk ${i} 100%_full` }));
    await submit(sut, newCandidate({ userQuery: 'other', agentResponse: 'DROP TABLE x' }));

    expect(await sut.list({})).toHaveLength(3); // AUDIT_PAGE_SIZE
    expect(await sut.list({ limit: 50 })).toHaveLength(5); // AUDIT_MAX_PAGE_SIZE
    expect(await sut.list({ query: 'DROP table' })).toEqual([expect.objectContaining({ userQuery: 'other' })]);
    expect(await sut.list({ query: '100%_', limit: 50 })).toHaveLength(5);
    expect(await sut.list({ query: '1000' })).toEqual([]);
    expect(await sut.list({ query: '%', limit: 50 })).toHaveLength(5);
    const page1 = await sut.list({ limit: 4 });
    const page2 = await sut.list({ limit: 4, offset: 4 });
    expect(new Set([...page1, ...page2].map((f) => f.memoryId)).size).toBe(8);
    expect(() => sut.list({ query: 'x'.repeat(21) })).toThrow('query must be at most 20 characters');

    const [first] = await sut.list({});
    await sut.review(first.memoryId, 'approve', 'alice');
    expect(await sut.list({ status: 'approved' })).toEqual([expect.objectContaining({ memoryId: first.memoryId })]);
    expect(await sut.metrics()).toEqual({ pending: 7, approved: 1, rejected: 0, total: 8 });
  });
});
