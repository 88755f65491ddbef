import type { RateLimitDecision } from '../rate-limiter.port';

export interface BucketPolicy {
  ratePerSecond: number;
  burst: number;
}

export interface BucketState {
  tokens: number;
  /** Clock reading (ms) when `tokens` was last computed. */
  updatedAt: number;
}

/**
 * Refills the bucket for the time elapsed since it was last touched, then takes one token when
 * there is one. The same arithmetic runs inside Redis (`redis-rate-limiter.ts`).
 */
export function takeToken(
  state: BucketState | undefined,
  now: number,
  policy: BucketPolicy,
): { state: BucketState; decision: RateLimitDecision } {
  const { ratePerSecond, burst } = policy;
  const elapsedMs = state ? Math.max(0, now - state.updatedAt) : 0;
  const available = state ? Math.min(burst, state.tokens + (elapsedMs * ratePerSecond) / 1000) : burst;
  const allowed = available >= 1;
  const tokens = allowed ? available - 1 : available;
  return { state: { tokens, updatedAt: now }, decision: decisionFor(allowed, tokens, policy) };
}

export function decisionFor(
  allowed: boolean,
  tokens: number,
  { ratePerSecond, burst }: BucketPolicy,
): RateLimitDecision {
  return {
    allowed,
    limit: burst,
    remaining: Math.floor(tokens),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / ratePerSecond)),
    resetSeconds: Math.ceil((burst - tokens) / ratePerSecond),
  };
}
