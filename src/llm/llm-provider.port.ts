/** An image handed to a multimodal model, already checked: `mimeType` comes from the bytes. */
export interface ImagePart {
  mimeType: string;
  /** Base64 without a data: prefix. */
  data: string;
}

export interface LlmToolCall {
  id: string;
  name: string;
  /** The model's JSON text, unparsed. */
  arguments: string;
}

export type LlmMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; images?: ImagePart[] }
  | { role: 'assistant'; content: string; toolCalls?: LlmToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface LlmToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  model: string;
  messages: LlmMessage[];
  /** Offered to the model; omitted on the last round so that it must answer. */
  tools?: LlmToolSpec[];
  /** Formatted memories already put in the system prompt; the offline provider answers from them. */
  relevantContext?: string;
  signal?: AbortSignal;
}

export type LlmStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_calls'; calls: LlmToolCall[] }
  | { type: 'usage'; promptTokens: number; completionTokens: number };

/** Chat completion with streaming and tool calls (an OpenAI-compatible server, or the offline agent). */
export interface ILlmProvider {
  /** `offline` when no model is behind it. */
  readonly kind: 'openai-compatible' | 'offline';
  /** Text as it is produced, then at most one `tool_calls` event, then usage when known. Throws LlmError. */
  stream(request: LlmRequest): AsyncIterable<LlmStreamEvent>;
}

export const ILlmProvider = Symbol('ILlmProvider');
