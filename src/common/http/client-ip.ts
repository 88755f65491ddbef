import type { IncomingMessage } from 'node:http';

interface ExpressLike {
  /** Express's request prototype: `ip` honours the app's `trust proxy` setting. */
  request: object;
}

/**
 * The client address exactly as Express's `req.ip` computes it (TRUSTED_PROXIES honoured, a forged
 * X-Forwarded-For from anyone else ignored), for requests Express never routes: WebSocket upgrades.
 */
export function clientIpOf(app: ExpressLike, request: IncomingMessage): string {
  const view = Object.create(app.request, {
    headers: { value: request.headers },
    socket: { value: request.socket },
    connection: { value: request.socket },
  }) as { ip?: string };
  return view.ip ?? request.socket.remoteAddress ?? 'unknown';
}
