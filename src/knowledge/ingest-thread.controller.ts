import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { IngestThreadDto, IngestThreadResponseDto } from './dto/ingest-thread.dto';
import { IKnowledgeGraph } from './knowledge-graph.port';
import { MemoryWriteGate } from './memory-write-gate';

@ApiTags('knowledge')
@Controller('api')
export class IngestThreadController {
  constructor(
    @Inject(IKnowledgeGraph) private readonly knowledge: IKnowledgeGraph,
    private readonly writes: MemoryWriteGate,
  ) {}

  @Post('ingest-thread')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({ summary: 'Ingest a Slack thread; re-ingesting the same thread replaces its memories' })
  @ApiOkResponse({ type: IngestThreadResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: '`thread_ts and channel_id are required`, empty messages, a bound exceeded',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The caller may not save memories' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Messages larger than INGEST_MAX_TOTAL_BYTES' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async ingest(@Body() body: IngestThreadDto, @CurrentCaller() caller?: Caller): Promise<IngestThreadResponseDto> {
    const who = this.writes.check(caller);
    const messages = body.messages.map((m) => ({
      user: m.user ?? '',
      text: m.text,
      ts: m.ts ?? '',
      type: m.type,
      images: m.images?.map((image) => ({ name: image.name, mimeType: image.mime_type, data: image.data })),
    }));
    const saved = await this.knowledge.addThread(body.channel_id, body.thread_ts, messages, {
      callerId: who.id,
      slackUserId: who.slackUserId,
    });
    return { success: true, message: 'Thread ingested successfully', memories_saved: saved };
  }
}
