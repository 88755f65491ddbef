import { Global, Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { RedisConnection } from '../redis/redis-connection';
import { AuthMetrics, authMetricProviders } from './auth-metrics';
import { Authenticator } from './authenticator';
import { IClock, systemClock } from './clock';
import { AuthenticationGuard, RateLimitGuard, RolesGuard } from './guards';
import { MemoryWritePolicy } from './memory-write-policy';
import { IMemoryWritePolicy } from './memory-write-policy.port';
import { MemoryRateLimiter } from './rate-limit/memory-rate-limiter';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter';
import { IRateLimiter } from './rate-limiter.port';
import { SlackReplayGuard } from './slack-replay-guard';
import { WsAuthenticator } from './ws-authenticator';
import { IWsAuthenticator } from './ws-authenticator.port';

/**
 * Every HTTP route passes three global guards, in this order: authentication (the caller),
 * roles (`@RequireRoles`), rate limit (`@RateLimited`). Routes opt out with `@Public()`.
 */
@Global()
@Module({
  providers: [
    { provide: IClock, useValue: systemClock },
    SlackReplayGuard,
    Authenticator,
    ...authMetricProviders,
    AuthMetrics,
    {
      provide: IRateLimiter,
      inject: [AppConfig, RedisConnection, IClock],
      useFactory: (config: AppConfig, redis: RedisConnection, clock: IClock): IRateLimiter => {
        const memory = new MemoryRateLimiter(config.rateLimit, clock);
        return redis.enabled ? new RedisRateLimiter(redis, config.rateLimit, memory) : memory;
      },
    },
    { provide: IWsAuthenticator, useClass: WsAuthenticator },
    { provide: IMemoryWritePolicy, useClass: MemoryWritePolicy },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [Authenticator, IWsAuthenticator, IMemoryWritePolicy, IRateLimiter, IClock],
})
export class AuthModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const { auth, rateLimit } = this.config;
    if (auth.openMode) {
      this.logger.warn(
        'OPEN MODE: neither INTERNAL_AUTH_TOKEN nor A2A_API_KEYS is set, so every request is accepted as the ' +
          "'unauthenticated' caller with read and write access. Never expose this instance to a network you do not trust.",
      );
    }
    this.logger.log(
      `Rate limit: ${rateLimit.ratePerSecond} requests/s, burst ${rateLimit.burst}, per client IP` +
        (this.config.redis.url ? ' (shared through Redis)' : ' (this instance)'),
    );
  }
}
