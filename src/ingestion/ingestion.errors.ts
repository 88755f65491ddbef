import { DomainError, type FailureKind } from '../common/errors/domain-error';

export type IngestionErrorCode =
  | 'UPLOAD_MISSING_FILE'
  | 'UPLOAD_TOO_LARGE'
  | 'UPLOAD_MALFORMED'
  | 'UPLOAD_UNSUPPORTED_TYPE'
  | 'UPLOAD_TYPE_MISMATCH'
  | 'UPLOAD_EMPTY'
  | 'FILE_NAME_INVALID'
  | 'FILE_NOT_FOUND'
  | 'JOB_NOT_FOUND'
  | 'DOCUMENT_UNREADABLE'
  | 'DOCUMENT_EMPTY'
  | 'DOCUMENT_TOO_LARGE'
  | 'DOCUMENT_REFUSED'
  | 'KNOWLEDGE_UNAVAILABLE';

const KIND_BY_CODE: Record<IngestionErrorCode, FailureKind> = {
  UPLOAD_MISSING_FILE: 'invalid',
  UPLOAD_TOO_LARGE: 'too_large',
  UPLOAD_MALFORMED: 'invalid',
  UPLOAD_UNSUPPORTED_TYPE: 'unsupported_media',
  UPLOAD_TYPE_MISMATCH: 'unsupported_media',
  UPLOAD_EMPTY: 'invalid',
  FILE_NAME_INVALID: 'invalid',
  FILE_NOT_FOUND: 'not_found',
  JOB_NOT_FOUND: 'not_found',
  DOCUMENT_UNREADABLE: 'invalid',
  DOCUMENT_EMPTY: 'invalid',
  DOCUMENT_TOO_LARGE: 'too_large',
  DOCUMENT_REFUSED: 'invalid',
  KNOWLEDGE_UNAVAILABLE: 'unavailable',
};

/** Upload, storage and parsing failures; the same errors serve HTTP and the background worker. */
export class IngestionError extends DomainError {
  constructor(
    override readonly code: IngestionErrorCode,
    message: string,
  ) {
    super(code, message, KIND_BY_CODE[code]);
  }
}
