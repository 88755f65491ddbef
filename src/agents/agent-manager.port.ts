import type { AgentTool } from './tools/agent-tool';
import type { AgentConfig } from './agent-config';

export interface AgentWithTool {
  agent: AgentConfig;
  tool: AgentTool;
}

/** The loaded agents (the seed's AgentManager). The set can change while running (hot reload). */
export interface IAgentManager {
  getAgent(agentId: string): AgentConfig | undefined;
  getAllAgents(): AgentConfig[];
  /** Throws AgentNotFoundError or ToolNotAvailableError (the seed's ValueError). */
  getAgentWithTool(agentId: string, toolName: string): AgentWithTool;
  /** The agent's tools, as registered. */
  toolsOf(agent: AgentConfig): AgentTool[];
  /** Called after each successful reload of `agents.json`; returns an unsubscribe function. */
  onReload(listener: (agents: AgentConfig[]) => void): () => void;
}

export const IAgentManager = Symbol('IAgentManager');
