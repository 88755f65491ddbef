import { Logger } from '@nestjs/common';
import type { RateLimitSettings } from '../../config/sections/auth.section';
import type { RedisConnection } from '../../redis/redis-connection';
import type { IRateLimiter, RateLimitDecision } from '../rate-limiter.port';
import { decisionFor } from './token-bucket';
import type { MemoryRateLimiter } from './memory-rate-limiter';

/**
 * The token bucket of `token-bucket.ts`, run atomically inside Redis so every instance shares it.
 * Redis's own clock (TIME) is used, so instances with skewed clocks still agree. An idle bucket
 * expires once it would be full again. Returns {allowed, tokens × 1000} (Lua numbers become integers).
 */
const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, math.floor(tokens * 1000)}
`;

const COMMAND = 'resyncTakeToken';
const OUTAGE_LOG_INTERVAL_MS = 30_000;

type WithTakeToken = { [COMMAND](key: string, rate: number, burst: number): Promise<[number, number]> };

export class RedisRateLimiter implements IRateLimiter {
  private readonly logger = new Logger('RateLimit');
  private lastOutageLog = 0;

  /** `fallback` keeps a per-instance limit while Redis is unreachable, rather than none or a failed request. */
  constructor(
    private readonly redis: RedisConnection,
    private readonly settings: RateLimitSettings,
    private readonly fallback: MemoryRateLimiter,
  ) {
    redis.client!.defineCommand(COMMAND, { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
  }

  async consume(key: string): Promise<RateLimitDecision> {
    try {
      const client = this.redis.client as unknown as WithTakeToken;
      const [allowed, milliTokens] = await client[COMMAND](
        this.redis.key('ratelimit', key),
        this.settings.ratePerSecond,
        this.settings.burst,
      );
      return decisionFor(allowed === 1, milliTokens / 1000, this.settings);
    } catch (error) {
      if (Date.now() - this.lastOutageLog > OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = Date.now();
        this.logger.warn(`Redis unavailable for rate limiting, limiting per instance: ${(error as Error).message}`);
      }
      return this.fallback.consumeNow(key);
    }
  }
}
