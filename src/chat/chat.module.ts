import { Module } from '@nestjs/common';
import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { AgentsModule } from '../agents/agents.module';
import {
  QUERIES_TOTAL,
  QUERY_ERRORS_TOTAL,
  QUERY_LATENCY_BUCKETS_SECONDS,
  QUERY_LATENCY_SECONDS,
  WS_CONNECTIONS,
  WS_MESSAGES_TOTAL,
} from '../metrics/metric-names';
import { ChatController } from './chat.controller';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { ConnectionManager } from './connection-manager';
import { IConnectionManager } from './connection-manager.port';
import { QueryController } from './query.controller';
import { QueryService } from './query.service';

/** WebSocket `/ws/{agent_id}`, `POST /api/chat` and `POST /api/query`. */
@Module({
  imports: [AgentsModule],
  controllers: [ChatController, QueryController],
  providers: [
    makeCounterProvider({ name: QUERIES_TOTAL, help: 'Total number of queries processed' }),
    makeCounterProvider({ name: QUERY_ERRORS_TOTAL, help: 'Total number of query errors' }),
    makeHistogramProvider({
      name: QUERY_LATENCY_SECONDS,
      help: 'Query latency in seconds',
      buckets: QUERY_LATENCY_BUCKETS_SECONDS,
    }),
    makeGaugeProvider({ name: WS_CONNECTIONS, help: 'Open WebSocket chat connections on this instance' }),
    makeCounterProvider({ name: WS_MESSAGES_TOTAL, help: 'WebSocket chat messages received' }),
    ConnectionManager,
    { provide: IConnectionManager, useExisting: ConnectionManager },
    ChatGateway,
    ChatService,
    QueryService,
  ],
  exports: [IConnectionManager],
})
export class ChatModule {}
