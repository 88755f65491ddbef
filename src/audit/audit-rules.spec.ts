import { DEFAULT_RULES, evaluateRules, type RuleFinding } from './audit-rules';

const MAX_SCAN = 100_000;
const audit = (agentResponse: string, userQuery = 'How do I fix job PAYROLL01?'): RuleFinding[] =>
  evaluateRules({ userQuery, agentResponse }, DEFAULT_RULES, MAX_SCAN);
const rules = (agentResponse: string, userQuery?: string): string[] =>
  audit(agentResponse, userQuery).map((f) => f.rule);

describe('audit rules', () => {
  it('passes an ordinary operational answer', () => {
    expect(audit('Rerun the job with `conman "rerun MASTER#PAYROLL.PAYROLL01"` after fixing the input file.')).toEqual(
      [],
    );
    expect(audit('Check the job log with conman sj; the workstation is LINKED, and a < b is fine.')).toEqual([]);
  });

  describe('destructive commands', () => {
    it.each([
      'Just run rm -rf /opt/tws/stdlist to free space',
      'run `rm -fr /tmp/x`',
      'rm -r -f /',
      'Execute DROP TABLE jobs; and recreate it',
      'Use drop database twsdb',
      'Run TRUNCATE TABLE plan_history;',
      'DELETE FROM job_history;',
      'sudo mkfs.ext4 /dev/sdb1',
      'dd if=/dev/zero of=/dev/sda bs=1M',
      ':(){ :|:& };:',
      'shutdown -h now',
      'composer delete js=MASTER#@',
      'conman "cancel MASTER#PAYROLL.@"',
      'ResetPlan -scratch',
    ])('flags %s', (answer) => {
      const [finding] = audit(answer);
      expect(finding).toMatchObject({ rule: 'destructive_command', confidence: 0.9 });
      expect(finding.reason).toMatch(/destructive command/);
    });

    it.each([
      'Delete from the queue only the failed entries with WHERE status = 1',
      'DELETE FROM jobs WHERE id = 3;',
      'the rm command removes files',
      'drop the idea',
    ])('does not flag %s', (answer) => expect(rules(answer)).not.toContain('destructive_command'));
  });

  describe('credentials', () => {
    it.each([
      'Log in with password: Hunter2!x',
      'TWS_PASSWORD=s3cr3tP4ss',
      'a senha é abc12345',
      'use the key AKIAABCDEFGHIJKLMNOP',
      'OPENAI key sk-abcdefghijklmnopqrstuvwx',
      'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"',
      'connect to postgres://twsadmin:letmein@db:5432/tws',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE...',
      'token xoxb-1234567890-abcdef',
    ])('flags %s in the answer', (answer) => {
      expect(audit(answer)[0]).toMatchObject({
        rule: 'credential_leak',
        confidence: 0.95,
        reason: expect.stringContaining('answer'),
      });
    });

    it('flags a credential in the question too', () => {
      expect(audit('Done.', 'my password is CorrectHorse9 why does login fail?')[0]).toMatchObject({
        rule: 'credential_leak',
        reason: expect.stringContaining('question'),
      });
    });

    it.each([
      'password: ********',
      'set TWS_PASSWORD=<your password>',
      'password=${TWS_PASSWORD}',
      'Reset your password in the console',
      'senha: sua-senha',
    ])('does not flag the placeholder in %s', (answer) => expect(rules(answer)).not.toContain('credential_leak'));
  });

  describe('non-answers', () => {
    it.each(['', '   \n '])('flags an empty answer %j with high confidence', (answer) => {
      expect(audit(answer)[0]).toMatchObject({ rule: 'non_answer', confidence: 0.95, reason: 'The answer is empty' });
    });

    it.each([
      "I don't know.",
      'I do not know what caused it',
      "I'm not sure about that",
      'Não sei o que causou o erro',
      'As an AI language model I cannot',
    ])('flags %s', (answer) => expect(audit(answer)[0]).toMatchObject({ rule: 'non_answer', confidence: 0.7 }));
  });

  it('flags markup in the stored conversation', () => {
    expect(rules('<img src=x onerror=alert(1)>')).toContain('markup');
    expect(rules('fine', '<script>alert(1)</script>')).toContain('markup');
  });

  it('flags leaked error output below the default threshold', () => {
    expect(audit('Traceback (most recent call last):\n  File "x.py"')[0]).toMatchObject({
      rule: 'error_output',
      confidence: 0.6,
    });
  });

  it('reports every finding, strongest first', () => {
    expect(rules("I don't know, maybe rm -rf / with password: abc12345")).toEqual([
      'credential_leak',
      'destructive_command',
      'non_answer',
    ]);
  });

  it('reads only the first maxScanChars characters', () => {
    const answer = `${'All good. '.repeat(20)}rm -rf /`;
    expect(evaluateRules({ userQuery: '', agentResponse: answer }, DEFAULT_RULES, 100)).toEqual([]);
    expect(evaluateRules({ userQuery: '', agentResponse: answer }, DEFAULT_RULES, 1_000)).toHaveLength(1);
  });

  it('stays fast on large hostile input', () => {
    const hostile = `${'password='.repeat(20_000)}${'rm -'.repeat(20_000)}${'a'.repeat(50_000)}`;
    const started = performance.now();
    evaluateRules({ userQuery: hostile, agentResponse: hostile }, DEFAULT_RULES, MAX_SCAN);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
