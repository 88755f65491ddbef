import { DomainError, type FailureKind } from '../common/errors/domain-error';

export type TwsErrorCode =
  | 'TWS_UNREACHABLE'
  | 'TWS_TIMEOUT'
  | 'TWS_TLS'
  | 'TWS_UNAUTHORIZED'
  | 'TWS_FORBIDDEN'
  | 'TWS_NOT_FOUND'
  | 'TWS_REJECTED'
  | 'TWS_UPSTREAM'
  | 'TWS_BAD_RESPONSE'
  | 'TWS_CIRCUIT_OPEN'
  | 'TWS_AMBIGUOUS';

const KIND_BY_CODE: Record<TwsErrorCode, FailureKind> = {
  TWS_UNREACHABLE: 'unavailable',
  TWS_TIMEOUT: 'timeout',
  TWS_TLS: 'unavailable',
  TWS_UNAUTHORIZED: 'upstream',
  TWS_FORBIDDEN: 'upstream',
  TWS_NOT_FOUND: 'not_found',
  TWS_REJECTED: 'conflict',
  TWS_UPSTREAM: 'upstream',
  TWS_BAD_RESPONSE: 'upstream',
  TWS_CIRCUIT_OPEN: 'unavailable',
  TWS_AMBIGUOUS: 'conflict',
};

/** A failure talking to HCL Workload Automation, with a message an operator can act on. */
export class TwsError extends DomainError {
  constructor(
    override readonly code: TwsErrorCode,
    message: string,
    /** HWA's own HTTP status, when it answered. */
    readonly upstreamStatus?: number,
  ) {
    super(code, message, KIND_BY_CODE[code]);
  }

  /** Worth another attempt (for reads) and counted by the circuit breaker: HWA is down or overloaded. */
  get transient(): boolean {
    return (
      this.code === 'TWS_UNREACHABLE' ||
      this.code === 'TWS_TIMEOUT' ||
      (this.code === 'TWS_UPSTREAM' && (this.upstreamStatus ?? 500) >= 500)
    );
  }
}
