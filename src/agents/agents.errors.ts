import { DomainError } from '../common/errors/domain-error';

/** Base of the `agents.json` problems (the seed's ConfigError). */
export class AgentsConfigError extends DomainError {}

/** The file does not exist or cannot be read. */
export class MissingConfigError extends AgentsConfigError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('AGENTS_CONFIG_MISSING', `Agent configuration ${path} cannot be read: ${reason}`, 'internal');
  }
}

/** The file is not JSON. */
export class DataParsingError extends AgentsConfigError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('AGENTS_CONFIG_NOT_JSON', `Agent configuration ${path} is not valid JSON: ${reason}`, 'internal');
  }
}

/** JSON, but not a valid set of agents: names the agent and the field. */
export class InvalidConfigError extends AgentsConfigError {
  constructor(
    readonly path: string,
    readonly agentId: string | undefined,
    readonly field: string,
    reason: string,
  ) {
    super(
      'AGENTS_CONFIG_INVALID',
      `Agent configuration ${path}: ${agentId ? `agent "${agentId}"` : 'file'}, field "${field}": ${reason}`,
      'internal',
    );
  }
}

export class AgentNotFoundError extends DomainError {
  constructor(readonly agentId: string) {
    super('AGENT_NOT_FOUND', `Agent "${agentId}" does not exist`, 'not_found');
  }
}

export class ToolNotAvailableError extends DomainError {
  constructor(agentId: string, toolName: string) {
    super('TOOL_NOT_AVAILABLE', `Agent "${agentId}" has no tool "${toolName}"`, 'not_found');
  }
}
