import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { IMemoryWritePolicy } from '../auth/memory-write-policy.port';
import { type ReadScope, readScope } from '../auth/read-scope';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { IKnowledgeGraph, type SearchOptions } from '../knowledge/knowledge-graph.port';
import { ILlmProvider, type ImagePart, type LlmMessage, type LlmToolCall } from '../llm/llm-provider.port';
import type { AgentConfig } from './agent-config';
import { IAgentManager } from './agent-manager.port';
import type { AgentTool } from './tools/agent-tool';

/** Memories counted and put in the prompt per question. */
const MEMORY_SEARCH_LIMIT = 5;
/** A tool's text is cut here before it reaches the model: logs can be long. */
const MAX_TOOL_RESULT_CHARS = 8_000;
/** An earlier answer given back as conversation history is cut here. */
const MAX_HISTORY_ANSWER_CHARS = 4_000;

/** One earlier exchange of the same conversation. */
export interface ConversationTurn {
  question: string;
  answer: string;
}

export interface AgentInput {
  message: string;
  images?: ImagePart[];
  /** Earlier messages of the thread the question comes from, oldest first. */
  thread?: { user: string; text: string }[];
  /** Who asks, as the client names them (e.g. `John Doe (john)`); context for the model only. */
  askedBy?: string;
  /** Earlier exchanges of this conversation, oldest first, so that a follow-up question makes sense. */
  history?: readonly ConversationTurn[];
}

export interface RunContext {
  caller?: Caller;
  signal?: AbortSignal;
  /** The channel and Slack user as the request names them; `readScope` decides what the caller may read. */
  channelId?: string;
  threadTs?: string;
  slackUserId?: string;
  /** Where the request names them: a Slack signature vouches only for its signed body. */
  claimedIn?: 'body' | 'query';
}

export interface ToolCallRecord {
  tool: string;
  args: Record<string, unknown>;
}

export type AgentEvent =
  | { type: 'context'; memoriesUsed: number }
  | { type: 'tool_call'; tool: string; args: Record<string, unknown> }
  | { type: 'text'; text: string }
  | { type: 'final'; answer: string; toolCalls: ToolCallRecord[]; memoriesUsed: number };

/**
 * One agent turn: relevant memories → the model with the agent's tools (several rounds, bounded)
 * → the answer, streamed → the conversation recorded (when the caller may write memories) through
 * the knowledge graph's write gate, which audits it. Consume the generator to the end: recording
 * happens after `final`. What the run may read is `readScope`'s decision, made once per run.
 */
@Injectable()
export class AgentRunner {
  private readonly logger = new Logger(AgentRunner.name);

  constructor(
    private readonly config: AppConfig,
    @Inject(ILlmProvider) private readonly llm: ILlmProvider,
    @Inject(IAgentManager) private readonly agents: IAgentManager,
    @Inject(IKnowledgeGraph) private readonly knowledge: IKnowledgeGraph,
    @Inject(IMemoryWritePolicy) private readonly writePolicy: IMemoryWritePolicy,
  ) {}

  async *run(agent: AgentConfig, input: AgentInput, context: RunContext = {}): AsyncGenerator<AgentEvent> {
    const scope = readScope(context.caller, {
      slackUserId: context.slackUserId,
      channelId: context.channelId,
      from: context.claimedIn,
    });
    const { text: relevantContext, count: memoriesUsed } = await this.recall(agent, input.message, scope);
    yield { type: 'context', memoriesUsed };

    const tools = this.agents.toolsOf(agent);
    const messages: LlmMessage[] = [
      { role: 'system', content: systemPrompt(agent, relevantContext, input, this.config.tws.source === 'simulator') },
      ...(input.history ?? []).flatMap((turn): LlmMessage[] => [
        { role: 'user', content: turn.question },
        { role: 'assistant', content: turn.answer.slice(0, MAX_HISTORY_ANSWER_CHARS) },
      ]),
      { role: 'user', content: input.message, ...(input.images?.length ? { images: input.images } : {}) },
    ];
    const toolCalls: ToolCallRecord[] = [];
    let answer = '';

    for (let round = 0; ; round++) {
      const offerTools = tools.length > 0 && round < this.config.llm.maxToolRounds;
      let requested: LlmToolCall[] = [];
      let roundText = '';
      for await (const event of this.llm.stream({
        model: agent.model_name,
        messages,
        tools: offerTools
          ? tools.map(({ name, description, parameters }) => ({ name, description, parameters: { ...parameters } }))
          : undefined,
        relevantContext,
        signal: context.signal,
      })) {
        if (event.type === 'text') {
          roundText += event.text;
          yield { type: 'text', text: event.text };
        } else if (event.type === 'tool_calls') {
          requested = event.calls;
        }
      }
      answer += roundText;
      if (!offerTools || requested.length === 0) break;

      messages.push({ role: 'assistant', content: roundText, toolCalls: requested });
      for (const call of requested) {
        const args = parseArguments(call.arguments);
        toolCalls.push({ tool: call.name, args: args ?? {} });
        yield { type: 'tool_call', tool: call.name, args: args ?? {} };
        const result = args
          ? await this.runTool(agent, tools, call.name, args, context, scope)
          : `Invalid arguments for ${call.name}: not a JSON object`;
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: result.slice(0, MAX_TOOL_RESULT_CHARS),
        });
      }
    }

    answer = answer.trim();
    yield { type: 'final', answer, toolCalls, memoriesUsed };
    await this.remember(agent, input.message, answer, toolCalls, context, scope);
  }

  /** Runs to the end and returns the final event (for callers that do not stream). */
  async complete(
    agent: AgentConfig,
    input: AgentInput,
    context: RunContext = {},
  ): Promise<Extract<AgentEvent, { type: 'final' }>> {
    let final: Extract<AgentEvent, { type: 'final' }> | undefined;
    for await (const event of this.run(agent, input, context)) if (event.type === 'final') final = event;
    if (!final) throw new Error('The agent run ended without an answer');
    return final;
  }

  private async recall(
    agent: AgentConfig,
    question: string,
    scope: ReadScope,
  ): Promise<{ text: string; count: number }> {
    if (!agent.memory) return { text: '', count: 0 };
    const options: SearchOptions = { limit: MEMORY_SEARCH_LIMIT, ...scope };
    try {
      // Counting needs the matches; the prompt text is the graph's own formatting of the same
      // search. An empty memory (the common case at first) costs one search, not two.
      const matches = await this.knowledge.searchSimilarIssues(question, MEMORY_SEARCH_LIMIT, options);
      if (matches.length === 0) return { text: '', count: 0 };
      const text = await this.knowledge.getRelevantContext(question, options);
      return { text, count: text.trim() ? matches.length : 0 };
    } catch (error) {
      this.logger.warn(`Memory search failed; answering without memories: ${(error as Error).message}`);
      return { text: '', count: 0 };
    }
  }

  private async runTool(
    agent: AgentConfig,
    tools: AgentTool[],
    name: string,
    args: Record<string, unknown>,
    context: RunContext,
    scope: ReadScope,
  ): Promise<string> {
    const tool = tools.find((candidate) => candidate.name === name);
    if (!tool) return `Unknown tool "${name}". Available tools: ${tools.map((t) => t.name).join(', ')}`;
    const deadline = AbortSignal.timeout(this.config.llm.toolTimeoutMs);
    const signal = context.signal ? AbortSignal.any([context.signal, deadline]) : deadline;
    try {
      return await Promise.race([
        tool.run(args, { agentId: agent.id, caller: context.caller, scope, signal }),
        new Promise<never>((_, reject) => {
          signal.addEventListener(
            'abort',
            () => reject(new Error(`did not finish within ${this.config.llm.toolTimeoutMs} ms`)),
            { once: true },
          );
        }),
      ]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof DomainError)) this.logger.warn(`Tool ${name} failed: ${message}`);
      return `Tool ${name} failed: ${message}`;
    }
  }

  private async remember(
    agent: AgentConfig,
    question: string,
    answer: string,
    toolCalls: ToolCallRecord[],
    context: RunContext,
    scope: ReadScope,
  ): Promise<void> {
    if (!agent.memory || !answer) return;
    // Offline answers are tool output and recalled memories pasted together: stored, they would
    // come back as stale "solutions" and nest inside every later answer. Only a model's answers teach.
    if (this.llm.kind === 'offline') return;
    if (context.caller && !this.writePolicy.canSaveMemories(context.caller)) return;
    try {
      // Stored where the caller may read: a channel or user no one vouched for is not its own.
      await this.knowledge.addConversation(question, answer, agent.id, {
        channelId: scope.channelId,
        threadTs: context.threadTs,
        callerId: context.caller?.id,
        slackUserId: scope.slackUserId,
        toolCalls: toolCalls.map((call) => call.tool),
      });
    } catch (error) {
      this.logger.warn(`Could not record the conversation with ${agent.id}: ${(error as Error).message}`);
    }
  }
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function systemPrompt(
  agent: AgentConfig,
  relevantContext: string,
  { thread, askedBy }: AgentInput,
  simulatedPlan: boolean,
): string {
  const lines = [
    `You are ${agent.name}, ${agent.role}.`,
    `Goal: ${agent.goal}`,
    `Background: ${agent.backstory}`,
    'You help operators of HCL Workload Automation (TWS). Use your tools for live data and never invent job names, statuses or return codes.',
    'Be concise and answer in the language of the question.',
  ];
  if (simulatedPlan)
    lines.push(
      "The TWS plan your tools read is invented by Resync's built-in simulator (no HWA master is configured): whenever your answer uses it, say that the plan is simulated.",
    );
  if (relevantContext.trim())
    lines.push('', 'Relevant past incidents and solutions from memory:', relevantContext.trim());
  if (thread?.length) lines.push('', 'The conversation thread so far:', ...thread.map((m) => `${m.user}: ${m.text}`));
  if (askedBy) lines.push('', `The question comes from ${askedBy}.`);
  return lines.join('\n');
}
