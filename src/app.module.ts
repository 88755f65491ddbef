import { type DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AuditModule } from './audit/audit.module';
import { CacheModule } from './cache/cache.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';
import { WebModule } from './web/web.module';
import { ToolRegistryModule } from './agents/tools/tool-registry.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { ChatModule } from './chat/chat.module';
import { LlmModule } from './llm/llm.module';
import { AuthModule } from './auth/auth.module';
import { SecurityModule } from './security/security.module';
import { TwsModule } from './tws/tws.module';
import { McpModule } from './mcp/mcp.module';
import { WatchModule } from './watch/watch.module';

export interface AppModuleOptions {
  config: AppConfig;
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot({ config, logDestination }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logDestination),
        MetricsModule,
        DatabaseModule,
        RedisModule,
        CacheModule,
        AuthModule,
        SecurityModule,
        ToolRegistryModule,
        KnowledgeModule,
        HealthModule,
        AuditModule,
        TwsModule,
        WebModule,
        IngestionModule,
        LlmModule.forRoot(config),
        ChatModule,
        McpModule,
        WatchModule,
      ],
    };
  }
}
