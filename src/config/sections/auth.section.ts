import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import type { Role } from '../../auth/caller';
import { ConfigRuleError } from '../config.errors';
import { ToBoolean, ToInt, ToList, ToNumber } from '../env-transforms';

const ROLES: readonly Role[] = ['read', 'write', 'admin'];
/** What a key of the seed's plain form `{"<key>": "<caller-id>"}` may do. */
const PLAIN_KEY_ROLES: readonly Role[] = ['read', 'write'];
const CALLER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const MIN_PRODUCTION_SECRET_LENGTH = 16;
const ENCRYPTION_KEY_BYTES = 32;

export class AuthEnv {
  /** Read here too for the production rules; validated by the app section. */
  @IsOptional()
  @IsString()
  APP_ENV?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  INTERNAL_AUTH_TOKEN?: string;

  /** JSON object; parsed and checked by the builder so a bad value never appears in an error. */
  @IsOptional()
  @IsString()
  A2A_API_KEYS?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  SLACK_SIGNING_SECRET?: string;

  @IsOptional()
  @ToList()
  @Matches(CALLER_ID, { each: true, message: 'each entry must be a caller id' })
  ADMIN_CALLERS: string[] = [];

  @IsOptional()
  @ToList()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { each: true, message: 'each entry must be a Slack user id such as U01ABC123' })
  ALLOWED_SLACK_USERS: string[] = [];

  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  ALLOW_OPEN_MODE = false;

  @IsOptional()
  @IsString()
  ENCRYPTION_KEY?: string;

  @IsOptional()
  @ToNumber()
  @IsNumber()
  @Min(0.01)
  @Max(10_000_000)
  RATE_LIMIT_RPS = 10;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_BURST = 20;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  RATE_LIMIT_MAX_CLIENTS = 100_000;
}

export interface ApiKeyGrant {
  key: string;
  caller: string;
  roles: readonly Role[];
}

export interface AuthSettings {
  internalToken?: string;
  apiKeys: readonly ApiKeyGrant[];
  slackSigningSecret?: string;
  adminCallers: readonly string[];
  allowedSlackUsers: readonly string[];
  /** No internal token and no API keys: every request is the `unauthenticated` caller. */
  openMode: boolean;
  /**
   * ENCRYPTION_KEY, checked to be 32 bytes of base64 (kept as text: the configuration is frozen);
   * undefined in development means "generate one and keep it under DATA_DIR".
   */
  encryptionKey?: string;
}

export interface RateLimitSettings {
  ratePerSecond: number;
  burst: number;
  /** How many client buckets the in-memory limiter keeps (least recently used go first). */
  maxClients: number;
}

/**
 * `A2A_API_KEYS` maps key → caller, in the seed's form `{"ka_x":"root-agent"}` (read+write) or
 * `{"ka_x":{"caller":"root-agent","roles":["read","write","admin"]}}`.
 */
export function parseApiKeys(raw: string | undefined): ApiKeyGrant[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigRuleError('A2A_API_KEYS', 'must be a JSON object {"<api-key>": "<caller-id>"}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigRuleError('A2A_API_KEYS', 'must be a JSON object {"<api-key>": "<caller-id>"}');
  }
  return Object.entries(parsed as Record<string, unknown>).map(([key, value], index) => {
    const where = `entry ${index + 1}`;
    if (key.length < 8)
      throw new ConfigRuleError(
        'A2A_API_KEYS',
        `${where}: the key (the property name) must have at least 8 characters`,
      );
    const grant =
      typeof value === 'string'
        ? { caller: value, roles: PLAIN_KEY_ROLES }
        : (value as { caller?: unknown; roles?: unknown });
    if (!grant || typeof grant !== 'object' || typeof grant.caller !== 'string' || !CALLER_ID.test(grant.caller)) {
      throw new ConfigRuleError(
        'A2A_API_KEYS',
        `${where}: the value must be a caller id or {"caller": "<id>", "roles": [...]}`,
      );
    }
    const roles = grant.roles ?? PLAIN_KEY_ROLES;
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => ROLES.includes(role as Role))) {
      throw new ConfigRuleError('A2A_API_KEYS', `${where}: roles must be a non-empty list of read, write, admin`);
    }
    return { key, caller: grant.caller, roles: [...new Set(roles as Role[])] };
  });
}

function checkEncryptionKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64').length : 0;
  if (bytes !== ENCRYPTION_KEY_BYTES) {
    throw new ConfigRuleError(
      'ENCRYPTION_KEY',
      `must be ${ENCRYPTION_KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`,
    );
  }
  return raw;
}

/** Production rules: no silent open mode, a real encryption key, secrets long enough to resist guessing. */
export function buildAuthSettings(env: AuthEnv): AuthSettings {
  const production = env.APP_ENV === 'production';
  const apiKeys = parseApiKeys(env.A2A_API_KEYS);
  const openMode = !env.INTERNAL_AUTH_TOKEN && apiKeys.length === 0;
  const encryptionKey = checkEncryptionKey(env.ENCRYPTION_KEY);
  if (production) {
    if (openMode && !env.ALLOW_OPEN_MODE) {
      throw new ConfigRuleError(
        'INTERNAL_AUTH_TOKEN',
        'production needs INTERNAL_AUTH_TOKEN or A2A_API_KEYS (or ALLOW_OPEN_MODE=true to run without authentication)',
      );
    }
    if (!encryptionKey) throw new ConfigRuleError('ENCRYPTION_KEY', 'is required in production');
    if (env.INTERNAL_AUTH_TOKEN && env.INTERNAL_AUTH_TOKEN.length < MIN_PRODUCTION_SECRET_LENGTH) {
      throw new ConfigRuleError(
        'INTERNAL_AUTH_TOKEN',
        `must have at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
      );
    }
  }
  return {
    internalToken: env.INTERNAL_AUTH_TOKEN,
    apiKeys,
    slackSigningSecret: env.SLACK_SIGNING_SECRET,
    adminCallers: env.ADMIN_CALLERS,
    allowedSlackUsers: env.ALLOWED_SLACK_USERS,
    openMode,
    encryptionKey,
  };
}

export function buildRateLimitSettings(env: AuthEnv): RateLimitSettings {
  return { ratePerSecond: env.RATE_LIMIT_RPS, burst: env.RATE_LIMIT_BURST, maxClients: env.RATE_LIMIT_MAX_CLIENTS };
}
