import { Counter, Registry } from 'prom-client';
import { type FakeOpenAiServer, startFakeOpenAi } from '../../test/support/fake-openai-server';
import type { LlmSettings } from '../config/sections/agents.section';
import { LlmError } from './llm.errors';
import type { LlmRequest, LlmStreamEvent } from './llm-provider.port';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';

const settings = (baseUrl: string, overrides: Partial<LlmSettings> = {}): LlmSettings & { baseUrl: string } => ({
  baseUrl,
  apiKey: 'test-key',
  factModel: 'llama3:latest',
  timeoutMs: 5_000,
  maxRetries: 0,
  maxToolRounds: 3,
  toolTimeoutMs: 1_000,
  ...overrides,
});

async function collect(stream: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const events: LlmStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function failure(stream: AsyncIterable<LlmStreamEvent>): Promise<LlmError> {
  try {
    await collect(stream);
  } catch (error) {
    return error as LlmError;
  }
  throw new Error('expected the stream to fail');
}

const ask = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
  model: 'llama3:latest',
  messages: [{ role: 'user', content: 'status?' }],
  ...overrides,
});

describe(OpenAiCompatibleProvider.name, () => {
  let server: FakeOpenAiServer;
  let tokens: Counter<string>;
  let sut: OpenAiCompatibleProvider;

  beforeEach(async () => {
    server = await startFakeOpenAi();
    tokens = new Counter({ name: 'tokens_test_total', help: 'test', registers: [new Registry()] });
    sut = new OpenAiCompatibleProvider(settings(server.baseUrl), tokens);
  });

  afterEach(() => server.close());

  it('streams the text as it arrives and counts the tokens used', async () => {
    server.script({
      text: ['All ', 'workstations ', 'are LINKED.'],
      usage: { prompt_tokens: 30, completion_tokens: 12 },
    });
    const events = await collect(sut.stream(ask()));
    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text)).toEqual([
      'All ',
      'workstations ',
      'are LINKED.',
    ]);
    expect(events).toContainEqual({ type: 'usage', promptTokens: 30, completionTokens: 12 });
    expect((await tokens.get()).values[0].value).toBe(42);
    expect(server.requests[0]).toMatchObject({
      model: 'llama3:latest',
      stream: true,
      messages: [{ role: 'user', content: 'status?' }],
    });
  });

  it('offers tools and assembles the tool calls streamed in pieces', async () => {
    server.script({
      toolCalls: [
        { name: 'tws_job_log_tool', arguments: '{"job_name":"PAYROLL01"}' },
        { name: 'tws_status_tool', arguments: '{}' },
      ],
    });
    const events = await collect(
      sut.stream(
        ask({
          tools: [
            {
              name: 'tws_job_log_tool',
              description: 'job log',
              parameters: { type: 'object', properties: { job_name: { type: 'string' } } },
            },
          ],
        }),
      ),
    );
    expect(events).toContainEqual({
      type: 'tool_calls',
      calls: [
        { id: 'call_1_0', name: 'tws_job_log_tool', arguments: '{"job_name":"PAYROLL01"}' },
        { id: 'call_1_1', name: 'tws_status_tool', arguments: '{}' },
      ],
    });
    expect(server.requests[0].tools[0]).toEqual({
      type: 'function',
      function: {
        name: 'tws_job_log_tool',
        description: 'job log',
        parameters: { type: 'object', properties: { job_name: { type: 'string' } } },
      },
    });
  });

  it('sends tool results back in the function-calling protocol', async () => {
    await collect(
      sut.stream(
        ask({
          messages: [
            { role: 'user', content: 'status?' },
            { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'tws_status_tool', arguments: '{}' }] },
            { role: 'tool', toolCallId: 'c1', name: 'tws_status_tool', content: 'all linked' },
          ],
        }),
      ),
    );
    expect(server.requests[0].messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'tws_status_tool', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'all linked' },
    ]);
  });

  it('sends images as image_url content parts', async () => {
    await collect(
      sut.stream(
        ask({
          messages: [
            { role: 'user', content: 'what error?', images: [{ mimeType: 'image/png', data: 'iVBORw0KGgo=' }] },
          ],
        }),
      ),
    );
    expect(server.requests[0].messages[0].content).toEqual([
      { type: 'text', text: 'what error?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ]);
  });

  it('names the model when the server does not have it', async () => {
    const error = await failure(sut.stream(ask({ model: 'mistral:7b' })));
    expect(error).toBeInstanceOf(LlmError);
    expect(error.code).toBe('LLM_MODEL_NOT_FOUND');
    expect(error.message).toContain('Model "mistral:7b" is not available');
    expect(error.message).toContain('not found, try pulling it first');
  });

  it('says so when the server is down', async () => {
    await server.close();
    const error = await failure(sut.stream(ask()));
    expect(error.code).toBe('LLM_UNREACHABLE');
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain(server.baseUrl);
  });

  it('reports the server error with its message', async () => {
    server.script({ status: 500, error: 'CUDA out of memory' });
    const error = await failure(sut.stream(ask()));
    expect(error.code).toBe('LLM_FAILED');
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('CUDA out of memory');
  });

  it('refused credentials point at LLM_API_KEY', async () => {
    server.script({ status: 401, error: 'bad key' });
    expect((await failure(sut.stream(ask()))).message).toContain('LLM_API_KEY');
  });

  it('gives up on a stream that stalls past the timeout', async () => {
    sut = new OpenAiCompatibleProvider(settings(server.baseUrl, { timeoutMs: 300 }), tokens);
    server.script({ hang: true });
    const started = Date.now();
    const error = await failure(sut.stream(ask()));
    expect(error.code).toBe('LLM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops the upstream request when the caller cancels', async () => {
    server.script({ text: ['a', 'b', 'c', 'd', 'e', 'f'], chunkDelayMs: 100 });
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];
    const error = await (async () => {
      try {
        for await (const event of sut.stream(ask({ signal: controller.signal }))) {
          events.push(event);
          if (event.type === 'text') controller.abort();
        }
      } catch (caught) {
        return caught as LlmError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('LLM_CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.cancelled()).toBe(1);
  });
});
