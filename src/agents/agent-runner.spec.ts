import type { Caller } from '../auth/caller';
import type { IMemoryWritePolicy } from '../auth/memory-write-policy.port';
import type { AppConfig } from '../config/app-config';
import type { IKnowledgeGraph, MemoryMatch } from '../knowledge/knowledge-graph.port';
import type { ILlmProvider, LlmRequest, LlmStreamEvent } from '../llm/llm-provider.port';
import { AgentConfig } from './agent-config';
import type { IAgentManager } from './agent-manager.port';
import { type AgentEvent, AgentRunner } from './agent-runner';
import type { AgentTool } from './tools/agent-tool';

/** A model that plays back one script per round and keeps what it was asked. */
class ScriptedModel implements ILlmProvider {
  readonly kind = 'openai-compatible' as const;
  readonly requests: LlmRequest[] = [];
  constructor(private readonly rounds: LlmStreamEvent[][]) {}
  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    this.requests.push(structuredClone({ ...request, signal: undefined }));
    yield* this.rounds[Math.min(this.requests.length - 1, this.rounds.length - 1)];
  }
}

const newAgent = (overrides: Partial<AgentConfig> = {}): AgentConfig =>
  Object.assign(new AgentConfig(), {
    id: 'ops',
    name: 'Ops',
    role: 'Operator',
    goal: 'g',
    backstory: 'b',
    tools: ['status'],
    ...overrides,
  });

const statusTool: AgentTool = {
  name: 'status',
  description: 'plan status',
  parameters: { type: 'object', properties: {} },
  run: async () => 'CPU1 LINKED',
};

const match = (id: string): MemoryMatch => ({
  id,
  kind: 'conversation',
  content: 'x',
  provenance: {},
  status: 'active',
  createdAt: '',
  updatedAt: '',
  score: 1,
});

function knowledgeFake(context = 'Past: PAYROLL01 fixed by rerun') {
  const stored: { userQuery: string; agentResponse: string; agentId: string; context?: Record<string, unknown> }[] = [];
  const graph = {
    getRelevantContext: async () => context,
    searchSimilarIssues: async () => (context ? [match('m1'), match('m2')] : []),
    addConversation: async (
      userQuery: string,
      agentResponse: string,
      agentId: string,
      ctx?: Record<string, unknown>,
    ) => {
      stored.push({ userQuery, agentResponse, agentId, context: ctx });
      return `mem-${stored.length}`;
    },
  } as unknown as IKnowledgeGraph;
  return { graph, stored };
}

const config = { llm: { maxToolRounds: 2, toolTimeoutMs: 200 }, tws: { source: 'hwa' } } as AppConfig;
const caller: Caller = { id: 'root-agent', via: 'api-key', roles: ['read', 'write'] };
const bridge: Caller = { id: 'slack-bridge', via: 'internal-token', roles: ['read', 'write'], slackUserId: 'U01ALICE' };
const allowAll: IMemoryWritePolicy = { canSaveMemories: () => true };
const emptyGraph = () => knowledgeFake('').graph;

async function drain(run: AsyncGenerator<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

describe(AgentRunner.name, () => {
  const manager = (tools: AgentTool[]) => ({ toolsOf: () => tools }) as unknown as IAgentManager;

  it('tells the model the plan is simulated, only when it is', async () => {
    const promptFor = async (source: 'simulator' | 'hwa') => {
      const model = new ScriptedModel([[{ type: 'text', text: 'ok' }]]);
      const sut = new AgentRunner(
        { ...config, tws: { source } } as AppConfig,
        model,
        manager([statusTool]),
        emptyGraph(),
        allowAll,
      );
      await drain(sut.run(newAgent({ memory: false }), { message: 'status?' }));
      return model.requests[0].messages[0].content;
    };
    expect(await promptFor('simulator')).toMatch(
      /plan .* is invented by Resync's built-in simulator.*say that the plan is simulated/,
    );
    expect(await promptFor('hwa')).not.toMatch(/simulat/);
  });

  it('puts memories in the prompt, runs the requested tools and answers with their results', async () => {
    const model = new ScriptedModel([
      [
        { type: 'text', text: 'Checking. ' },
        { type: 'tool_calls', calls: [{ id: 'c1', name: 'status', arguments: '{}' }] },
      ],
      [{ type: 'text', text: 'CPU1 is LINKED.' }],
    ]);
    const { graph, stored } = knowledgeFake();
    const sut = new AgentRunner(config, model, manager([statusTool]), graph, allowAll);

    const events = await drain(
      sut.run(newAgent(), { message: 'status?' }, { caller: bridge, channelId: 'C1', claimedIn: 'body' }),
    );

    expect(events[0]).toEqual({ type: 'context', memoriesUsed: 2 });
    expect(events).toContainEqual({ type: 'tool_call', tool: 'status', args: {} });
    expect(events.at(-1)).toEqual({
      type: 'final',
      answer: 'Checking. CPU1 is LINKED.',
      toolCalls: [{ tool: 'status', args: {} }],
      memoriesUsed: 2,
    });
    expect(model.requests[0].messages[0].content).toContain('PAYROLL01 fixed by rerun');
    expect(model.requests[1].messages.at(-1)).toEqual({
      role: 'tool',
      toolCallId: 'c1',
      name: 'status',
      content: 'CPU1 LINKED',
    });
    expect(stored).toEqual([
      expect.objectContaining({ userQuery: 'status?', agentResponse: 'Checking. CPU1 is LINKED.', agentId: 'ops' }),
    ]);
    expect(stored[0].context).toMatchObject({ channelId: 'C1', callerId: 'slack-bridge', slackUserId: 'U01ALICE' });
  });

  it('reads and records only the scope the caller may speak for', async () => {
    const searched: unknown[] = [];
    const { graph, stored } = knowledgeFake();
    const spying = Object.assign(graph, {
      searchSimilarIssues: async (_q: string, _l: number, options: unknown) => {
        searched.push(options);
        return [];
      },
    });
    const sut = new AgentRunner(
      config,
      new ScriptedModel([[{ type: 'text', text: 'ok' }]]),
      manager([]),
      spying,
      allowAll,
    );
    await drain(
      sut.run(newAgent(), { message: 'q' }, { caller, channelId: 'C1', slackUserId: 'U01ALICE', claimedIn: 'body' }),
    );
    expect(searched).toEqual([{ limit: 5 }]);
    expect(stored[0].context).toMatchObject({ channelId: undefined, slackUserId: undefined, callerId: 'root-agent' });
  });

  it('stops offering tools after LLM_MAX_TOOL_ROUNDS so the model must answer', async () => {
    const loop: LlmStreamEvent[] = [{ type: 'tool_calls', calls: [{ id: 'c', name: 'status', arguments: '{}' }] }];
    const model = new ScriptedModel([loop, loop, [{ type: 'text', text: 'done' }]]);
    const sut = new AgentRunner(config, model, manager([statusTool]), emptyGraph(), allowAll);
    const events = await drain(sut.run(newAgent({ memory: false }), { message: 'loop' }));
    expect(model.requests.map((r) => r.tools?.length ?? 0)).toEqual([1, 1, 0]);
    expect(events.at(-1)).toMatchObject({ type: 'final', answer: 'done' });
  });

  it('feeds tool failures, timeouts, unknown tools and bad arguments back to the model instead of failing', async () => {
    const broken: AgentTool = {
      ...statusTool,
      name: 'broken',
      run: async () => Promise.reject(new Error('HWA unreachable')),
    };
    const slow: AgentTool = { ...statusTool, name: 'slow', run: () => new Promise(() => undefined) };
    const model = new ScriptedModel([
      [
        {
          type: 'tool_calls',
          calls: [
            { id: '1', name: 'broken', arguments: '{}' },
            { id: '2', name: 'slow', arguments: '{}' },
            { id: '3', name: 'ghost', arguments: '{}' },
            { id: '4', name: 'status', arguments: '[1,2' },
          ],
        },
      ],
      [{ type: 'text', text: 'sorry' }],
    ]);
    const sut = new AgentRunner(config, model, manager([statusTool, broken, slow]), emptyGraph(), allowAll);
    await drain(sut.run(newAgent({ memory: false }), { message: 'x' }));
    const results = model.requests[1].messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results).toEqual([
      'Tool broken failed: HWA unreachable',
      'Tool slow failed: did not finish within 200 ms',
      'Unknown tool "ghost". Available tools: status, broken, slow',
      'Invalid arguments for status: not a JSON object',
    ]);
  });

  it('does not record the conversation when the write policy refuses the caller', async () => {
    const model = new ScriptedModel([[{ type: 'text', text: 'answer' }]]);
    const { graph, stored } = knowledgeFake();
    const policy: IMemoryWritePolicy = { canSaveMemories: () => false };
    const sut = new AgentRunner(config, model, manager([]), graph, policy);
    await drain(sut.run(newAgent(), { message: 'q' }, { caller }));
    expect(stored).toEqual([]);
  });

  it('does not record offline answers (tool output and old memories pasted together)', async () => {
    const { graph, stored } = knowledgeFake();
    const offline = Object.assign(new ScriptedModel([[{ type: 'text', text: 'Offline mode: ...' }]]), {
      kind: 'offline' as const,
    });
    const sut = new AgentRunner(config, offline, manager([]), graph, allowAll);
    await drain(sut.run(newAgent(), { message: 'q' }, { caller }));
    expect(stored).toEqual([]);
  });

  it('answers without memory when the knowledge graph fails, and sends images and the thread', async () => {
    const model = new ScriptedModel([[{ type: 'text', text: 'ok' }]]);
    const failing = {
      searchSimilarIssues: async () => Promise.reject(new Error('db down')),
      addConversation: async () => 'm',
    } as unknown as IKnowledgeGraph;
    const sut = new AgentRunner(config, model, manager([]), failing, allowAll);
    const events = await drain(
      sut.run(newAgent(), {
        message: 'what is this?',
        images: [{ mimeType: 'image/png', data: 'AAAA' }],
        thread: [{ user: 'U1', text: 'the batch is late' }],
      }),
    );
    expect(events[0]).toEqual({ type: 'context', memoriesUsed: 0 });
    expect(model.requests[0].messages[0].content).toContain('U1: the batch is late');
    expect(model.requests[0].messages[1]).toEqual({
      role: 'user',
      content: 'what is this?',
      images: [{ mimeType: 'image/png', data: 'AAAA' }],
    });
  });
});
