import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { IAgentManager } from '../agents/agent-manager.port';
import { AgentRunner } from '../agents/agent-runner';
import { RATE_LIMITED_MESSAGE } from '../auth/auth.errors';
import type { Caller } from '../auth/caller';
import { IRateLimiter } from '../auth/rate-limiter.port';
import { IWsAuthenticator } from '../auth/ws-authenticator.port';
import { clientIpOf } from '../common/http/client-ip';
import { DomainError } from '../common/errors/domain-error';
import { STATUS_BY_KIND } from '../common/errors/error-status';
import { AppConfig } from '../config/app-config';
import { WS_CONNECTIONS, WS_MESSAGES_TOTAL } from '../metrics/metric-names';
import { CLOSE_GOING_AWAY, CLOSE_POLICY_VIOLATION, errorFrame, infoFrame, welcomeFrame } from './chat-frames';
import { ChatSession } from './chat-session';
import { ConnectionManager } from './connection-manager';
import { OPEN_CALLER } from './open-caller';

const WS_PATH = /^\/ws\/([^/?#]+)\/?$/;

interface LiveSocket extends WebSocket {
  isAlive?: boolean;
}

/**
 * `ws://host/ws/{agent_id}`: a `ws` server on the HTTP server's `upgrade` event (the path
 * parameter is plain to read here, and the upgrade can be refused with a proper HTTP status
 * before any WebSocket exists). Frames larger than WS_MAX_MESSAGE_BYTES close with 1009 (by `ws`).
 */
@Injectable()
export class ChatGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly server: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;
  private unsubscribeReload?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly connections: ConnectionManager,
    private readonly runner: AgentRunner,
    @Inject(IAgentManager) private readonly agents: IAgentManager,
    @InjectMetric(WS_CONNECTIONS) private readonly connectionsGauge: Gauge<string>,
    @InjectMetric(WS_MESSAGES_TOTAL) private readonly messagesTotal: Counter<string>,
    @Optional() @Inject(IWsAuthenticator) private readonly authenticator?: IWsAuthenticator,
    @Optional() @Inject(IRateLimiter) private readonly limiter?: IRateLimiter,
  ) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: config.chat.wsMaxMessageBytes });
  }

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter.getHttpServer() as Server;
    http.on(
      'upgrade',
      (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(http, request, socket, head),
    );
    this.heartbeat = setInterval(() => this.beat(), this.config.chat.wsHeartbeatMs);
    this.heartbeat.unref();
    this.unsubscribeReload = this.agents.onReload((agents) => {
      void this.connections.broadcastJson(
        infoFrame(`Agent configuration reloaded: ${agents.map((a) => a.id).join(', ')}`),
        'local',
      );
    });
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    this.unsubscribeReload?.();
    for (const socket of this.connections.all()) socket.close(CLOSE_GOING_AWAY, 'Server shutting down');
    this.server.close();
  }

  private async upgrade(http: Server, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const match = WS_PATH.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!match) {
      // Another upgrade listener may own this path; refuse only when there is none.
      if (http.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    let caller = OPEN_CALLER;
    if (this.authenticator) {
      try {
        caller = await this.authenticator.authenticateUpgrade(request);
      } catch (error) {
        const status = error instanceof DomainError ? STATUS_BY_KIND[error.kind] : 500;
        if (!(error instanceof DomainError)) this.logger.error({ err: error }, 'WebSocket authentication failed');
        refuse(socket, status, error instanceof DomainError ? error.message : 'Internal Server Error');
        return;
      }
    }
    // Opening a socket and each message on it take a token from the client IP's bucket, the same
    // bucket as its HTTP requests: the answers are LLM-backed, and extra sockets buy no extra budget.
    const bucket = `ip:${clientIpOf(this.adapterHost.httpAdapter.getInstance(), request)}`;
    const opening = await this.takeToken(bucket);
    if (opening !== true) {
      refuse(socket, 429, RATE_LIMITED_MESSAGE, { 'Retry-After': String(opening) });
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.open(ws, safeDecode(match[1]), caller, bucket));
  }

  /** True, or the seconds to wait before retrying. */
  private async takeToken(bucket: string): Promise<true | number> {
    if (!this.limiter) return true;
    const decision = await this.limiter.consume(bucket);
    return decision.allowed || decision.retryAfterSeconds;
  }

  private open(ws: LiveSocket, agentId: string, caller: Caller, bucket: string): void {
    const agent = this.agents.getAgent(agentId);
    if (!agent) {
      ws.send(JSON.stringify(errorFrame(`Agent "${agentId}" not found`)));
      ws.close(CLOSE_POLICY_VIOLATION, 'Unknown agent');
      return;
    }
    const session = new ChatSession(ws, agentId, caller, {
      agents: this.agents,
      runner: this.runner,
      settings: this.config.chat,
      logger: this.logger,
    });
    this.connections.connect(ws);
    this.connectionsGauge.inc();
    ws.isAlive = true;
    ws.on('pong', () => (ws.isAlive = true));
    let turn = Promise.resolve();
    ws.on('message', (data: RawData) => {
      this.messagesTotal.inc();
      const text = rawToString(data);
      // Chained, so messages reach the session in the order they arrived.
      turn = turn.then(async () => {
        if ((await this.takeToken(bucket)) === true) session.receive(text);
        else if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(errorFrame(RATE_LIMITED_MESSAGE)));
      });
    });
    ws.on('error', (error) => this.logger.debug(`WebSocket error on /ws/${agentId}: ${error.message}`));
    ws.on('close', () => {
      session.close();
      this.connections.disconnect(ws);
      this.connectionsGauge.dec();
    });
    ws.send(JSON.stringify(welcomeFrame(agent, this.config.tws.source)));
  }

  /** Peers that did not answer the previous ping are dropped. */
  private beat(): void {
    for (const socket of this.connections.all() as ReadonlySet<LiveSocket>) {
      if (socket.isAlive === false) {
        socket.terminate();
        continue;
      }
      socket.isAlive = false;
      socket.ping();
    }
  }
}

function refuse(socket: Duplex, status: number, reason: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: reason, statusCode: status });
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
