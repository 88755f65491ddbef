import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DomainError } from '../common/errors/domain-error';
import { RedisConnection } from '../redis/redis-connection';

/** Signatures are accepted for five minutes either side of their timestamp; remember them a little longer. */
export const SLACK_REPLAY_TTL_SECONDS = 11 * 60;
const MAX_REMEMBERED_SIGNATURES = 100_000;

/**
 * Remembers Slack signatures already used, so a captured request cannot be replayed inside the
 * timestamp window: in Redis (SET NX EX, so no instance accepts one twice) when configured, in a
 * bounded in-process LRU otherwise.
 */
@Injectable()
export class SlackReplayGuard {
  private readonly seen = new LRUCache<string, true>({
    max: MAX_REMEMBERED_SIGNATURES,
    ttl: SLACK_REPLAY_TTL_SECONDS * 1000,
  });

  constructor(private readonly redis: RedisConnection) {}

  /** True the first time a signature is seen, false on every later attempt. */
  async firstUse(signature: string): Promise<boolean> {
    const id = createHash('sha256').update(signature).digest('hex');
    if (!this.redis.client) {
      if (this.seen.has(id)) return false;
      this.seen.set(id, true);
      return true;
    }
    try {
      const result = await this.redis.client.set(
        this.redis.key('slack-sig', id),
        '1',
        'EX',
        SLACK_REPLAY_TTL_SECONDS,
        'NX',
      );
      return result === 'OK';
    } catch {
      // Without the shared memory a replay could pass on another instance: refuse rather than guess.
      throw new DomainError(
        'REPLAY_CHECK_UNAVAILABLE',
        'Slack signature cannot be checked right now; retry later',
        'unavailable',
      );
    }
  }
}
