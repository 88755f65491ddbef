import { DomainError } from '../common/errors/domain-error';

export class FlagNotFoundError extends DomainError {
  constructor(memoryId: string) {
    super('AUDIT_FLAG_NOT_FOUND', `No flagged memory with id ${memoryId}`, 'not_found');
  }
}

/** The flag was already decided the other way: a decision is final. */
export class ReviewConflictError extends DomainError {
  constructor(memoryId: string, current: string) {
    super(
      'AUDIT_REVIEW_CONFLICT',
      `Memory ${memoryId} was already ${current}; a review decision cannot be changed`,
      'conflict',
    );
  }
}

export class AuditQueryTooLongError extends DomainError {
  constructor(max: number) {
    super('AUDIT_QUERY_TOO_LONG', `query must be at most ${max} characters`, 'invalid', [
      { field: 'query', problems: [`query must be at most ${max} characters`] },
    ]);
  }
}
