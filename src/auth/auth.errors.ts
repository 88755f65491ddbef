import { DomainError } from '../common/errors/domain-error';

/** The exact message of the Knowledge Agent contract for a request over its rate. */
export const RATE_LIMITED_MESSAGE = 'Rate limit exceeded. Please try again later.';

/** Which credential failed; `none` when none was presented where one is needed. */
export type CredentialKind = 'internal-token' | 'api-key' | 'slack-signature' | 'query-token' | 'bearer' | 'none';

/** Missing or wrong credentials (401). The message names the method, never the value offered. */
export class AuthenticationError extends DomainError {
  constructor(
    message = 'Authentication required',
    readonly credential: CredentialKind = 'none',
  ) {
    super('UNAUTHENTICATED', message, 'unauthenticated');
  }
}

/** Authenticated, but not allowed to do this (403). */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message, 'forbidden');
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', RATE_LIMITED_MESSAGE, 'rate_limited');
  }
}
