import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';

/** One registry, served where each seed expects it. */
@Public()
@ApiTags('observability')
@Controller()
export class MetricsController extends PrometheusController {
  @Get(['metrics', 'api/metrics'])
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiOkResponse({
    description: 'Metrics in the Prometheus text format',
    content: {
      'text/plain': {
        schema: {
          type: 'string',
          example: 'http_requests_total{method="GET",route="/api/health/app",status="200"} 42',
        },
      },
    },
  })
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
