import type { Caller } from '../../auth/caller';
import type { ReadScope } from '../../auth/read-scope';

/** JSON Schema of a tool's arguments, as the OpenAI function-calling protocol expects. */
export interface ToolParameters {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
}

export interface ToolContext {
  caller?: Caller;
  /** Whose memories the run may read besides the shared ones, as `readScope` decided it. */
  scope?: ReadScope;
  agentId: string;
  signal?: AbortSignal;
}

/**
 * A capability an agent can call (e.g. `tws_status_tool`, `search_memory`). Features register
 * their tools in the `ToolRegistry`; `agents.json` names them.
 */
export interface AgentTool {
  readonly name: string;
  readonly description: string;
  readonly parameters: ToolParameters;
  /** Returns text for the model (and the offline agent) to read. Throws DomainError on failure. */
  run(args: Record<string, unknown>, context: ToolContext): Promise<string>;
}
