import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { PUBLIC_KEY, RATE_LIMITED_KEY, REQUIRE_CREDENTIALS_KEY, ROLES_KEY } from './auth.decorators';
import { AuthMetrics } from './auth-metrics';
import { AuthenticationError, ForbiddenError, RateLimitedError } from './auth.errors';
import { Authenticator } from './authenticator';
import type { Caller, Role } from './caller';
import { rateLimitHeaders } from './rate-limit/rate-limit-headers';
import { IRateLimiter } from './rate-limiter.port';

type GuardedRequest = Request & { caller?: Caller; rawBody?: Buffer };

/** Metadata on the handler wins over the controller's. */
function metadata<T>(reflector: Reflector, key: string, context: ExecutionContext): T | undefined {
  return reflector.getAllAndOverride<T>(key, [context.getHandler(), context.getClass()]);
}

/**
 * First global guard: resolves the request's caller and attaches it to that request only.
 * WebSocket connections authenticate at the upgrade (`IWsAuthenticator`), so only HTTP is checked here.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly metrics: AuthMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || metadata<boolean>(this.reflector, PUBLIC_KEY, context)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    try {
      request.caller = await this.authenticator.resolve(
        { headers: request.headers, rawBody: request.rawBody },
        { requireCredentials: metadata<boolean>(this.reflector, REQUIRE_CREDENTIALS_KEY, context) },
      );
    } catch (error) {
      if (error instanceof AuthenticationError) this.metrics.authenticationFailed(error.credential);
      throw error;
    }
    return true;
  }
}

/** Second: the caller holds every role the route requires (`@RequireRoles`), or 403. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = metadata<Role[]>(this.reflector, ROLES_KEY, context) ?? [];
    const caller = context.switchToHttp().getRequest<GuardedRequest>().caller;
    if (!caller || required.length === 0) return true;
    const missing = required.filter((role) => !caller.roles.includes(role));
    if (missing.length === 0) return true;
    // Open mode lets anyone read and write, never administer: say how to get the role.
    const hint =
      caller.via === 'open' ? ' (open mode never grants admin: configure an A2A_API_KEYS key with the admin role)' : '';
    throw new ForbiddenError(`Forbidden: this needs the ${missing.join(' and ')} role${hint}`);
  }
}

/** Third: routes marked `@RateLimited()` take a token from the client IP's bucket, or 429 with Retry-After. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(IRateLimiter) private readonly limiter: IRateLimiter,
    private readonly config: AppConfig,
    private readonly metrics: AuthMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || !metadata<boolean>(this.reflector, RATE_LIMITED_KEY, context)) return true;
    const http = context.switchToHttp();
    // `req.ip` honours TRUSTED_PROXIES (Express `trust proxy`): X-Forwarded-For from anyone else is ignored.
    const decision = await this.limiter.consume(`ip:${http.getRequest<Request>().ip ?? 'unknown'}`);
    const response = http.getResponse<Response>();
    for (const [name, value] of Object.entries(rateLimitHeaders(decision, this.config.rateLimit)))
      response.setHeader(name, value);
    if (!decision.allowed) {
      this.metrics.rateLimited();
      throw new RateLimitedError(decision.retryAfterSeconds);
    }
    return true;
  }
}
