import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/auth.decorators';
import { AgentConfig } from './agent-config';
import { IAgentManager } from './agent-manager.port';

@ApiTags('agents')
@Controller('api/agents')
export class AgentsController {
  constructor(@Inject(IAgentManager) private readonly agents: IAgentManager) {}

  @Get()
  @RequireRoles('read')
  @ApiOperation({ summary: 'All agent configurations (agents.json, reloaded when edited)' })
  @ApiOkResponse({ type: [AgentConfig] })
  list(): AgentConfig[] {
    return this.agents.getAllAgents();
  }
}
