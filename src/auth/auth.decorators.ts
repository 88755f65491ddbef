import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ApiErrors, errorResponseOptions } from '../common/errors/api-errors.decorator';
import type { Caller, Role } from './caller';

export const ROLES_KEY = 'resync:roles';
export const PUBLIC_KEY = 'resync:public';
export const RATE_LIMITED_KEY = 'resync:rate-limited';
export const REQUIRE_CREDENTIALS_KEY = 'resync:require-credentials';

/**
 * How a protected route may be called and what the guard may answer, in its OpenAPI description:
 * one requirement per credential (the Slack signature is two headers together), and the header
 * the Slack bridge vouches for an end user with.
 */
const ApiAuthenticated = () =>
  applyDecorators(
    ApiSecurity('internal-token'),
    ApiSecurity('api-key'),
    ApiSecurity('bearer'),
    ApiSecurity({ 'slack-signature': [], 'slack-request-timestamp': [] }),
    ApiHeader({
      name: 'X-Slack-User-Id',
      required: false,
      description:
        'With X-Internal-Token only: the Slack user the bridge speaks for (their memory scope and ' +
        'ALLOWED_SLACK_USERS). Ignored with other credentials and when not 1–64 of letters, digits, _ and -.',
      schema: { type: 'string', example: 'U01USER123' },
    }),
    ApiErrors({ 401: 'Missing (`Authentication required`) or wrong credentials' }),
  );

/** The caller must hold every listed role (`read` for queries, `write` for changes, `admin`). */
export const RequireRoles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiAuthenticated(),
    ApiErrors({ 403: `The caller lacks the ${roles.join(' and ')} role` }),
  );

/** No credentials needed (health, metrics, docs, pages). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Counted against the per-client token bucket (state-changing or LLM-backed endpoints). */
export const RateLimited = () =>
  applyDecorators(
    SetMetadata(RATE_LIMITED_KEY, true),
    ApiResponse({
      ...errorResponseOptions(
        429,
        '`Rate limit exceeded. Please try again later.` — the client IP used up its token bucket',
      ),
      headers: {
        'Retry-After': { description: 'Seconds until a request would be accepted', schema: { type: 'integer' } },
        RateLimit: {
          description: 'IETF RateLimit: `"per-client";r=<remaining>;t=<seconds until full>`',
          schema: { type: 'string' },
        },
        'RateLimit-Policy': {
          description: 'IETF RateLimit-Policy: `"per-client";q=<burst>;w=<seconds>`',
          schema: { type: 'string' },
        },
      },
    }),
  );

/** Real credentials needed even in open mode (the `unauthenticated` caller gets 401). */
export const RequireCredentials = () => applyDecorators(SetMetadata(REQUIRE_CREDENTIALS_KEY, true), ApiAuthenticated());

/** The request's `Caller`, as resolved by the auth guard. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => context.switchToHttp().getRequest<{ caller: Caller }>().caller,
);
