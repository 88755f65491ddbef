import type { AgentTool } from '../../agents/tools/agent-tool';
import type { TwsStatusService } from '../tws-status.service';

/**
 * The tool as agents see it: when the plan is simulated, its text ends with the simulated-plan
 * note, so every answer built on it (the offline agent pastes it, a model reads it) says so.
 */
export function withPlanSourceNote(tool: AgentTool, status: TwsStatusService): AgentTool {
  const note = status.sourceNote;
  if (!note) return tool;
  return {
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    run: async (args, context) => `${await tool.run(args, context)}\n${note}`,
  };
}
