/**
 * What kind of failure a domain error is, independent of transport: the HTTP filter maps it to a
 * status code, the WebSocket gateway to an `error` frame.
 */
export type FailureKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'upstream'
  | 'internal';

/** Base of every error domain code throws: a stable `code`, a message an operator can act on. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: FailureKind,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that fails validation: `details` lists each field and what is wrong with it. */
export class ValidationFailedError extends DomainError {
  constructor(message: string, details: FieldProblem[]) {
    super('VALIDATION_FAILED', message, 'invalid', details);
  }
}

export interface FieldProblem {
  field: string;
  problems: string[];
}
