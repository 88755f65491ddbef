import type { InjectionToken, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type FlagRequest, IAuditQueue } from '../audit/audit-queue.port';
import { AuditService } from '../audit/audit.service';
import { AuditFlagRepository } from '../audit/audit-flag.repository';
import { AuditMetrics } from '../audit/audit-metrics';
import { IReviewedMemories } from '../audit/reviewed-memories.port';
import { AgentRunner } from '../agents/agent-runner';
import { IAgentManager } from '../agents/agent-manager.port';
import type { Caller } from '../auth/caller';
import { IMemoryWritePolicy } from '../auth/memory-write-policy.port';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { ILlmProvider } from '../llm/llm-provider.port';
import { IKnowledgeGraph } from './knowledge-graph.port';
import { KnowledgeError } from './knowledge.errors';
import { type MemoryDraft, MemoryWriteGate } from './memory-write-gate';
import type { ScreenedMemory, StoredRef } from './screened-memory';

const config = loadConfig({});
const allowAll = { canSaveMemories: () => true };

/** The real rules behind a queue that only records what it is asked to enqueue. */
function recordingQueue() {
  const enqueued: FlagRequest[] = [];
  const auditor = new AuditService(
    config,
    {} as AuditFlagRepository,
    { setReviewStatus: async () => true },
    { flagged: () => {}, reviewed: () => {}, submitFailed: () => {} },
  );
  const queue = {
    screen: auditor.screen.bind(auditor),
    enqueue: async (request: FlagRequest) => void enqueued.push(request),
  };
  return { queue, enqueued };
}

const draft = (content: string, overrides: Partial<MemoryDraft> = {}): MemoryDraft => ({
  kind: 'thread',
  content,
  identity: ['thread', 'C1', '1.2'],
  scopeKey: '',
  provenance: { channelId: 'C1', threadTs: '1.2' },
  origin: 'Slack thread C1 1.2',
  ...overrides,
});

describe(MemoryWriteGate.name, () => {
  it('redacts, screens and queues only the stored memories that are flagged, once each', async () => {
    const { queue, enqueued } = recordingQueue();
    const sut = new MemoryWriteGate(allowAll, queue);
    let stored: readonly ScreenedMemory[] = [];
    const refs = await sut.write(
      [draft('Relink the agent'), draft('Run rm -rf /opt/tws/stdlist/* with senha=abc123'), draft('Relink the agent')],
      async (memories) => {
        stored = memories;
        return memories.map((m, i): StoredRef => ({ id: `m${i === 2 ? 0 : i}`, inserted: true, status: m.status }));
      },
    );
    expect(refs.map((r) => r.status)).toEqual(['active', 'flagged', 'active']);
    expect(stored[1]).toMatchObject({ content: 'Run rm -rf /opt/tws/stdlist/* with senha=[REDACTED]' });
    expect(JSON.stringify(stored)).not.toContain('abc123');
    expect(enqueued).toEqual([
      expect.objectContaining({
        memoryId: 'm1',
        kind: 'thread',
        agentId: '',
        userQuery: 'Slack thread C1 1.2',
        agentResponse: 'Run rm -rf /opt/tws/stdlist/* with senha=[REDACTED]',
      }),
    ]);
    expect(enqueued[0].findings.map((f) => f.rule)).toEqual(['credential_leak', 'destructive_command']);
  });

  it('does not queue a risky memory a reviewer already decided about', async () => {
    const { queue, enqueued } = recordingQueue();
    const sut = new MemoryWriteGate(allowAll, queue);
    await sut.write([draft('DROP TABLE jobs;')], async () => [{ id: 'm1', inserted: false, status: 'approved' }]);
    expect(enqueued).toEqual([]);
  });

  it('refuses a caller the write policy refuses', () => {
    const sut = new MemoryWriteGate({ canSaveMemories: (c: Caller) => c.id === 'ops' }, recordingQueue().queue);
    expect(() => sut.check({ id: 'bot', via: 'api-key', roles: ['write'] })).toThrow(KnowledgeError);
    expect(sut.check({ id: 'ops', via: 'api-key', roles: ['write'] }).id).toBe('ops');
  });
});

describe('Security pieces are required: a missing provider stops the boot', () => {
  const value = (provide: InjectionToken, useValue: unknown): Provider => ({ provide, useValue });
  const cases: [string, Provider, Provider[], RegExp][] = [
    [
      'the memory write gate without the write policy',
      MemoryWriteGate,
      [value(IAuditQueue, recordingQueue().queue)],
      /IMemoryWritePolicy/,
    ],
    [
      'the memory write gate without the audit queue',
      MemoryWriteGate,
      [value(IMemoryWritePolicy, allowAll)],
      /IAuditQueue/,
    ],
    [
      'the review queue without the memories it decides about',
      AuditService,
      [value(AppConfig, config), value(AuditFlagRepository, {}), value(AuditMetrics, {})],
      /IReviewedMemories/,
    ],
    [
      'the agent runner without the write policy',
      AgentRunner,
      [value(AppConfig, config), value(ILlmProvider, {}), value(IAgentManager, {}), value(IKnowledgeGraph, {})],
      /IMemoryWritePolicy/,
    ],
    [
      'the agent runner without the knowledge graph',
      AgentRunner,
      [
        value(AppConfig, config),
        value(ILlmProvider, {}),
        value(IAgentManager, {}),
        value(IMemoryWritePolicy, allowAll),
      ],
      /IKnowledgeGraph/,
    ],
  ];

  it.each(cases)('%s', async (_, subject, others, missing) => {
    await expect(Test.createTestingModule({ providers: [subject, ...others] }).compile()).rejects.toThrow(missing);
  });

  it('boots the review queue once every piece is there', async () => {
    const module = await Test.createTestingModule({
      providers: [
        AuditService,
        value(AppConfig, config),
        value(AuditFlagRepository, {}),
        value(AuditMetrics, {}),
        value(IReviewedMemories, { setReviewStatus: async () => true }),
      ],
    }).compile();
    expect(module.get(AuditService)).toBeInstanceOf(AuditService);
  });
});
