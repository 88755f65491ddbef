import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AgentConfig } from './agent-config';
import { DataParsingError, InvalidConfigError, MissingConfigError } from './agents.errors';

export const DEFAULT_AGENTS_CONFIG_PATH = './agents.json';

/**
 * Reads and validates `agents.json` (`{"agents": [AgentConfig, ...]}`). `isKnownTool` rejects tool
 * names nothing offers. Throws MissingConfigError, DataParsingError or InvalidConfigError.
 */
export async function loadAgentsFromConfig(
  path: string = DEFAULT_AGENTS_CONFIG_PATH,
  isKnownTool: (name: string) => boolean = () => true,
): Promise<AgentConfig[]> {
  const fullPath = resolve(path);
  let text: string;
  try {
    text = await readFile(fullPath, 'utf8');
  } catch (error) {
    throw new MissingConfigError(
      fullPath,
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataParsingError(fullPath, (error as Error).message);
  }
  return parseAgents(fullPath, parsed, isKnownTool);
}

export function parseAgents(path: string, parsed: unknown, isKnownTool: (name: string) => boolean): AgentConfig[] {
  const list = (parsed as { agents?: unknown } | null)?.agents;
  if (!Array.isArray(list)) throw new InvalidConfigError(path, undefined, 'agents', 'must be an array of agents');
  const seen = new Set<string>();
  return list.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InvalidConfigError(path, undefined, `agents[${index}]`, 'must be an object');
    }
    const rawId = (raw as { id?: unknown }).id;
    const label = typeof rawId === 'string' && rawId ? rawId : `#${index}`;
    const agent = plainToInstance(AgentConfig, raw, { exposeDefaultValues: true, excludeExtraneousValues: false });
    const errors = validateSync(agent, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const first = errors[0];
      const reason = first.constraints ? Object.values(first.constraints).reverse()[0] : 'is invalid';
      throw new InvalidConfigError(path, label, first.property, reason);
    }
    if (seen.has(agent.id)) throw new InvalidConfigError(path, agent.id, 'id', 'is used by more than one agent');
    seen.add(agent.id);
    const unknown = agent.tools.find((tool) => !isKnownTool(tool));
    if (unknown !== undefined) throw new InvalidConfigError(path, agent.id, 'tools', `unknown tool "${unknown}"`);
    return agent;
  });
}
