import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Authenticator } from './authenticator';
import type { Caller } from './caller';
import { assertOriginAllowed } from './origin-policy';
import type { IWsAuthenticator } from './ws-authenticator.port';

/** Same credentials as HTTP at the WebSocket upgrade, plus the browser `Origin` check CORS cannot do for sockets. */
@Injectable()
export class WsAuthenticator implements IWsAuthenticator {
  constructor(
    private readonly config: AppConfig,
    private readonly authenticator: Authenticator,
  ) {}

  async authenticateUpgrade(request: IncomingMessage): Promise<Caller> {
    assertOriginAllowed(request.headers.origin, request.headers.host, this.config.app.corsOrigins);
    const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    return this.authenticator.resolve({ headers: request.headers, queryToken: token });
  }
}
