import { Inject, Injectable } from '@nestjs/common';
import type { AgentConfig } from '../agents/agent-config';
import { IAgentManager } from '../agents/agent-manager.port';
import { AgentRunner } from '../agents/agent-runner';
import { AgentNotFoundError } from '../agents/agents.errors';
import type { Caller } from '../auth/caller';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import type { ChatRequestDto, ChatResponseDto } from './dto/chat.dto';

/** `POST /api/chat`: one whole answer for clients without a WebSocket. */
@Injectable()
export class ChatService {
  constructor(
    private readonly config: AppConfig,
    private readonly runner: AgentRunner,
    @Inject(IAgentManager) private readonly agents: IAgentManager,
  ) {}

  async answer(request: ChatRequestDto, caller: Caller, signal?: AbortSignal): Promise<ChatResponseDto> {
    const max = this.config.chat.maxMessageChars;
    if (request.message.length > max)
      throw new DomainError('MESSAGE_TOO_LONG', `message must be at most ${max} characters`, 'invalid');
    const agent = this.agentOrThrow(request.agent_id ?? this.config.agents.defaultAgentId);
    const final = await this.runner.complete(agent, { message: request.message.trim() }, { caller, signal });
    return { response: final.answer };
  }

  private agentOrThrow(agentId: string): AgentConfig {
    const agent = this.agents.getAgent(agentId);
    if (!agent) throw new AgentNotFoundError(agentId);
    return agent;
  }
}
