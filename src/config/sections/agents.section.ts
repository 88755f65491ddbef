import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ToByteSize, ToInt } from '../env-transforms';

/** The language model, the agents and the chat surfaces (WebSocket, /api/chat, /api/query). */
export class AgentsEnv {
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL, e.g. http://localhost:11434/v1' })
  LLM_BASE_URL?: string;

  @IsOptional()
  @IsString()
  LLM_API_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  LLM_FACT_MODEL = 'llama3:latest';

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(600_000)
  LLM_TIMEOUT_MS = 60_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(5)
  LLM_MAX_RETRIES = 1;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(20)
  LLM_MAX_TOOL_ROUNDS = 4;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(600_000)
  TOOL_TIMEOUT_MS = 30_000;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DEFAULT_AGENT_ID = 'tws-specialist';

  @IsOptional()
  @IsString()
  @MinLength(1)
  AGENTS_CONFIG_PATH = './agents.json';

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(60_000)
  AGENTS_RELOAD_DEBOUNCE_MS = 250;

  @IsOptional()
  @ToByteSize()
  @IsInt({ message: 'must be a size such as 16kb or a number of bytes' })
  @Min(64)
  @Max(16 * 1024 * 1024)
  WS_MAX_MESSAGE_BYTES = 16 * 1024;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100_000)
  WS_MESSAGES_PER_MINUTE = 30;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  WS_HEARTBEAT_MS = 30_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100_000)
  CHAT_MAX_MESSAGE_CHARS = 8_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(50)
  CHAT_HISTORY_TURNS = 6;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(50)
  QUERY_MAX_IMAGES = 4;

  @IsOptional()
  @ToByteSize()
  @IsInt({ message: 'must be a size such as 4mb or a number of bytes' })
  @Min(1024)
  QUERY_MAX_IMAGE_BYTES = 4 * 1024 * 1024;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(1_000)
  QUERY_MAX_THREAD_MESSAGES = 50;
}

export interface LlmSettings {
  /** Set: an OpenAI-compatible server. Unset: the offline provider (tools and memory, no model). */
  baseUrl?: string;
  apiKey: string;
  /** The model that turns conversations and threads into facts. */
  factModel: string;
  timeoutMs: number;
  maxRetries: number;
  maxToolRounds: number;
  toolTimeoutMs: number;
}

export interface AgentsSettings {
  configPath: string;
  defaultAgentId: string;
  reloadDebounceMs: number;
}

export interface ChatSettings {
  wsMaxMessageBytes: number;
  wsMessagesPerMinute: number;
  wsHeartbeatMs: number;
  maxMessageChars: number;
  /** Earlier question-and-answer pairs of a WebSocket conversation given to the agent again. */
  historyTurns: number;
  queryMaxImages: number;
  queryMaxImageBytes: number;
  queryMaxThreadMessages: number;
}

export function buildLlmSettings(env: AgentsEnv): LlmSettings {
  return {
    baseUrl: env.LLM_BASE_URL?.replace(/\/+$/, ''),
    // Local servers (Ollama, vLLM) ignore the key, but the protocol wants one.
    apiKey: env.LLM_API_KEY ?? 'not-needed',
    factModel: env.LLM_FACT_MODEL,
    timeoutMs: env.LLM_TIMEOUT_MS,
    maxRetries: env.LLM_MAX_RETRIES,
    maxToolRounds: env.LLM_MAX_TOOL_ROUNDS,
    toolTimeoutMs: env.TOOL_TIMEOUT_MS,
  };
}

export function buildAgentsSettings(env: AgentsEnv): AgentsSettings {
  return {
    configPath: env.AGENTS_CONFIG_PATH,
    defaultAgentId: env.DEFAULT_AGENT_ID,
    reloadDebounceMs: env.AGENTS_RELOAD_DEBOUNCE_MS,
  };
}

export function buildChatSettings(env: AgentsEnv): ChatSettings {
  return {
    wsMaxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
    wsMessagesPerMinute: env.WS_MESSAGES_PER_MINUTE,
    wsHeartbeatMs: env.WS_HEARTBEAT_MS,
    maxMessageChars: env.CHAT_MAX_MESSAGE_CHARS,
    historyTurns: env.CHAT_HISTORY_TURNS,
    queryMaxImages: env.QUERY_MAX_IMAGES,
    queryMaxImageBytes: env.QUERY_MAX_IMAGE_BYTES,
    queryMaxThreadMessages: env.QUERY_MAX_THREAD_MESSAGES,
  };
}
