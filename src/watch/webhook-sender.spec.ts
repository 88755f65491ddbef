import type { IncidentEvent } from './incident';
import { signBody, slackBody, webhookBody } from './webhook-sender';

const event: IncidentEvent = {
  seq: 7,
  type: 'opened',
  incident: {
    id: '0b6c3f2e-1111-4a57-9d0b-3f7a3c2a1b00',
    kind: 'job_abend',
    object: 'MASTER#PAYROLL.PAY_CALC',
    status: 'open',
    opened_at: '2026-11-22T23:00:00.000Z',
    updated_at: '2026-11-22T23:00:00.000Z',
    summary: 'MASTER#PAYROLL.PAY_CALC ended in ABEND with return code 12 on WINFTA01.',
    impact: { blocked_jobs: ['MASTER#PAYROLL.PAY_BANK_FILE'], critical_jobs: [], truncated: false },
    log_tail: 'ORA-01017 ```',
    memories: [{ id: 'm1', content: 'Rotated the password', status: 'approved', rating: 5 }],
    next_step: 'Check the password',
    details: {},
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    resolution_note: null,
    resolution_memory_id: null,
  },
};

describe('webhook bodies', () => {
  it('signs the exact body with HMAC-SHA256 (hex, sha256= prefix)', () => {
    // Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(signBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('sends the generic event with its delivery id', () => {
    expect(JSON.parse(webhookBody(event, 'd-1'))).toMatchObject({
      event: 'opened',
      delivery_id: 'd-1',
      incident: { id: event.incident.id, kind: 'job_abend' },
    });
  });

  it('builds a Slack Block Kit message with a text fallback, and no way to break out of the log block', () => {
    const body = JSON.parse(slackBody(event)) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toBe(`Incident opened: ${event.incident.summary}`);
    expect(body.blocks[0]).toMatchObject({ type: 'header' });
    const texts = body.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(texts).toContain('*Blocks:* MASTER#PAYROLL.PAY_BANK_FILE');
    expect(texts).toContain("```ORA-01017 '''```");
  });
});
