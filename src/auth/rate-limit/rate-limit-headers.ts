import type { RateLimitDecision } from '../rate-limiter.port';
import type { BucketPolicy } from './token-bucket';

const POLICY_NAME = '"per-client"';

/**
 * IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers): the policy as a quota of `burst`
 * requests per the time a bucket takes to refill, and what is left of it; plus Retry-After when refused.
 */
export function rateLimitHeaders(decision: RateLimitDecision, policy: BucketPolicy): Record<string, string> {
  const windowSeconds = Math.max(1, Math.ceil(policy.burst / policy.ratePerSecond));
  return {
    'RateLimit-Policy': `${POLICY_NAME};q=${policy.burst};w=${windowSeconds}`,
    RateLimit: `${POLICY_NAME};r=${decision.remaining};t=${decision.resetSeconds}`,
    ...(!decision.allowed && { 'Retry-After': String(decision.retryAfterSeconds) }),
  };
}
