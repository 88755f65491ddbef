import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RedisConnection } from '../redis/redis-connection';
import type { ICache } from './cache.port';
import { CacheMetrics } from './cache-metrics';
import { TieredCache } from './tiered-cache';

const INVALIDATION_CHANNEL = 'cache-invalidate';

/**
 * Creates one named cache per feature. With Redis, a delete on one instance is broadcast so every
 * instance drops the key from memory too (otherwise an L1 copy could outlive an action).
 */
@Injectable()
export class CacheFactory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CacheFactory.name);
  private readonly caches = new Map<string, TieredCache>();
  private readonly instanceId = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  private subscriber?: Redis;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    private readonly metrics: CacheMetrics,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.redis.enabled) return;
    this.subscriber = await this.redis.subscriber();
    this.subscriber.on('message', (_channel: string, message: string) => this.onInvalidation(message));
    await this.subscriber.subscribe(this.redis.key(INVALIDATION_CHANNEL));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  get(name: string): ICache {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = this.create(name);
      this.caches.set(name, cache);
    }
    return cache;
  }

  private create(name: string): TieredCache {
    const client = this.redis.client;
    return new TieredCache({
      name,
      maxEntries: this.config.cache.maxEntries,
      defaultTtlSeconds: this.config.cache.defaultTtlSeconds,
      observer: this.metrics,
      remote: client && {
        redis: client,
        key: (key) => this.redis.key('cache', name, key),
        publishInvalidation: async (key) => {
          await client.publish(
            this.redis.key(INVALIDATION_CHANNEL),
            JSON.stringify({ from: this.instanceId, name, key }),
          );
        },
      },
    });
  }

  private onInvalidation(message: string): void {
    try {
      const { from, name, key } = JSON.parse(message) as { from: string; name: string; key: string };
      if (from !== this.instanceId) this.caches.get(name)?.evictLocal(key);
    } catch {
      this.logger.warn('Ignored a malformed cache invalidation message');
    }
  }
}
