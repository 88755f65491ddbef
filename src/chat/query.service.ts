import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { IAgentManager } from '../agents/agent-manager.port';
import { AgentRunner } from '../agents/agent-runner';
import type { Caller } from '../auth/caller';
import { DomainError } from '../common/errors/domain-error';
import { STATUS_BY_KIND } from '../common/errors/error-status';
import { AppConfig } from '../config/app-config';
import { QUERIES_TOTAL, QUERY_ERRORS_TOTAL, QUERY_LATENCY_SECONDS } from '../metrics/metric-names';
import type { QueryRequestDto, QueryResponseDto } from './dto/query.dto';
import { readImages } from './image-input';

/** `John Doe (john)`, `john`, or nothing: the Slack names the client sent. */
function askedBy({ user_name: name, user_real_name: realName }: QueryRequestDto): string | undefined {
  const handle = name?.trim();
  const real = realName?.trim();
  if (real && handle && real !== handle) return `${real} (${handle})`;
  return real || handle || undefined;
}

/** A run that failed: the error envelope (less the request id, which the controller adds) with `success: false`. */
export interface QueryFailure {
  success: false;
  error: string;
  message: string;
  statusCode: number;
}

export type QueryOutcome = { status: 200; body: QueryResponseDto } | { status: number; body: QueryFailure };

const failure = (statusCode: number, error: string): { status: number; body: QueryFailure } => ({
  status: statusCode,
  body: { success: false, error, message: error, statusCode },
});

/**
 * `POST /api/query` (the Knowledge Agent contract): the default agent answers with the thread as
 * context and the images attached. Bad input is thrown (the error envelope); a failed run is
 * answered with the envelope plus the seed's `success: false` (and `message`), with the status its
 * cause deserves.
 */
@Injectable()
export class QueryService {
  private readonly logger = new Logger(QueryService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly runner: AgentRunner,
    @Inject(IAgentManager) private readonly agents: IAgentManager,
    @InjectMetric(QUERIES_TOTAL) private readonly queries: Counter<string>,
    @InjectMetric(QUERY_ERRORS_TOTAL) private readonly errors: Counter<string>,
    @InjectMetric(QUERY_LATENCY_SECONDS) private readonly latency: Histogram<string>,
  ) {}

  async query(request: QueryRequestDto, caller: Caller, signal?: AbortSignal): Promise<QueryOutcome> {
    this.queries.inc();
    const stop = this.latency.startTimer();
    try {
      const outcome = await this.run(request, caller, signal);
      if (!outcome.body.success) this.errors.inc();
      return outcome;
    } catch (error) {
      this.errors.inc();
      throw error;
    } finally {
      stop();
    }
  }

  private async run(request: QueryRequestDto, caller: Caller, signal?: AbortSignal): Promise<QueryOutcome> {
    const { queryMaxImages, queryMaxImageBytes, queryMaxThreadMessages } = this.config.chat;
    // The most recent messages matter most; older ones are dropped rather than refused.
    const thread = queryMaxThreadMessages === 0 ? [] : (request.messages ?? []).slice(-queryMaxThreadMessages);
    const images = readImages([...(request.images ?? []), ...thread.flatMap((message) => message.images ?? [])], {
      maxImages: queryMaxImages,
      maxBytes: queryMaxImageBytes,
    });

    const agentId = this.config.agents.defaultAgentId;
    const agent = this.agents.getAgent(agentId);
    if (!agent) return failure(503, `The default agent "${agentId}" is not configured`);

    try {
      const final = await this.runner.complete(
        agent,
        {
          message: request.question.trim(),
          images,
          thread: thread.filter((m) => m.text?.trim()).map((m) => ({ user: m.user ?? 'unknown', text: m.text ?? '' })),
          askedBy: askedBy(request),
        },
        {
          caller,
          signal,
          channelId: request.channel_id,
          threadTs: request.thread_ts,
          slackUserId: request.slack_user_id,
          claimedIn: 'body',
        },
      );
      return {
        status: 200,
        body: { success: true, answer: final.answer, memories_used: final.memoriesUsed, tool_calls: final.toolCalls },
      };
    } catch (error) {
      if (error instanceof DomainError) return failure(STATUS_BY_KIND[error.kind], error.message);
      this.logger.error({ err: error }, 'Query failed');
      return failure(500, 'Internal server error');
    }
  }
}
