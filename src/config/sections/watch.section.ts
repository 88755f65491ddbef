import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { ConfigRuleError } from '../config.errors';
import { ToBoolean, ToInt, ToNumber } from '../env-transforms';

const WEBHOOK_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class WatchEnv {
  /** The incident watcher; off, incidents are neither opened nor closed (the API still answers). */
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  WATCH_ENABLED = true;

  /** Seconds between two reads of the plan by the leading instance (fractions allowed, for tests). */
  @IsOptional()
  @ToNumber()
  @IsNumber()
  @Min(0.1)
  @Max(3_600)
  WATCH_INTERVAL_SECONDS = 30;

  /** A job running longer than this many times its estimated duration is reported as running long. */
  @IsOptional()
  @ToNumber()
  @IsNumber()
  @Min(1)
  @Max(100)
  WATCH_LONG_RUN_FACTOR = 2;

  /** A Slack incoming webhook: each incident opened, acknowledged and closed is posted as a Block Kit message. */
  @IsOptional()
  @IsUrl(WEBHOOK_URL, { message: 'must be an http(s) URL' })
  WATCH_SLACK_WEBHOOK_URL?: string;

  /** A generic webhook: the incident event as JSON, signed in `X-Resync-Signature`. */
  @IsOptional()
  @IsUrl(WEBHOOK_URL, { message: 'must be an http(s) URL' })
  WATCH_WEBHOOK_URL?: string;

  /** Key of the HMAC-SHA256 signature of the generic webhook's body. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  WATCH_WEBHOOK_SECRET?: string;

  /** Tries per webhook delivery, the first included; then it is recorded as failed. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  WATCH_WEBHOOK_MAX_ATTEMPTS = 10;

  /** Wait before the first retry; it doubles on each further try (with jitter), capped at 10 minutes. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(10)
  @Max(600_000)
  WATCH_WEBHOOK_RETRY_BASE_MS = 2_000;

  /** How long one webhook request may take. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(120_000)
  WATCH_WEBHOOK_TIMEOUT_MS = 5_000;
}

export interface WatchSettings {
  enabled: boolean;
  intervalMs: number;
  longRunFactor: number;
  slackWebhookUrl?: string;
  webhook?: { url: string; secret: string };
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookTimeoutMs: number;
}

export function buildWatchSettings(env: WatchEnv): WatchSettings {
  if (env.WATCH_WEBHOOK_URL && !env.WATCH_WEBHOOK_SECRET)
    throw new ConfigRuleError(
      'WATCH_WEBHOOK_SECRET',
      'is required with WATCH_WEBHOOK_URL (the body is signed with it)',
    );
  return {
    enabled: env.WATCH_ENABLED,
    intervalMs: Math.round(env.WATCH_INTERVAL_SECONDS * 1000),
    longRunFactor: env.WATCH_LONG_RUN_FACTOR,
    slackWebhookUrl: env.WATCH_SLACK_WEBHOOK_URL,
    webhook:
      env.WATCH_WEBHOOK_URL && env.WATCH_WEBHOOK_SECRET
        ? { url: env.WATCH_WEBHOOK_URL, secret: env.WATCH_WEBHOOK_SECRET }
        : undefined,
    webhookMaxAttempts: env.WATCH_WEBHOOK_MAX_ATTEMPTS,
    webhookRetryBaseMs: env.WATCH_WEBHOOK_RETRY_BASE_MS,
    webhookTimeoutMs: env.WATCH_WEBHOOK_TIMEOUT_MS,
  };
}
