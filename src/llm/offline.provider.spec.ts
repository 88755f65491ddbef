import type { LlmRequest, LlmStreamEvent, LlmToolSpec } from './llm-provider.port';
import { OfflineProvider } from './offline.provider';

const tool = (name: string, properties: Record<string, unknown> = {}, required: string[] = []): LlmToolSpec => ({
  name,
  description: name,
  parameters: { type: 'object', properties, required },
});
const TOOLS = [
  tool('tws_status_tool'),
  tool('tws_troubleshooting_tool'),
  tool('tws_job_log_tool', { job_name: { type: 'string' } }, ['job_name']),
  tool('search_memory', { query: { type: 'string' } }, ['query']),
];

async function events(request: LlmRequest): Promise<LlmStreamEvent[]> {
  const all: LlmStreamEvent[] = [];
  for await (const event of new OfflineProvider().stream(request)) all.push(event);
  return all;
}

const called = async (question: string, tools = TOOLS) => {
  const [first] = await events({ model: 'x', messages: [{ role: 'user', content: question }], tools });
  return first.type === 'tool_calls' ? first.calls.map((c) => [c.name, JSON.parse(c.arguments)]) : [];
};

describe(OfflineProvider.name, () => {
  it.each([
    ["What's the status of the TWS system?", [['tws_status_tool', {}]]],
    ['Qual o estado do ambiente?', [['tws_status_tool', {}]]],
    ['Quais jobs tiveram falhas hoje?', [['tws_troubleshooting_tool', {}]]],
    [
      'why did PAYROLL01 ABEND?',
      [
        ['tws_troubleshooting_tool', {}],
        ['tws_job_log_tool', { job_name: 'PAYROLL01' }],
      ],
    ],
    [
      'Por que o MASTER#PAYROLL.PAY_CALC falhou?',
      [
        ['tws_troubleshooting_tool', {}],
        ['tws_job_log_tool', { job_name: 'MASTER#PAYROLL.PAY_CALC' }],
      ],
    ],
    ['why did the NIGHTLY stream fail?', [['tws_troubleshooting_tool', {}]]],
    ['show me the log of PAYROLL01', [['tws_job_log_tool', { job_name: 'PAYROLL01' }]]],
    ['Mostre o log do job BACKUP_DB', [['tws_job_log_tool', { job_name: 'BACKUP_DB' }]]],
    ['log of MASTER#PAYROLL.PAY_CALC please', [['tws_job_log_tool', { job_name: 'MASTER#PAYROLL.PAY_CALC' }]]],
    [
      'why is the log of ABEND job NIGHTLY empty?',
      [
        ['tws_troubleshooting_tool', {}],
        ['tws_job_log_tool', { job_name: 'NIGHTLY' }],
      ],
    ],
    [
      'Isso já aconteceu antes? Procure na memória',
      [['search_memory', { query: 'Isso já aconteceu antes? Procure na memória' }]],
    ],
  ])('picks tools by intent: %s', async (question, expected) => {
    expect(await called(question)).toEqual(expected);
  });

  it('falls back to the status overview and memory when no intent is recognised', async () => {
    expect((await called('hello')).map(([name]) => name)).toEqual(['tws_status_tool', 'search_memory']);
  });

  it('skips a log request without a job name and tools the agent lacks', async () => {
    expect(
      await called('show the log', [tool('tws_job_log_tool', { job_name: { type: 'string' } }, ['job_name'])]),
    ).toEqual([]);
  });

  it('answers from tool results and memories, saying it is offline', async () => {
    const answer = (
      await events({
        model: 'x',
        relevantContext: 'Past incident: PAYROLL01 abended with RC=12, fixed by re-running after the DB restart.',
        messages: [
          { role: 'user', content: 'why did PAYROLL01 ABEND?' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: '1', name: 'tws_troubleshooting_tool', arguments: '{}' }],
          },
          {
            role: 'tool',
            toolCallId: '1',
            name: 'tws_troubleshooting_tool',
            content: 'Job PAYROLL01 on WS1 is in ABEND (RC=12)',
          },
        ],
        tools: TOOLS,
      })
    )
      .map((e) => (e.type === 'text' ? e.text : ''))
      .join('');
    expect(answer).toMatch(/^Offline mode/);
    expect(answer).toContain('[tws_troubleshooting_tool]\nJob PAYROLL01 on WS1 is in ABEND (RC=12)');
    expect(answer).toContain('fixed by re-running after the DB restart');
  });

  it('does not repeat that it is offline once it has answered in the conversation', async () => {
    const texts = await events({
      model: 'x',
      relevantContext: 'Past incident: PAYROLL01 abended with RC=12.',
      messages: [
        { role: 'user', content: 'status?' },
        { role: 'assistant', content: 'Offline mode: ...' },
        { role: 'user', content: 'and PAYROLL01?' },
      ],
    });
    const answer = texts.map((e) => (e.type === 'text' ? e.text : '')).join('');
    expect(answer).not.toContain('Offline mode');
    expect(answer).toContain('PAYROLL01 abended with RC=12');
  });

  it('answers in Portuguese to a Portuguese question', async () => {
    const [first] = await events({ model: 'x', messages: [{ role: 'user', content: 'Quais falhas hoje?' }] });
    expect(first).toEqual({ type: 'text', text: expect.stringMatching(/^Modo offline/) });
  });
});
