import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ForbiddenError } from './auth.errors';
import { Authenticator } from './authenticator';
import type { Caller } from './caller';
import type { IWsAuthenticator } from './ws-authenticator.port';

/** Same credentials as HTTP at the WebSocket upgrade, plus the browser `Origin` check CORS cannot do for sockets. */
@Injectable()
export class WsAuthenticator implements IWsAuthenticator {
  constructor(
    private readonly config: AppConfig,
    private readonly authenticator: Authenticator,
  ) {}

  async authenticateUpgrade(request: IncomingMessage): Promise<Caller> {
    this.checkOrigin(request);
    const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    return this.authenticator.resolve({ headers: request.headers, queryToken: token });
  }

  /** A page may open a socket to its own host or from an origin listed in CORS_ORIGINS; non-browser clients send no Origin. */
  private checkOrigin(request: IncomingMessage): void {
    const origin = request.headers.origin;
    if (origin === undefined || this.config.app.corsOrigins.includes(origin)) return;
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== request.headers.host)
      throw new ForbiddenError(`Origin ${origin.slice(0, 100)} is not allowed`);
  }
}
