export type Role = 'read' | 'write' | 'admin';

/** How the caller proved who it is. */
export type AuthMethod = 'internal-token' | 'api-key' | 'slack-signature' | 'open';

/**
 * Who is calling, resolved per request by the auth guard and attached to that request only.
 * Ids follow the Knowledge Agent contract: `slack-bridge`, the API key's mapped name,
 * `slack-direct`, `unauthenticated`.
 */
export interface Caller {
  id: string;
  via: AuthMethod;
  roles: readonly Role[];
  /** The end user, trusted only when the Slack bridge (internal token) vouches for it. */
  slackUserId?: string;
}
