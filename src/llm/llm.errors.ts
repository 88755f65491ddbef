import { DomainError, type FailureKind } from '../common/errors/domain-error';

export type LlmErrorCode =
  'LLM_UNREACHABLE' | 'LLM_TIMEOUT' | 'LLM_MODEL_NOT_FOUND' | 'LLM_CANCELLED' | 'LLM_REJECTED' | 'LLM_FAILED';

const KIND: Record<LlmErrorCode, FailureKind> = {
  LLM_UNREACHABLE: 'unavailable',
  LLM_TIMEOUT: 'timeout',
  LLM_MODEL_NOT_FOUND: 'upstream',
  LLM_CANCELLED: 'unavailable',
  LLM_REJECTED: 'upstream',
  LLM_FAILED: 'upstream',
};

export class LlmError extends DomainError {
  constructor(
    override readonly code: LlmErrorCode,
    message: string,
  ) {
    super(code, message, KIND[code]);
  }
}
