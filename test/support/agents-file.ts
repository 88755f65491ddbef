import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SPECIALIST = {
  id: 'tws-specialist',
  name: 'TWS Specialist',
  role: 'TWS Environment Expert',
  goal: 'Help with TWS troubleshooting and monitoring',
  backstory: 'Expert in TWS operations and job scheduling',
  tools: ['tws_status_tool', 'tws_troubleshooting_tool'],
  model_name: 'llama3:latest',
  memory: true,
  verbose: false,
};

export const TROUBLESHOOTER = {
  ...SPECIALIST,
  id: 'tws-troubleshooter',
  name: 'TWS Troubleshooter',
  role: 'TWS Incident Analyst',
  tools: ['tws_troubleshooting_tool', 'tws_job_log_tool', 'tws_status_tool', 'search_memory'],
};

/** An agents.json in its own directory; `replace` swaps it atomically, as editors do. */
export async function agentsFile(
  agents: unknown[] = [SPECIALIST, TROUBLESHOOTER],
): Promise<{ path: string; replace(content: unknown): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'resync-agents-'));
  const path = join(dir, 'agents.json');
  await writeFile(path, JSON.stringify({ agents }));
  return {
    path,
    replace: async (content) => {
      const next = join(dir, 'agents.json.tmp');
      await writeFile(next, typeof content === 'string' ? content : JSON.stringify(content));
      await rename(next, path);
    },
  };
}
