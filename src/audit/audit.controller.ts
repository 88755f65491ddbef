import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { AuditService } from './audit.service';
import { AuditFlagDto, AuditMetricsDto, ListFlagsQueryDto, ReviewActionDto, ReviewResultDto } from './dto/audit.dto';

/** Open mode (no credentials configured) has no guard to resolve a caller. */
const ANONYMOUS_REVIEWER = 'unauthenticated';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('flags')
  @RequireRoles('read')
  @ApiOperation({ summary: 'Flagged memories for human review, newest first' })
  @ApiOkResponse({ type: [AuditFlagDto] })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async flags(@Query() query: ListFlagsQueryDto): Promise<AuditFlagDto[]> {
    return (await this.audit.list(query)).map(AuditFlagDto.from);
  }

  @Post('review')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({
    summary: 'Approve (trust) or reject (never retrieve again) a flagged memory; the first decision is final',
  })
  @ApiOkResponse({ type: ReviewResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No flag for this memory' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already decided the other way' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async review(@Body() body: ReviewActionDto, @CurrentCaller() caller: Caller | undefined): Promise<ReviewResultDto> {
    const { flag, changed } = await this.audit.review(body.memory_id, body.action, caller?.id ?? ANONYMOUS_REVIEWER);
    return {
      memory_id: flag.memoryId,
      status: flag.status,
      reviewer: flag.reviewer,
      reviewed_at: flag.reviewedAt,
      changed,
    };
  }

  @Get('metrics')
  @RequireRoles('read')
  @ApiOperation({ summary: 'How many flags are pending, approved and rejected' })
  @ApiOkResponse({ type: AuditMetricsDto })
  metrics(): Promise<AuditMetricsDto> {
    return this.audit.metrics();
  }
}
