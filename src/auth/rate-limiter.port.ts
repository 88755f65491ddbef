/** The outcome of taking one token from a client's bucket. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Bucket size (the burst). */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: seconds until one token is back (at least 1). 0 when allowed. */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

/**
 * Token bucket per key (`ip:<address>` for HTTP; WebSocket messages may use their own keys):
 * RATE_LIMIT_RPS refill, RATE_LIMIT_BURST capacity. Shared through Redis when REDIS_URL is set.
 */
export interface IRateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
}

export const IRateLimiter = Symbol('IRateLimiter');
