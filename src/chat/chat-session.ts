import type { Logger } from '@nestjs/common';
import { WebSocket } from 'ws';
import type { IAgentManager } from '../agents/agent-manager.port';
import type { AgentRunner, ConversationTurn } from '../agents/agent-runner';
import type { Caller } from '../auth/caller';
import { DomainError } from '../common/errors/domain-error';
import { containsMarkup } from '../common/validation/no-markup';
import type { ChatSettings } from '../config/sections/agents.section';
import {
  type ChatFrame,
  errorFrame,
  finalFrame,
  infoFrame,
  readClientMessage,
  streamFrame,
  userFrame,
} from './chat-frames';
import { TokenBucket } from './token-bucket';

const MINUTE_MS = 60_000;

export interface ChatSessionDeps {
  agents: IAgentManager;
  runner: AgentRunner;
  settings: ChatSettings;
  logger: Logger;
}

/**
 * One WebSocket conversation with one agent: messages are answered in order, each as the user's
 * echo, `stream` frames, then the final message (a `verbose` agent also shows each tool call as an
 * `info` frame). Problems become `error` frames; the socket stays. The last answered exchanges
 * (CHAT_HISTORY_TURNS) go with each question, so a follow-up ("and its log?") makes sense.
 * Closing the socket cancels the answer in progress.
 */
export class ChatSession {
  private readonly abort = new AbortController();
  private readonly bucket: TokenBucket;
  private queue: Promise<void> = Promise.resolve();
  private history: ConversationTurn[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly agentId: string,
    private readonly caller: Caller,
    private readonly deps: ChatSessionDeps,
  ) {
    this.bucket = new TokenBucket(deps.settings.wsMessagesPerMinute, MINUTE_MS);
  }

  receive(raw: string): void {
    if (!this.bucket.tryTake()) {
      this.send(
        errorFrame(
          `Rate limit exceeded: at most ${this.deps.settings.wsMessagesPerMinute} messages per minute. Please try again later.`,
        ),
      );
      return;
    }
    const parsed = readClientMessage(raw);
    if ('error' in parsed) return this.send(errorFrame(parsed.error));
    if (parsed.text.length > this.deps.settings.maxMessageChars) {
      return this.send(errorFrame(`The message is longer than ${this.deps.settings.maxMessageChars} characters`));
    }
    if (containsMarkup(parsed.text)) return this.send(errorFrame('The message must not contain HTML or script markup'));
    this.queue = this.queue.then(() => this.answer(parsed.text));
  }

  close(): void {
    this.abort.abort();
  }

  private async answer(text: string): Promise<void> {
    if (this.abort.signal.aborted) return;
    const agent = this.deps.agents.getAgent(this.agentId);
    if (!agent) return this.send(errorFrame(`Agent "${this.agentId}" is no longer available`));
    this.send(userFrame(text));
    try {
      const input = { message: text, history: this.history };
      for await (const event of this.deps.runner.run(agent, input, {
        caller: this.caller,
        signal: this.abort.signal,
      })) {
        if (event.type === 'text') this.send(streamFrame(event.text));
        else if (event.type === 'final') {
          this.send(finalFrame(event.answer));
          this.remember({ question: text, answer: event.answer });
        } else if (event.type === 'tool_call' && agent.verbose)
          this.send(infoFrame(`Running ${event.tool} ${JSON.stringify(event.args)}`));
      }
    } catch (error) {
      if (this.abort.signal.aborted) return;
      if (error instanceof DomainError) {
        this.send(errorFrame(error.message));
      } else {
        this.deps.logger.error({ err: error, agentId: this.agentId }, 'Chat answer failed');
        this.send(errorFrame('Internal error while answering; please try again'));
      }
    }
  }

  private remember(turn: ConversationTurn): void {
    const keep = this.deps.settings.historyTurns;
    this.history = keep > 0 ? [...this.history, turn].slice(-keep) : [];
  }

  private send(frame: ChatFrame): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}
