import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { ConfigRuleError } from '../config.errors';
import { ToBoolean, ToInt, ToList } from '../env-transforms';

export type TwsProtocol = 'http' | 'https';

/** Where the plan comes from: the built-in simulator (invented) or a real HWA master. */
export type PlanSource = 'simulator' | 'hwa';

export class TwsEnv {
  /** Read here too for the production rule; validated by the app section. */
  @IsOptional()
  @IsString()
  APP_ENV?: string;

  /** Unset: the built-in HWA simulator is started on loopback and the client talks to it. */
  @IsOptional()
  @Matches(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$|^\[?[0-9a-f:.]+\]?$/i, {
    message: 'must be a host name or an IP address (no scheme, no port)',
  })
  TWS_HOST?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  TWS_PORT = 31116;

  @IsOptional()
  @IsIn(['http', 'https'])
  TWS_PROTOCOL?: TwsProtocol;

  /** Shorthand for TWS_PROTOCOL: true → https, false → http. */
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  TWS_USE_TLS?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TWS_USER?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  TWS_PASSWORD?: string;

  /** An HWA API key (JWT), sent as `Authorization: Bearer`; wins over user and password. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  TWS_API_KEY?: string;

  /** PEM file with the CA (or the self-signed certificate) of the HWA master. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  TWS_CA_FILE?: string;

  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  TWS_VERIFY_TLS = true;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(300_000)
  TWS_TIMEOUT_MS = 10_000;

  /** Attempts for an idempotent read, the first included (actions are never retried). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10)
  TWS_RETRY_ATTEMPTS = 3;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(60_000)
  TWS_RETRY_BASE_DELAY_MS = 200;

  /** Consecutive failures that open the circuit; it half-opens after TWS_CIRCUIT_RESET_MS. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  TWS_CIRCUIT_THRESHOLD = 5;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  TWS_CIRCUIT_RESET_MS = 30_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(86_400)
  TWS_CACHE_TTL_SECONDS = 30;

  /** How long the last good status is kept to be served (marked stale) while HWA is down. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(604_800)
  TWS_STALE_TTL_SECONDS = 3600;

  /** Page size when reading plan lists; the whole plan is read page by page. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  TWS_PAGE_SIZE = 1000;

  /** Upper bound on objects read from one plan list, so a runaway plan cannot exhaust memory. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  TWS_MAX_PLAN_OBJECTS = 100_000;

  /** Lines of a job log the agent tools and `log <job>` return (the tail). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  TWS_LOG_TAIL_LINES = 40;

  /** How long one /api/health/tws answer (up or down) is reused, so probes cannot hammer the master. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(300)
  TWS_HEALTH_CACHE_SECONDS = 5;

  /**
   * The built-in simulator asked for explicitly: required in production when TWS_HOST is unset, so an
   * invented plan is never served by accident; false (or TWS_HOST set) means a real master.
   */
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  TWS_SIMULATOR?: boolean;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  TWS_SIMULATOR_SEED = 42;

  /** Real milliseconds per step of the simulated plan (jobs start, end, ABEND, workstations unlink). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  TWS_SIMULATOR_STEP_MS = 5_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(200_000)
  TWS_SIMULATOR_JOBS = 36;

  /** Standalone simulator only: "key.pem,cert.pem" to serve HTTPS. */
  @IsOptional()
  @ToList()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  TWS_SIMULATOR_TLS_FILES?: string[];
}

export interface TwsCredentials {
  user?: string;
  password?: string;
  apiKey?: string;
}

export interface TwsSimulatorSettings {
  seed: number;
  stepMs: number;
  jobs: number;
  tlsFiles?: { key: string; cert: string };
}

export interface TwsSettings {
  /** Unset: embedded mode, the simulator is started in-process on loopback. */
  host?: string;
  /** `simulator` exactly when `host` is unset: every place that shows the plan says which. */
  source: PlanSource;
  port: number;
  protocol: TwsProtocol;
  credentials: TwsCredentials;
  caFile?: string;
  verifyTls: boolean;
  timeoutMs: number;
  retryAttempts: number;
  retryBaseDelayMs: number;
  circuitThreshold: number;
  circuitResetMs: number;
  cacheTtlSeconds: number;
  healthCacheSeconds: number;
  staleTtlSeconds: number;
  pageSize: number;
  maxPlanObjects: number;
  logTailLines: number;
  simulator: TwsSimulatorSettings;
}

/** Simulated is never mistaken for real: production serves the simulator only when asked to. */
function planSource(env: TwsEnv): PlanSource {
  if (env.TWS_HOST) {
    if (env.TWS_SIMULATOR) throw new ConfigRuleError('TWS_SIMULATOR', 'contradicts TWS_HOST; set only one of them');
    return 'hwa';
  }
  if (env.TWS_SIMULATOR === false)
    throw new ConfigRuleError('TWS_HOST', 'is required when TWS_SIMULATOR=false (the HWA master to read)');
  if (env.APP_ENV === 'production' && env.TWS_SIMULATOR !== true) {
    throw new ConfigRuleError(
      'TWS_HOST',
      "production needs TWS_HOST (the HWA master), or TWS_SIMULATOR=true to serve the built-in simulator's invented plan",
    );
  }
  return 'simulator';
}

export function buildTwsSettings(env: TwsEnv): TwsSettings {
  const tlsFromFlag = env.TWS_USE_TLS === undefined ? undefined : env.TWS_USE_TLS ? 'https' : 'http';
  if (env.TWS_PROTOCOL && tlsFromFlag && env.TWS_PROTOCOL !== tlsFromFlag) {
    throw new ConfigRuleError('TWS_USE_TLS', `contradicts TWS_PROTOCOL=${env.TWS_PROTOCOL}; set only one of them`);
  }
  if (env.TWS_HOST && !env.TWS_API_KEY && (env.TWS_USER === undefined) !== (env.TWS_PASSWORD === undefined)) {
    throw new ConfigRuleError(env.TWS_USER ? 'TWS_PASSWORD' : 'TWS_USER', 'TWS_USER and TWS_PASSWORD go together');
  }
  return {
    host: env.TWS_HOST,
    source: planSource(env),
    port: env.TWS_PORT,
    protocol: env.TWS_PROTOCOL ?? tlsFromFlag ?? 'https',
    credentials: { user: env.TWS_USER, password: env.TWS_PASSWORD, apiKey: env.TWS_API_KEY },
    caFile: env.TWS_CA_FILE,
    verifyTls: env.TWS_VERIFY_TLS,
    timeoutMs: env.TWS_TIMEOUT_MS,
    retryAttempts: env.TWS_RETRY_ATTEMPTS,
    retryBaseDelayMs: env.TWS_RETRY_BASE_DELAY_MS,
    circuitThreshold: env.TWS_CIRCUIT_THRESHOLD,
    circuitResetMs: env.TWS_CIRCUIT_RESET_MS,
    cacheTtlSeconds: env.TWS_CACHE_TTL_SECONDS,
    healthCacheSeconds: env.TWS_HEALTH_CACHE_SECONDS,
    staleTtlSeconds: env.TWS_STALE_TTL_SECONDS,
    pageSize: env.TWS_PAGE_SIZE,
    maxPlanObjects: env.TWS_MAX_PLAN_OBJECTS,
    logTailLines: env.TWS_LOG_TAIL_LINES,
    simulator: {
      seed: env.TWS_SIMULATOR_SEED,
      stepMs: env.TWS_SIMULATOR_STEP_MS,
      jobs: env.TWS_SIMULATOR_JOBS,
      ...(env.TWS_SIMULATOR_TLS_FILES && {
        tlsFiles: { key: env.TWS_SIMULATOR_TLS_FILES[0], cert: env.TWS_SIMULATOR_TLS_FILES[1] },
      }),
    },
  };
}
