import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { AgentConfig } from './agent-config';
import type { AgentWithTool, IAgentManager } from './agent-manager.port';
import { AgentNotFoundError, ToolNotAvailableError } from './agents.errors';
import { loadAgentsFromConfig } from './agents-config.loader';
import type { AgentTool } from './tools/agent-tool';
import { ToolRegistry } from './tools/tool-registry';

/**
 * Loads `agents.json` once every feature has registered its tools (application bootstrap), so an
 * unknown tool name stops the boot. Afterwards it watches the file: a valid edit replaces the set
 * and notifies listeners; an invalid one is logged and the previous set stays.
 */
@Injectable()
export class AgentManager implements IAgentManager, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AgentManager.name);
  private agents = new Map<string, AgentConfig>();
  private readonly listeners = new Set<(agents: AgentConfig[]) => void>();
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private readonly path: string;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: ToolRegistry,
  ) {
    this.path = resolve(config.agents.configPath);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
    this.logger.log(`Loaded ${this.agents.size} agent(s) from ${this.path}: ${[...this.agents.keys()].join(', ')}`);
    this.watch();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  /** Loads the file and replaces the set; throws the loader's typed errors and keeps the old set then. */
  async load(path: string = this.path): Promise<AgentConfig[]> {
    const loaded = await loadAgentsFromConfig(path, (name) => this.registry.has(name));
    this.agents = new Map(loaded.map((agent) => [agent.id, agent]));
    return loaded;
  }

  getAgent(agentId: string): AgentConfig | undefined {
    return this.agents.get(agentId);
  }

  getAllAgents(): AgentConfig[] {
    return [...this.agents.values()];
  }

  getAgentWithTool(agentId: string, toolName: string): AgentWithTool {
    const agent = this.agents.get(agentId);
    if (!agent) throw new AgentNotFoundError(agentId);
    const tool = agent.tools.includes(toolName) ? this.registry.get(toolName) : undefined;
    if (!tool) throw new ToolNotAvailableError(agentId, toolName);
    return { agent, tool };
  }

  toolsOf(agent: AgentConfig): AgentTool[] {
    return agent.tools.map((name) => this.registry.get(name)).filter((tool): tool is AgentTool => tool !== undefined);
  }

  onReload(listener: (agents: AgentConfig[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Watches the directory, not the file: editors replace files by renaming, which ends a file watch. */
  private watch(): void {
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), (_event, changed) => {
        if (changed && changed.toString() !== name) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.reload(), this.config.agents.reloadDebounceMs);
      });
      this.watcher.on('error', (error) => this.logger.warn(`Stopped watching ${this.path}: ${error.message}`));
    } catch (error) {
      this.logger.warn(`Cannot watch ${this.path} for changes: ${(error as Error).message}`);
    }
  }

  private async reload(): Promise<void> {
    try {
      const agents = await this.load();
      this.logger.log(`Reloaded ${agents.length} agent(s) from ${this.path}`);
      for (const listener of this.listeners) listener(agents);
    } catch (error) {
      this.logger.error(
        `Refused the edited ${this.path}; keeping the ${this.agents.size} agent(s) already loaded. ${(error as Error).message}`,
      );
    }
  }
}
