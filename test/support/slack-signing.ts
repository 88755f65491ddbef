import { createHmac } from 'node:crypto';

/** Signs a body the way Slack does: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'X-Slack-Signature': signature, 'X-Slack-Request-Timestamp': String(timestamp) };
}
