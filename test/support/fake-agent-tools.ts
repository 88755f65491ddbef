import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AgentTool } from '../../src/agents/tools/agent-tool';
import { ToolRegistry } from '../../src/agents/tools/tool-registry';

/** Stand-ins for the tools named by agents.json, registered only where the real one is absent. */
export const FAKE_TOOLS: AgentTool[] = [
  {
    name: 'tws_status_tool',
    description: 'Status of TWS workstations and jobs',
    parameters: { type: 'object', properties: {} },
    run: async () => 'Workstations: CPU1 LINKED, CPU2 LINKED. Jobs: 10 SUCC, 1 ABEND (PAYROLL01).',
  },
  {
    name: 'tws_troubleshooting_tool',
    description: 'Failed jobs and down workstations',
    parameters: { type: 'object', properties: {} },
    run: async () => 'Job PAYROLL01 on CPU1 is in ABEND (RC=12).',
  },
  {
    name: 'tws_job_log_tool',
    description: 'The log of one job',
    parameters: { type: 'object', properties: { job_name: { type: 'string' } }, required: ['job_name'] },
    run: async (args) => `Log of ${String(args.job_name)}: ORA-01017 invalid username/password`,
  },
  {
    name: 'search_memory',
    description: 'Search the memory',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    run: async () => 'No memories found.',
  },
];

/** Which tools were faked (the others are the real ones on this branch). */
export function registerMissingTools(app: NestExpressApplication): string[] {
  const registry = app.get(ToolRegistry);
  const faked = FAKE_TOOLS.filter((tool) => !registry.has(tool.name));
  for (const tool of faked) registry.register(tool);
  return faked.map((tool) => tool.name);
}
