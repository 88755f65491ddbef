import { redactCredentials, redactJson } from './credential-redactor';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0d3Mtb3BzIn0.dGhpcy1pcy1hLXNpZ25hdHVyZQ';

describe(redactCredentials.name, () => {
  it.each([
    ['password: x', 'password: [REDACTED]', 'x'],
    ['senha=x', 'senha=[REDACTED]', 'x'],
    ['export TWS_PASSWORD=hunter2-secret', 'export TWS_PASSWORD=[REDACTED]', 'hunter2-secret'],
    ['AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG"', 'AWS_SECRET_ACCESS_KEY="[REDACTED]"', 'wJalrXUtnFEMI'],
    ['DB_PASS=S3cr3t!; then connect', 'DB_PASS=[REDACTED]; then connect', 'S3cr3t!'],
    ['{"password": "p4ss w0rd"}', '{"password": "[REDACTED]"}', 'p4ss w0rd'],
    ['a senha é Tr0ub4dor', 'a senha é [REDACTED]', 'Tr0ub4dor'],
    ['the password is hunter2', 'the password is [REDACTED]', 'hunter2'],
    ['api_key => abc123def456', 'api_key => [REDACTED]', 'abc123def456'],
    ['GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'GITHUB_TOKEN=[REDACTED]', 'ghp_abc'],
    ['curl -H "Authorization: Bearer abcdef.123456-XYZ"', 'curl -H "Authorization: Bearer [REDACTED]"', 'abcdef'],
    ['Authorization: Basic dHdzdXNlcjpodW50ZXIy', 'Authorization: Basic [REDACTED]', 'dHdzdXNl'],
    [`token ${JWT} expires`, 'token [REDACTED] expires', JWT],
    ['key AKIAIOSFODNN7EXAMPLE in use', 'key [REDACTED] in use', 'AKIAIOSFODNN7EXAMPLE'],
    ['use sk-proj-abcdefghijklmnopqrstuvwx', 'use [REDACTED]', 'sk-proj'],
    [
      'https://twsuser:hunter2@master.example:31116/twsd',
      'https://twsuser:[REDACTED]@master.example:31116/twsd',
      'hunter2',
    ],
    [
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nend',
      'key:\n[REDACTED]\nend',
      'MIIEowIBAAKCAQEA',
    ],
    ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg (cut by chunking)', '[REDACTED]', 'MIIEvQIBADANBg'],
  ])('redacts %j', (input, expected, secret) => {
    const { text, found } = redactCredentials(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(found.length).toBeGreaterThan(0);
  });

  it.each([
    'Set TWS_PASSWORD=<your password> in the environment',
    'password: ${TWS_PASSWORD}',
    'The password is expired: reset it in the portal',
    'token: ***',
    'Rerun the job after the primary key: id check',
    'the tokens: 5 per second, burst: 20',
    'Authorization: Bearer [REDACTED]',
  ])('leaves %j alone', (input) => {
    expect(redactCredentials(input)).toEqual({ text: input, found: [] });
  });

  it('changes nothing the second time', () => {
    const once = redactCredentials(`TWS_PASSWORD=hunter2 and Bearer abcdefghijkl and ${JWT}`).text;
    expect(redactCredentials(once)).toEqual({ text: once, found: [] });
  });

  it('costs linear time on a hostile text', () => {
    const hostile = `${'a.'.repeat(200_000)}password${' '.repeat(5)}`;
    const started = performance.now();
    redactCredentials(hostile);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('redacts every string of a JSON value, keeping its keys', () => {
    expect(redactJson({ note: 'senha=abc123', list: ['Bearer abcdefghijkl'], n: 3 })).toEqual({
      note: 'senha=[REDACTED]',
      list: ['Bearer [REDACTED]'],
      n: 3,
    });
  });
});
