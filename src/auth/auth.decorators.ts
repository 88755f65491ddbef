import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Caller, Role } from './caller';

export const ROLES_KEY = 'resync:roles';
export const PUBLIC_KEY = 'resync:public';
export const RATE_LIMITED_KEY = 'resync:rate-limited';
export const REQUIRE_CREDENTIALS_KEY = 'resync:require-credentials';

/** The caller must hold every listed role (`read` for queries, `write` for changes, `admin`). */
export const RequireRoles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No credentials needed (health, metrics, docs, pages). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Counted against the per-client token bucket (state-changing or LLM-backed endpoints). */
export const RateLimited = () => SetMetadata(RATE_LIMITED_KEY, true);

/** Real credentials needed even in open mode (the `unauthenticated` caller gets 401). */
export const RequireCredentials = () => SetMetadata(REQUIRE_CREDENTIALS_KEY, true);

/** The request's `Caller`, as resolved by the auth guard. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => context.switchToHttp().getRequest<{ caller: Caller }>().caller,
);
