import { Module } from '@nestjs/common';
import { ToolRegistry } from '../agents/tools/tool-registry';
import { ChatModule } from '../chat/chat.module';
import { TwsModule } from '../tws/tws.module';
import { DependencyWalker } from './dependency-walker';
import { IncidentAnnouncer } from './incident-announcer';
import { IncidentEnricher } from './incident-enricher';
import { IncidentEventHub } from './incident-event-hub';
import { IIncidentFeed } from './incident-feed.port';
import { IncidentRepository } from './incident.repository';
import { IncidentService } from './incident.service';
import { IncidentWatcher } from './incident-watcher';
import { IncidentsController } from './incidents.controller';
import { ListIncidentsTool } from './list-incidents.tool';
import { WatchMetrics, watchMetricProviders } from './watch.metrics';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSender } from './webhook-sender';

/** The incident watch: the leader's watcher, incidents and their enrichment, delivery (chats, SSE, webhooks), `/api/incidents`. */
@Module({
  imports: [TwsModule, ChatModule],
  controllers: [IncidentsController],
  providers: [
    ...watchMetricProviders,
    WatchMetrics,
    IncidentRepository,
    DependencyWalker,
    IncidentEnricher,
    IncidentEventHub,
    WebhookSender,
    WebhookOutbox,
    IncidentAnnouncer,
    IncidentService,
    { provide: IIncidentFeed, useExisting: IncidentService },
    IncidentWatcher,
    ListIncidentsTool,
  ],
  exports: [IIncidentFeed],
})
export class WatchModule {
  /** Registered as soon as the module exists, so the tool is there before agents.json is loaded. */
  constructor(registry: ToolRegistry, tool: ListIncidentsTool) {
    registry.register(tool);
  }
}
