import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { WebSocket } from 'ws';
import { RedisConnection } from '../redis/redis-connection';
import type { BroadcastScope, IConnectionManager } from './connection-manager.port';

interface Envelope {
  origin: string;
  message: string;
}

/**
 * This instance's sockets. A cluster broadcast is published on Redis and delivered by every
 * instance's subscriber (this one included), so clients see the same order everywhere; without
 * Redis, or when publishing fails, it is delivered locally.
 */
@Injectable()
export class ConnectionManager implements IConnectionManager, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectionManager.name);
  private readonly sockets = new Set<WebSocket>();
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(private readonly redis: RedisConnection) {
    this.channel = redis.key('ws', 'broadcast');
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis.enabled) return;
    this.subscriber = await this.redis.subscriber();
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.channel) return;
      try {
        this.deliver((JSON.parse(payload) as Envelope).message);
      } catch (error) {
        this.logger.warn(`Ignored a malformed broadcast: ${(error as Error).message}`);
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.unsubscribe(this.channel).catch(() => undefined);
  }

  get size(): number {
    return this.sockets.size;
  }

  connect(socket: WebSocket): void {
    this.sockets.add(socket);
  }

  disconnect(socket: WebSocket): void {
    this.sockets.delete(socket);
  }

  async broadcast(message: string, scope: BroadcastScope = 'cluster'): Promise<void> {
    if (scope === 'cluster' && this.redis.client) {
      try {
        const envelope: Envelope = { origin: this.instanceId, message };
        await this.redis.client.publish(this.channel, JSON.stringify(envelope));
        return;
      } catch (error) {
        this.logger.warn(`Redis publish failed; broadcasting to this instance only: ${(error as Error).message}`);
      }
    }
    this.deliver(message);
  }

  broadcastJson(data: unknown, scope: BroadcastScope = 'cluster'): Promise<void> {
    return this.broadcast(JSON.stringify(data), scope);
  }

  /** Every socket on this instance (for shutdown and heartbeat). */
  all(): ReadonlySet<WebSocket> {
    return this.sockets;
  }

  private deliver(message: string): void {
    for (const socket of this.sockets) if (socket.readyState === WebSocket.OPEN) socket.send(message);
  }
}
