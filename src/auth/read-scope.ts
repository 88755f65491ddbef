import type { Caller } from './caller';

/** The Slack user and channel a request names for a read, and where it names them. */
export interface ScopeClaim {
  slackUserId?: string;
  channelId?: string;
  /** `body`: inside the bytes a Slack signature covers; `query`: the URL, which no signature covers. */
  from?: 'body' | 'query';
}

/** Whose memories a read may see besides the shared ones (KNOWLEDGE_SCOPE=user / channel). */
export interface ReadScope {
  slackUserId?: string;
  channelId?: string;
}

const SLACK_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const valid = (id: string | undefined): string | undefined => (id && SLACK_ID.test(id) ? id : undefined);

/**
 * The one rule for every reader (knowledge search, `/api/query`, chat, agent tools): only a
 * caller the Slack bridge vouches for may speak for a Slack user or channel.
 *
 * - the internal token (the bridge): the user of `X-Slack-User-Id`, else the one the request
 *   names; the channel the request names;
 * - a Slack signature: the user and channel named in the signed body (never in the URL);
 * - an API key, open mode, no caller: nobody's — only shared memories, whatever the request names.
 */
export function readScope(caller: Caller | undefined, claim: ScopeClaim = {}): ReadScope {
  if (caller?.via === 'internal-token') {
    const slackUserId = caller.slackUserId ?? valid(claim.slackUserId);
    const channelId = valid(claim.channelId);
    return { ...(slackUserId && { slackUserId }), ...(channelId && { channelId }) };
  }
  if (caller?.via === 'slack-signature' && claim.from === 'body') {
    const slackUserId = valid(claim.slackUserId);
    const channelId = valid(claim.channelId);
    return { ...(slackUserId && { slackUserId }), ...(channelId && { channelId }) };
  }
  return {};
}
