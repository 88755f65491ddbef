/**
 * The tools Resync offers over MCP, each the registered agent tool of the same capability (never a
 * copy): the MCP name is what outside agents see, the agent tool does the work.
 */
export interface McpToolBinding {
  /** The name in `tools/list`. */
  name: string;
  /** The agent tool in the ToolRegistry that runs it. */
  agentTool: string;
  title: string;
  /** Read-only tools say so, so that clients can call them without asking the user. */
  readOnly: boolean;
}

export const MCP_TOOLS: readonly McpToolBinding[] = [
  { name: 'tws_status', agentTool: 'tws_status_tool', title: 'TWS plan status', readOnly: true },
  { name: 'job_log', agentTool: 'tws_job_log_tool', title: 'Job log tail', readOnly: true },
  { name: 'diagnose_job', agentTool: 'tws_diagnose_job_tool', title: 'Diagnose a job', readOnly: true },
  { name: 'search_memory', agentTool: 'search_memory', title: 'Search the team memory', readOnly: true },
  { name: 'list_incidents', agentTool: 'list_incidents', title: 'Incidents the watch opened', readOnly: true },
  { name: 'execute_command', agentTool: 'tws_execute_command_tool', title: 'Run an operator command', readOnly: false },
];
