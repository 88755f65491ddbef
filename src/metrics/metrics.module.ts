import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetrics, httpMetricProviders } from './http-metrics';
import { MetricsController } from './metrics.controller';

/**
 * The Prometheus registry (process defaults included). Features declare their own metrics with
 * `makeCounterProvider` & co. in their modules; they all land in this registry.
 */
@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, path: '/', defaultMetrics: { enabled: true } })],
  providers: [...httpMetricProviders, HttpMetrics],
  exports: [HttpMetrics],
})
export class MetricsModule {}
