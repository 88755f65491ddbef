import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { McpController } from './mcp.controller';
import { McpMetrics, McpRequestCounter, mcpMetricProviders } from './mcp-metrics';
import { McpService } from './mcp.service';

/** `/mcp`: Resync's agent tools for outside agents over the Model Context Protocol. */
@Module({
  controllers: [McpController],
  providers: [...mcpMetricProviders, McpMetrics, McpService],
})
export class McpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(McpRequestCounter).forRoutes(McpController);
  }
}
