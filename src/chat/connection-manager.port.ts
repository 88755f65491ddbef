import type { WebSocket } from 'ws';

/** `cluster` reaches the clients of every instance (through Redis when configured); `local` this instance's only. */
export type BroadcastScope = 'cluster' | 'local';

/** Open WebSocket connections (the seed's ConnectionManager). */
export interface IConnectionManager {
  connect(socket: WebSocket): void;
  disconnect(socket: WebSocket): void;
  broadcast(message: string, scope?: BroadcastScope): Promise<void>;
  broadcastJson(data: unknown, scope?: BroadcastScope): Promise<void>;
  /** Connections on this instance. */
  readonly size: number;
}

export const IConnectionManager = Symbol('IConnectionManager');
