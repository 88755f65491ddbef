import { Logger } from '@nestjs/common';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Counter } from 'prom-client';
import type { LlmSettings } from '../config/sections/agents.section';
import { LlmError } from './llm.errors';
import type { ILlmProvider, LlmMessage, LlmRequest, LlmStreamEvent, LlmToolCall } from './llm-provider.port';

/**
 * The one adapter for OpenAI-compatible servers (Ollama `/v1`, vLLM, LiteLLM, OpenAI). Streams
 * completions, assembles tool calls from their deltas, counts tokens, and turns every transport
 * failure into an LlmError an operator can act on.
 */
export class OpenAiCompatibleProvider implements ILlmProvider {
  readonly kind = 'openai-compatible' as const;
  private readonly logger = new Logger(OpenAiCompatibleProvider.name);
  private readonly client: OpenAI;

  constructor(
    private readonly settings: LlmSettings & { baseUrl: string },
    private readonly tokensUsed: Counter<string>,
  ) {
    this.client = new OpenAI({
      baseURL: settings.baseUrl,
      apiKey: settings.apiKey,
      // Our own deadline below covers the whole stream; the SDK's only the wait for headers.
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
    });
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, this.settings.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const calls = new Map<number, LlmToolCall>();
    try {
      const chunks = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages.map(toOpenAiMessage),
          ...(request.tools?.length ? { tools: request.tools.map(toOpenAiTool) } : {}),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      for await (const chunk of chunks) {
        yield* this.readChunk(chunk, calls);
      }
      // The SDK ends an aborted stream quietly; a cut-short answer must not pass for a whole one.
      if (signal.aborted) throw new APIUserAbortError();
    } catch (error) {
      throw this.translate(error, request, timedOut);
    } finally {
      clearTimeout(timer);
    }
    if (calls.size > 0) yield { type: 'tool_calls', calls: [...calls.values()] };
  }

  private *readChunk(chunk: ChatCompletionChunk, calls: Map<number, LlmToolCall>): Generator<LlmStreamEvent> {
    const delta = chunk.choices?.[0]?.delta;
    if (delta?.content) yield { type: 'text', text: delta.content };
    for (const part of delta?.tool_calls ?? []) {
      const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
      calls.set(part.index, call);
    }
    if (chunk.usage) {
      const { prompt_tokens: promptTokens = 0, completion_tokens: completionTokens = 0 } = chunk.usage;
      this.tokensUsed.inc(chunk.usage.total_tokens ?? promptTokens + completionTokens);
      yield { type: 'usage', promptTokens, completionTokens };
    }
  }

  private translate(error: unknown, request: LlmRequest, timedOut: boolean): LlmError {
    const server = this.settings.baseUrl;
    if (timedOut || error instanceof APIConnectionTimeoutError) {
      return new LlmError(
        'LLM_TIMEOUT',
        `The language model at ${server} did not finish within ${this.settings.timeoutMs} ms`,
      );
    }
    if (error instanceof APIUserAbortError || request.signal?.aborted) {
      return new LlmError('LLM_CANCELLED', 'The request was cancelled before the model finished');
    }
    if (error instanceof APIConnectionError) {
      return new LlmError(
        'LLM_UNREACHABLE',
        `The language model server at ${server} cannot be reached (${error.cause instanceof Error ? error.cause.message : error.message})`,
      );
    }
    if (error instanceof APIError) {
      const detail = upstreamMessage(error);
      if (error.status === 404) {
        return new LlmError(
          'LLM_MODEL_NOT_FOUND',
          `Model "${request.model}" is not available on ${server}${detail ? `: ${detail}` : ''}`,
        );
      }
      if (error.status === 401 || error.status === 403) {
        return new LlmError(
          'LLM_REJECTED',
          `The language model server at ${server} refused the credentials (HTTP ${error.status}); check LLM_API_KEY`,
        );
      }
      return new LlmError(
        'LLM_FAILED',
        `The language model server at ${server} failed (HTTP ${error.status ?? '?'})${detail ? `: ${detail}` : ''}`,
      );
    }
    this.logger.warn({ err: error }, 'Unexpected failure while streaming from the language model');
    return new LlmError(
      'LLM_FAILED',
      `The language model stream failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function upstreamMessage(error: { error?: unknown }): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message.slice(0, 300) : '';
}

function toOpenAiTool(tool: {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}

function toOpenAiMessage(message: LlmMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user': {
      if (!message.images?.length) return { role: 'user', content: message.content };
      const parts: ChatCompletionContentPart[] = [
        { type: 'text', text: message.content },
        ...message.images.map((image): ChatCompletionContentPart => ({
          type: 'image_url',
          image_url: { url: `data:${image.mimeType};base64,${image.data}` },
        })),
      ];
      return { role: 'user', content: parts };
    }
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}
