import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ApiKeyGrant, AuthSettings } from '../config/sections/auth.section';
import { AuthenticationError } from './auth.errors';
import type { Caller, Role } from './caller';
import { IClock } from './clock';
import { SecretSet, secretsEqual } from './secret-compare';
import { SlackReplayGuard } from './slack-replay-guard';

/** Slack refuses requests whose timestamp is more than five minutes away from now; so do we. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;
const SLACK_USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TRUSTED_ROLES: readonly Role[] = ['read', 'write'];

export const UNAUTHENTICATED_CALLER: Caller = Object.freeze({
  id: 'unauthenticated',
  via: 'open',
  roles: Object.freeze(['read', 'write'] as Role[]),
});

export interface Credentials {
  headers: IncomingHttpHeaders;
  /** The exact bytes received, for the Slack signature. */
  rawBody?: Buffer;
  /** A browser WebSocket's `token` query parameter: an internal token or an API key. */
  queryToken?: string;
}

export interface ResolveOptions {
  /** Refuse the open-mode caller: the route needs real credentials whatever the mode. */
  requireCredentials?: boolean;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/**
 * Resolves who is calling from the credentials of one request, in the contract's order: internal
 * token, API key, Slack signature, then open mode. Stateless apart from the replay memory; the
 * caller it returns belongs to that request alone.
 */
@Injectable()
export class Authenticator {
  private readonly internalToken: SecretSet<true>;
  private readonly apiKeys: SecretSet<ApiKeyGrant>;

  constructor(
    private readonly config: AppConfig,
    private readonly replayGuard: SlackReplayGuard,
    @Inject(IClock) private readonly clock: IClock,
  ) {
    this.internalToken = new SecretSet(config.auth.internalToken ? [[config.auth.internalToken, true]] : []);
    this.apiKeys = new SecretSet(config.auth.apiKeys.map((grant) => [grant.key, grant]));
  }

  get openMode(): boolean {
    return this.config.auth.openMode;
  }

  /** The caller, or throws AuthenticationError (401). */
  async resolve(credentials: Credentials, options: ResolveOptions = {}): Promise<Caller> {
    const caller = await this.authenticate(credentials);
    if (caller) return caller;
    if (this.openMode && !options.requireCredentials) return UNAUTHENTICATED_CALLER;
    throw new AuthenticationError();
  }

  /** The caller proved by the credentials presented; undefined when none were presented. */
  async authenticate({ headers, rawBody, queryToken }: Credentials): Promise<Caller | undefined> {
    const internalToken = header(headers, 'x-internal-token');
    if (internalToken !== undefined) return this.byInternalToken(internalToken, header(headers, 'x-slack-user-id'));
    const apiKey = header(headers, 'x-api-key');
    if (apiKey !== undefined) return this.byApiKey(apiKey);
    const signature = header(headers, 'x-slack-signature');
    const timestamp = header(headers, 'x-slack-request-timestamp');
    if (signature !== undefined || timestamp !== undefined)
      return this.bySlackSignature(signature, timestamp, rawBody ?? Buffer.alloc(0));
    const bearer = bearerToken(header(headers, 'authorization'));
    if (bearer !== undefined) return this.byToken(bearer, 'bearer');
    if (queryToken !== undefined) return this.byToken(queryToken, 'query-token');
    return undefined;
  }

  private byInternalToken(offered: string, slackUserId: string | undefined): Caller {
    if (!this.internalToken.find(offered)) throw new AuthenticationError('Invalid internal token', 'internal-token');
    return this.caller(
      'slack-bridge',
      'internal-token',
      TRUSTED_ROLES,
      slackUserId && SLACK_USER_ID.test(slackUserId) ? slackUserId : undefined,
    );
  }

  private byApiKey(offered: string): Caller {
    const grant = this.apiKeys.find(offered);
    if (!grant) throw new AuthenticationError('Invalid API key', 'api-key');
    return this.caller(grant.caller, 'api-key', grant.roles);
  }

  /** One secret that is either the internal token or an API key: a browser's `?token=` or `Authorization: Bearer`. */
  private byToken(offered: string, kind: 'query-token' | 'bearer'): Caller {
    if (this.internalToken.find(offered)) return this.caller('slack-bridge', 'internal-token', TRUSTED_ROLES);
    const grant = this.apiKeys.find(offered);
    if (!grant) throw new AuthenticationError('Invalid token', kind);
    return this.caller(grant.caller, 'api-key', grant.roles);
  }

  private async bySlackSignature(
    signature: string | undefined,
    timestamp: string | undefined,
    rawBody: Buffer,
  ): Promise<Caller> {
    const secret = this.config.auth.slackSigningSecret;
    if (!secret) throw new AuthenticationError('Slack signatures are not accepted by this server', 'slack-signature');
    if (!signature || !timestamp)
      throw new AuthenticationError(
        'Slack signature needs both X-Slack-Signature and X-Slack-Request-Timestamp',
        'slack-signature',
      );
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!(Math.abs(this.clock.now() / 1000 - seconds) <= SLACK_TIMESTAMP_TOLERANCE_SECONDS)) {
      throw new AuthenticationError(
        'Slack request timestamp is missing or more than 5 minutes away',
        'slack-signature',
      );
    }
    if (!secretsEqual(signature, slackSignature(secret, timestamp, rawBody)))
      throw new AuthenticationError('Invalid Slack signature', 'slack-signature');
    if (!(await this.replayGuard.firstUse(signature)))
      throw new AuthenticationError('Slack request was already received (replay)', 'slack-signature');
    return this.caller('slack-direct', 'slack-signature', TRUSTED_ROLES);
  }

  private caller(id: string, via: Caller['via'], roles: readonly Role[], slackUserId?: string): Caller {
    return { id, via, roles: rolesOf(id, roles, this.config.auth), ...(slackUserId && { slackUserId }) };
  }
}

/** The token of `Authorization: Bearer <token>` (what most MCP and HTTP clients send); other schemes are not ours. */
function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer +(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : undefined;
}

/** Callers named in ADMIN_CALLERS are administrators whatever their method. */
export function rolesOf(id: string, roles: readonly Role[], auth: Pick<AuthSettings, 'adminCallers'>): Role[] {
  return auth.adminCallers.includes(id) && !roles.includes('admin') ? [...roles, 'admin'] : [...roles];
}

/** Every caller this configuration can produce, with how it authenticates: never a secret. */
export function configuredCallers(auth: AuthSettings): Caller[] {
  const callers: Caller[] = [];
  if (auth.internalToken)
    callers.push({ id: 'slack-bridge', via: 'internal-token', roles: rolesOf('slack-bridge', TRUSTED_ROLES, auth) });
  for (const grant of auth.apiKeys) {
    if (!callers.some((c) => c.id === grant.caller && c.via === 'api-key')) {
      callers.push({ id: grant.caller, via: 'api-key', roles: rolesOf(grant.caller, grant.roles, auth) });
    }
  }
  if (auth.slackSigningSecret)
    callers.push({ id: 'slack-direct', via: 'slack-signature', roles: rolesOf('slack-direct', TRUSTED_ROLES, auth) });
  if (auth.openMode) callers.push({ ...UNAUTHENTICATED_CALLER, roles: [...UNAUTHENTICATED_CALLER.roles] });
  return callers;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, as Slack signs its requests. */
export function slackSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}
