import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { ICache } from './cache.port';
import type { CacheObserver } from './cache-metrics';

export interface RemoteStore {
  redis: Redis;
  /** Namespaced Redis key for a cache key. */
  key(cacheKey: string): string;
  /** Tells the other instances to drop a key from their memory (L1). */
  publishInvalidation(cacheKey: string): Promise<void>;
}

export interface TieredCacheOptions {
  name: string;
  maxEntries: number;
  defaultTtlSeconds: number;
  observer: CacheObserver;
  remote?: RemoteStore;
  now?: () => number;
}

interface Entry {
  value: unknown;
}

/** L1 memory (bounded LRU with per-entry TTL) in front of optional L2 Redis, with single-flight loads. */
export class TieredCache implements ICache {
  readonly name: string;
  private readonly l1: LRUCache<string, Entry>;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly logger: Logger;

  constructor(private readonly options: TieredCacheOptions) {
    this.name = options.name;
    this.logger = new Logger(`Cache:${options.name}`);
    this.l1 = new LRUCache<string, Entry>({
      max: options.maxEntries,
      ttl: options.defaultTtlSeconds * 1000,
      ttlAutopurge: false,
      ...(options.now && { perf: { now: options.now }, ttlResolution: 0 }),
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.fromMemory(key);
    if (entry) return entry.value as T;
    const remote = await this.fromRemote(key);
    if (remote) return remote.value as T;
    this.options.observer.miss(this.name);
    return undefined;
  }

  async set<T>(key: string, value: T, ttlSeconds = this.options.defaultTtlSeconds): Promise<void> {
    this.l1.set(key, { value }, { ttl: ttlSeconds * 1000 });
    const remote = this.options.remote;
    if (!remote) return;
    try {
      await remote.redis.set(remote.key(key), JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
    } catch (error) {
      this.remoteFailed('set', error);
    }
  }

  async delete(key: string): Promise<boolean> {
    const inMemory = this.l1.delete(key);
    const remote = this.options.remote;
    if (!remote) return inMemory;
    try {
      const removed = await remote.redis.del(remote.key(key));
      await remote.publishInvalidation(key);
      return inMemory || removed > 0;
    } catch (error) {
      this.remoteFailed('delete', error);
      return inMemory;
    }
  }

  getOrLoad<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    // Everything up to registering the flight is synchronous, so concurrent callers share it.
    const pending = this.inflight.get(key);
    if (pending) return pending as Promise<T>;
    const entry = this.fromMemory(key);
    if (entry) return Promise.resolve(entry.value as T);

    const flight = this.loadThrough(key, ttlSeconds, loader).finally(() => this.inflight.delete(key));
    this.inflight.set(key, flight);
    return flight;
  }

  /** Drops an entry from memory only: used when another instance invalidated it. */
  evictLocal(key: string): void {
    this.l1.delete(key);
  }

  private async loadThrough<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    const remote = await this.fromRemote(key);
    if (remote) return remote.value as T;
    this.options.observer.miss(this.name);
    let value: T;
    try {
      value = await loader();
    } catch (error) {
      this.options.observer.load(this.name, 'error');
      throw error;
    }
    this.options.observer.load(this.name, 'ok');
    await this.set(key, value, ttlSeconds);
    return value;
  }

  private fromMemory(key: string): Entry | undefined {
    const entry = this.l1.get(key);
    if (entry) this.options.observer.hit(this.name, 'l1');
    return entry;
  }

  /** L2 lookup; a hit fills L1 for what remains of the entry's TTL. */
  private async fromRemote(key: string): Promise<Entry | undefined> {
    const remote = this.options.remote;
    if (!remote) return undefined;
    try {
      const [[, raw], [, ttlMs]] = (await remote.redis.multi().get(remote.key(key)).pttl(remote.key(key)).exec()) as [
        [unknown, string | null],
        [unknown, number],
      ];
      if (raw === null) return undefined;
      const entry: Entry = { value: JSON.parse(raw) };
      if (ttlMs > 0) this.l1.set(key, entry, { ttl: ttlMs });
      this.options.observer.hit(this.name, 'l2');
      return entry;
    } catch (error) {
      this.remoteFailed('get', error);
      return undefined;
    }
  }

  private remoteFailed(operation: string, error: unknown): void {
    this.options.observer.l2Error(this.name);
    this.logger.warn(`Redis ${operation} failed, using memory only: ${(error as Error).message}`);
  }
}
