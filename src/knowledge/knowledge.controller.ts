import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { readScope } from '../auth/read-scope';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import {
  FeedbackDto,
  FeedbackResponseDto,
  MemoryMatchDto,
  SearchQueryDto,
  SearchResponseDto,
} from './dto/knowledge.dto';
import { IKnowledgeGraph } from './knowledge-graph.port';
import { KnowledgeError } from './knowledge.errors';

/** A memory id that is not even a UUID cannot exist: 404, like any other unknown id. */
const memoryIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new KnowledgeError('MEMORY_NOT_FOUND', 'Memory not found'),
});

@ApiTags('knowledge')
@Controller('api/knowledge')
export class KnowledgeController {
  constructor(@Inject(IKnowledgeGraph) private readonly knowledge: IKnowledgeGraph) {}

  @Post(':memory_id/feedback')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({ summary: 'Rate a memory (1–5) with a comment; highly rated memories rank higher' })
  @ApiParam({ name: 'memory_id', format: 'uuid' })
  @ApiOkResponse({ type: FeedbackResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'rating outside 1–5, feedback missing or with markup' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async feedback(
    @Param('memory_id', memoryIdPipe) memoryId: string,
    @Body() body: FeedbackDto,
  ): Promise<FeedbackResponseDto> {
    await this.knowledge.addSolutionFeedback(memoryId, body.feedback, body.rating);
    return { success: true, message: 'Feedback recorded', memory_id: memoryId };
  }

  @Get('search')
  @RequireRoles('read')
  // With EMBEDDING_MODEL set every search calls the embeddings model.
  @RateLimited()
  @ApiOperation({ summary: 'Hybrid search over memories (full text, and vectors when EMBEDDING_MODEL is set)' })
  @ApiOkResponse({ type: SearchResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async search(
    @Query() query: SearchQueryDto,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<SearchResponseDto> {
    const matches = await this.knowledge.searchSimilarIssues(
      query.q,
      query.limit ?? 5,
      readScope(caller, { slackUserId: query.slack_user_id, channelId: query.channel_id, from: 'query' }),
    );
    return { query: query.q, count: matches.length, results: matches.map((m) => MemoryMatchDto.from(m)) };
  }
}
