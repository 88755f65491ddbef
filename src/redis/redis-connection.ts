import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

const logger = new Logger('Redis');

/**
 * The one adapter for Redis. `client` is undefined in embedded mode; features check
 * `enabled` and fall back to their in-process implementation. Keys are namespaced with `key()`.
 */
export class RedisConnection {
  private readonly subscribers: Redis[] = [];

  constructor(
    readonly client: Redis | undefined,
    private readonly prefix: string,
  ) {}

  get enabled(): boolean {
    return this.client !== undefined;
  }

  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  /** A dedicated connection for SUBSCRIBE (a subscribed connection cannot run other commands). */
  async subscriber(): Promise<Redis> {
    if (!this.client) throw new Error('Redis is not configured');
    // Subscriptions are replayed by ioredis after a reconnect, so they need the offline queue.
    const connection = this.client.duplicate({ enableOfflineQueue: true });
    connection.on('error', (error) => logger.warn(`Redis subscriber: ${error.message}`));
    this.subscribers.push(connection);
    await connection.connect();
    return connection;
  }

  async ping(timeoutMs: number): Promise<void> {
    if (!this.client) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.client.ping(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.subscribers, ...(this.client ? [this.client] : [])].map((c) => c.quit().catch(() => c.disconnect())),
    );
  }
}

/**
 * Connects at boot and fails fast on a bad URL; later outages do not crash the process:
 * commands fail at once (no offline queue), callers degrade, and readiness reports it.
 */
export async function openRedis(url: string | undefined, prefix: string): Promise<RedisConnection> {
  if (!url) return new RedisConnection(undefined, prefix);
  // Loaded only in cluster mode: embedded instances never hold the client library in memory.
  // A real import() of this CommonJS package exposes its exports as `default`.
  const { Redis: IORedis } = (await import('ioredis')).default;
  const client: Redis = new IORedis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  client.on('error', (error) => logger.warn(`Redis: ${error.message}`));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`Cannot connect to Redis at REDIS_URL: ${(error as Error).message}`);
  }
  logger.log('Redis connected');
  return new RedisConnection(client, prefix);
}
