import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { AppHealthDto, DependencyStatusDto, ReadinessDto, ServiceHealthDto } from './dto/health.dto';
import { StorageHealthIndicators } from './health-indicators';
import { Public } from '../auth/auth.decorators';

@Public()
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly storage: StorageHealthIndicators,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness for load balancers (the Knowledge Agent contract)' })
  @ApiOkResponse({ type: ServiceHealthDto })
  liveness(): ServiceHealthDto {
    return { status: 'ok', service: this.config.app.serviceName };
  }

  @Get('api/health/app')
  @ApiOperation({ summary: 'Application health (the Resync contract)' })
  @ApiOkResponse({ type: AppHealthDto })
  app(): AppHealthDto {
    return { status: 'ok' };
  }

  @Get('api/health/ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: the database (and Redis when configured) answer in time' })
  @ApiExtraModels(DependencyStatusDto)
  @ApiOkResponse({ type: ReadinessDto, description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'A dependency is down; `details` says which' })
  readiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.storage.database_(),
      ...(this.storage.redisEnabled ? [() => this.storage.redis_()] : []),
    ]);
  }
}
