import type { IncomingMessage } from 'node:http';
import type { Caller } from './caller';

/**
 * Authenticates a WebSocket upgrade with the same credentials as HTTP (headers, or a `token`
 * query parameter for browsers) and checks the `Origin` against `CORS_ORIGINS`.
 * Resolves the caller, or rejects with a DomainError (`unauthenticated` → close/401,
 * `forbidden` → 403, `rate_limited` → 429).
 */
export interface IWsAuthenticator {
  authenticateUpgrade(request: IncomingMessage): Promise<Caller>;
}

export const IWsAuthenticator = Symbol('IWsAuthenticator');
