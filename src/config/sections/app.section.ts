import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ToByteSize, ToInt, ToList } from '../env-transforms';

export type AppEnvName = 'development' | 'production';
export type LogFormat = 'json' | 'pretty';

export class AppEnv {
  @IsOptional()
  @IsIn(['development', 'production'])
  APP_ENV: AppEnvName = 'development';

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8000;

  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]*$/i, { message: 'must be letters, digits, dot, dash or underscore' })
  SERVICE_NAME = 'resync';

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsOptional()
  @ToByteSize()
  @IsInt({ message: 'must be a size such as 1mb, 512kb or a number of bytes' })
  @Min(1024)
  BODY_LIMIT = 1024 * 1024;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: LogFormat;

  @IsOptional()
  @ToList()
  @Matches(/^https?:\/\/[^/\s]+$/, { each: true, message: 'each origin must be scheme://host[:port] with no path' })
  CORS_ORIGINS: string[] = [];

  @IsOptional()
  @ToList()
  @Matches(/^[0-9a-f.:/]+$|^(loopback|linklocal|uniquelocal)$|^\d+$/i, {
    each: true,
    message: 'each entry must be an IP, a CIDR, loopback, linklocal, uniquelocal or a hop count',
  })
  TRUSTED_PROXIES: string[] = [];

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(60_000)
  HEALTH_CHECK_TIMEOUT_MS = 2_000;
}

export interface AppSettings {
  env: AppEnvName;
  isProduction: boolean;
  port: number;
  host: string;
  serviceName: string;
  dataDir: string;
  bodyLimitBytes: number;
  logLevel: string;
  logFormat: LogFormat;
  corsOrigins: string[];
  /** Value for Express's `trust proxy`: false, a hop count, or a list of addresses/subnets. */
  trustProxy: boolean | number | string[];
  shutdownTimeoutMs: number;
  healthCheckTimeoutMs: number;
}

export function buildAppSettings(env: AppEnv): AppSettings {
  const hops = env.TRUSTED_PROXIES.length === 1 && /^\d+$/.test(env.TRUSTED_PROXIES[0]);
  return {
    env: env.APP_ENV,
    isProduction: env.APP_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    serviceName: env.SERVICE_NAME,
    dataDir: env.DATA_DIR,
    bodyLimitBytes: env.BODY_LIMIT,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.APP_ENV === 'production' ? 'json' : 'pretty'),
    corsOrigins: env.CORS_ORIGINS,
    trustProxy: hops ? Number(env.TRUSTED_PROXIES[0]) : env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    healthCheckTimeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
  };
}
