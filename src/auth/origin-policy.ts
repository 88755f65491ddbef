import { ForbiddenError } from './auth.errors';

/**
 * The browser `Origin` check for what CORS does not cover (WebSocket upgrades, the MCP endpoint,
 * against DNS rebinding): a page may call its own host or an origin listed in CORS_ORIGINS;
 * non-browser clients send no Origin.
 */
export function assertOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  corsOrigins: readonly string[],
): void {
  if (origin === undefined || corsOrigins.includes(origin)) return;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (originHost === undefined || originHost !== host)
    throw new ForbiddenError(`Origin ${origin.slice(0, 100)} is not allowed`);
}
