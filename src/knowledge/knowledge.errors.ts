import { DomainError, type FailureKind } from '../common/errors/domain-error';

export type KnowledgeErrorCode =
  | 'MEMORY_NOT_FOUND'
  | 'INVALID_RATING'
  | 'INVALID_INPUT'
  | 'INGEST_TOO_LARGE'
  | 'MEMORY_WRITE_FORBIDDEN'
  | 'EMBEDDING_FAILED'
  | 'EMBEDDING_DIMENSION_MISMATCH';

const KIND_BY_CODE: Record<KnowledgeErrorCode, FailureKind> = {
  MEMORY_NOT_FOUND: 'not_found',
  INVALID_RATING: 'invalid',
  INVALID_INPUT: 'invalid',
  INGEST_TOO_LARGE: 'too_large',
  MEMORY_WRITE_FORBIDDEN: 'forbidden',
  EMBEDDING_FAILED: 'upstream',
  EMBEDDING_DIMENSION_MISMATCH: 'internal',
};

export class KnowledgeError extends DomainError {
  constructor(code: KnowledgeErrorCode, message: string) {
    super(code, message, KIND_BY_CODE[code]);
  }
}
