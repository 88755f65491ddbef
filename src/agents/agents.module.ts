import { Module } from '@nestjs/common';
import { AgentManager } from './agent-manager';
import { IAgentManager } from './agent-manager.port';
import { AgentRunner } from './agent-runner';
import { AgentsController } from './agents.controller';

/** `agents.json`, the run loop and `GET /api/agents`. Tools come from the global ToolRegistry. */
@Module({
  controllers: [AgentsController],
  providers: [AgentManager, { provide: IAgentManager, useExisting: AgentManager }, AgentRunner],
  exports: [IAgentManager, AgentRunner],
})
export class AgentsModule {}
