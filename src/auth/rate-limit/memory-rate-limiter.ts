import { LRUCache } from 'lru-cache';
import type { RateLimitSettings } from '../../config/sections/auth.section';
import type { IClock } from '../clock';
import type { IRateLimiter, RateLimitDecision } from '../rate-limiter.port';
import { type BucketState, takeToken } from './token-bucket';

/**
 * Buckets in this process, at most RATE_LIMIT_MAX_CLIENTS of them: the least recently seen client
 * is dropped first, and a dropped bucket comes back full, which is what an idle bucket is anyway.
 */
export class MemoryRateLimiter implements IRateLimiter {
  private readonly buckets: LRUCache<string, BucketState>;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly clock: IClock,
  ) {
    this.buckets = new LRUCache({ max: settings.maxClients });
  }

  get size(): number {
    return this.buckets.size;
  }

  consumeNow(key: string): RateLimitDecision {
    const { state, decision } = takeToken(this.buckets.get(key), this.clock.now(), this.settings);
    this.buckets.set(key, state);
    return decision;
  }

  consume(key: string): Promise<RateLimitDecision> {
    return Promise.resolve(this.consumeNow(key));
  }
}
