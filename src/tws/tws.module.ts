import { Inject, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ToolRegistry } from '../agents/tools/tool-registry';
import { CacheModule } from '../cache/cache.module';
import { AppConfig } from '../config/app-config';
import { ExecuteController } from './execute/execute.controller';
import { OperatorActionRepository } from './execute/operator-action.repository';
import { OperatorCommandService } from './execute/operator-command.service';
import { withPlanSourceNote } from './tools/plan-source-note';
import { TwsDiagnoseJobTool } from './tools/tws-diagnose-job.tool';
import { TwsExecuteCommandTool } from './tools/tws-execute-command.tool';
import { TwsJobLogTool } from './tools/tws-job-log.tool';
import { TwsStatusTool } from './tools/tws-status.tool';
import { TwsTroubleshootingTool } from './tools/tws-troubleshooting.tool';
import { ITWSClient } from './tws-client.port';
import { TwsHealthController, TwsHealthIndicator } from './tws-health';
import { TwsJobsService } from './tws-jobs.service';
import { TwsMetrics, twsMetricProviders } from './tws-metrics';
import { TwsStatusController } from './tws-status.controller';
import { TwsStatusService } from './tws-status.service';
import { TwsUpstream } from './tws-upstream';

@Module({
  imports: [CacheModule.forFeature('tws'), TerminusModule],
  controllers: [TwsStatusController, TwsHealthController, ExecuteController],
  providers: [
    ...twsMetricProviders,
    TwsMetrics,
    {
      provide: TwsUpstream,
      inject: [AppConfig, TwsMetrics],
      useFactory: (config: AppConfig, metrics: TwsMetrics) => TwsUpstream.open(config.tws, metrics),
    },
    { provide: ITWSClient, inject: [TwsUpstream], useFactory: (upstream: TwsUpstream) => upstream.client },
    TwsStatusService,
    TwsJobsService,
    OperatorActionRepository,
    OperatorCommandService,
    TwsHealthIndicator,
    TwsStatusTool,
    TwsTroubleshootingTool,
    TwsJobLogTool,
    TwsDiagnoseJobTool,
    TwsExecuteCommandTool,
  ],
  exports: [ITWSClient, TwsStatusService],
})
export class TwsModule {
  /** Registered as soon as the module exists, so the tools are there before any hook runs. */
  constructor(
    registry: ToolRegistry,
    @Inject(TwsStatusTool) statusTool: TwsStatusTool,
    @Inject(TwsTroubleshootingTool) troubleshootingTool: TwsTroubleshootingTool,
    @Inject(TwsJobLogTool) jobLogTool: TwsJobLogTool,
    @Inject(TwsDiagnoseJobTool) diagnoseJobTool: TwsDiagnoseJobTool,
    @Inject(TwsExecuteCommandTool) executeCommandTool: TwsExecuteCommandTool,
    @Inject(TwsStatusService) status: TwsStatusService,
  ) {
    for (const tool of [statusTool, troubleshootingTool, jobLogTool, diagnoseJobTool, executeCommandTool])
      registry.register(withPlanSourceNote(tool, status));
  }
}
