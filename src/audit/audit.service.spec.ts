import type { ModuleRef } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import type { IKnowledgeGraph, MemoryStatus } from '../knowledge/knowledge-graph.port';
import { databaseTargets, type OpenedDatabase } from '../../test/support/database-targets';
import type { AuditCandidate } from './audit-queue.port';
import type { ReviewDecision } from './audit-flag';
import { AuditFlagRepository } from './audit-flag.repository';
import type { AuditObserver, ReviewOutcomeLabel } from './audit-metrics';
import { AuditService } from './audit.service';
import { FlagNotFoundError, ReviewConflictError } from './audit.errors';

/** Records the status the auditor gives each memory; can be told to fail. */
class StatusLog {
  readonly statuses = new Map<string, MemoryStatus>();
  failWith?: Error;
  async setStatus(id: string, status: MemoryStatus): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.statuses.set(id, status);
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

const moduleRefWith = (knowledge?: Partial<IKnowledgeGraph>): ModuleRef =>
  ({
    get: () => {
      if (!knowledge) throw new Error('not registered');
      return knowledge;
    },
  }) as unknown as ModuleRef;

let sequence = 0;
const newCandidate = (overrides: Partial<AuditCandidate> = {}): AuditCandidate => ({
  memoryId: `mem_${++sequence}`,
  userQuery: 'How do I free disk space on the master?',
  agentResponse: 'Run rm -rf /opt/tws/stdlist',
  agentId: 'tws-specialist',
  ...overrides,
});

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
    sut = new AuditService(config, new AuditFlagRepository(opened.database), moduleRefWith(knowledge), metrics);
  });

  it('flags a suspicious memory, marks it flagged and leaves a clean one alone', async () => {
    const bad = newCandidate();
    const good = newCandidate({ agentResponse: 'Rerun the job after fixing the input file.' });
    await sut.submit(bad);
    await sut.submit(good);

    const flags = await sut.list({});
    expect(flags).toEqual([
      expect.objectContaining({
        memoryId: bad.memoryId,
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
    expect(knowledge.statuses.get(bad.memoryId)).toBe('flagged');
    expect(knowledge.statuses.has(good.memoryId)).toBe(false);
  });

  it('never throws from submit, whatever fails', async () => {
    knowledge.failWith = new Error('knowledge down');
    await expect(sut.submit(newCandidate())).resolves.toBeUndefined();
    expect(metrics.submitFailures).toBe(1);
  });

  it('keeps no more of each text than the rules read', async () => {
    const small = new AuditService(
      loadConfig({ AUDIT_MAX_SCAN_CHARS: '100' }),
      new AuditFlagRepository(opened.database),
      moduleRefWith(knowledge),
      metrics,
    );
    const candidate = newCandidate({ userQuery: 'q'.repeat(500), agentResponse: `rm -rf /tmp/x ${'a'.repeat(500)}` });
    await small.submit(candidate);
    expect((await small.list({}))[0]).toMatchObject({
      userQuery: 'q'.repeat(100),
      agentResponse: expect.stringMatching(/^rm -rf \/tmp\/x a+$/),
    });
    expect((await small.list({}))[0].agentResponse).toHaveLength(100);
  });

  it('records the first decision, repeats it harmlessly and refuses the opposite one', async () => {
    const candidate = newCandidate();
    await sut.submit(candidate);

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
    await sut.submit(candidate);
    await sut.review(candidate.memoryId, 'reject', 'alice');
    expect(knowledge.statuses.get(candidate.memoryId)).toBe('rejected');
    await sut.submit(candidate);
    expect((await sut.list({ status: 'all' }))[0]).toMatchObject({ status: 'rejected', reviewer: 'alice' });
  });

  it('answers an unknown memory with not found', async () => {
    await expect(sut.review('mem_nope', 'approve', 'alice')).rejects.toBeInstanceOf(FlagNotFoundError);
  });

  it('lets exactly one of many concurrent reviews decide', async () => {
    const candidate = newCandidate();
    await sut.submit(candidate);
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
    await sut.submit(candidate);
    knowledge.failWith = new Error('knowledge down');
    await expect(sut.review(candidate.memoryId, 'approve', 'alice')).rejects.toThrow('knowledge down');
    expect((await sut.list({}))[0]).toMatchObject({ status: 'pending', reviewer: null });

    knowledge.failWith = undefined;
    await expect(sut.review(candidate.memoryId, 'reject', 'alice')).resolves.toMatchObject({ changed: true });
  });

  it('keeps the decision when the memory was deleted meanwhile', async () => {
    const candidate = newCandidate();
    await sut.submit(candidate);
    knowledge.failWith = new DomainError('MEMORY_NOT_FOUND', 'gone', 'not_found');
    await expect(sut.review(candidate.memoryId, 'approve', 'alice')).resolves.toMatchObject({ changed: true });
  });

  it('records decisions without a knowledge graph', async () => {
    const alone = new AuditService(
      config,
      new AuditFlagRepository(opened.database),
      moduleRefWith(undefined),
      new MetricsLog(),
    );
    const candidate = newCandidate();
    await alone.submit(candidate);
    await expect(alone.review(candidate.memoryId, 'approve', 'alice')).resolves.toMatchObject({ changed: true });
  });

  it('filters by status and text, with % and _ taken literally, in pages capped by the configuration', async () => {
    for (let i = 0; i < 7; i++) await sut.submit(newCandidate({ userQuery: `disk ${i} 100%_full` }));
    await sut.submit(newCandidate({ userQuery: 'other', agentResponse: 'DROP TABLE x' }));

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
