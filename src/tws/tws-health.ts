import { Controller, Get, Inject, Injectable } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Public, RateLimited } from '../auth/auth.decorators';
import { ICache } from '../cache/cache.port';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { AppConfig } from '../config/app-config';
import { TwsHealthDto } from './dto/system-status.dto';
import { ITWSClient } from './tws-client.port';

export const TWS_HEALTH_OK_MESSAGE = 'Conexão com o TWS bem-sucedida.';

const HEALTH_KEY = 'health:tws';

/**
 * Terminus indicator: HWA answers engine info within the health-check timeout. One answer, up or
 * down, is reused for TWS_HEALTH_CACHE_SECONDS (shared through Redis in a cluster), so however many
 * probes and load balancers ask, the master sees one call per period.
 */
@Injectable()
export class TwsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(ITWSClient) private readonly tws: ITWSClient,
    @Inject(ICache) private readonly cache: ICache,
    private readonly config: AppConfig,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    const ttl = this.config.tws.healthCacheSeconds;
    return ttl > 0 ? this.cache.getOrLoad(HEALTH_KEY, ttl, () => this.probe()) : this.probe();
  }

  private async probe(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('tws');
    const limit = Math.min(this.config.app.healthCheckTimeoutMs, this.config.tws.timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`HWA did not answer within ${limit} ms`)), limit);
    });
    try {
      const info = await Promise.race([this.tws.checkConnection(), deadline]);
      return check.up({ version: info.version });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}

@ApiTags('health')
@Controller('api/health')
export class TwsHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: TwsHealthIndicator,
    private readonly config: AppConfig,
  ) {}

  @Get('tws')
  @Public()
  @RateLimited()
  @ApiOperation({
    summary:
      'TWS connection health: HWA answers in time with our credentials (reused for TWS_HEALTH_CACHE_SECONDS); ' +
      '`source` says whether a real master or the built-in simulator answered',
  })
  @ApiOkResponse({ type: TwsHealthDto })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'HWA is unreachable, slow, refuses the credentials or the circuit is open; `error` says why',
  })
  async tws(): Promise<TwsHealthDto> {
    await this.health.check([() => this.indicator.check()]);
    return { status: 'ok', message: TWS_HEALTH_OK_MESSAGE, source: this.config.tws.source };
  }
}
