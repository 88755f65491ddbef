import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database';
import { RedisConnection } from '../redis/redis-connection';

/** Readiness checks, each with the configured timeout, reporting why they failed. */
@Injectable()
export class StorageHealthIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    private readonly database: Database,
    private readonly redis: RedisConnection,
  ) {}

  async database_(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await this.database.ping(this.config.app.healthCheckTimeoutMs);
      return check.up({ kind: this.database.kind });
    } catch (error) {
      return check.down({ kind: this.database.kind, message: (error as Error).message });
    }
  }

  async redis_(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      await this.redis.ping(this.config.app.healthCheckTimeoutMs);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  get redisEnabled(): boolean {
    return this.redis.enabled;
  }
}
