import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ToInt } from '../env-transforms';

export class StorageEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_MAX = 10;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  REDIS_KEY_PREFIX = 'resync:';

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(16)
  @Max(10_000_000)
  CACHE_MAX_ENTRIES = 10_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(86_400)
  CACHE_DEFAULT_TTL_SECONDS = 60;
}

export interface DatabaseSettings {
  /** Set: a PostgreSQL server. Unset: embedded PGlite under `dataDir`. */
  url?: string;
  poolMax: number;
}

export interface RedisSettings {
  url?: string;
  keyPrefix: string;
}

export interface CacheSettings {
  maxEntries: number;
  defaultTtlSeconds: number;
}

export function buildDatabaseSettings(env: StorageEnv): DatabaseSettings {
  return { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX };
}

export function buildRedisSettings(env: StorageEnv): RedisSettings {
  return { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX };
}

export function buildCacheSettings(env: StorageEnv): CacheSettings {
  return { maxEntries: env.CACHE_MAX_ENTRIES, defaultTtlSeconds: env.CACHE_DEFAULT_TTL_SECONDS };
}
