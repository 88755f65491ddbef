import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NoMarkup } from '../../common/validation/no-markup';
import type { MemoryKind, MemoryMatch, MemoryStatus } from '../knowledge-graph.port';

const SCOPE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const RATING_MESSAGE = 'rating must be an integer from 1 to 5';

export class FeedbackDto {
  @ApiProperty({ example: 'Worked: re-running with the fixed path solved it', maxLength: 4000 })
  @IsString({ message: 'feedback is required' })
  @MaxLength(4000)
  @NoMarkup()
  feedback: string;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5, type: 'integer' })
  @IsInt({ message: RATING_MESSAGE })
  @Min(1, { message: RATING_MESSAGE })
  @Max(5, { message: RATING_MESSAGE })
  rating: number;
}

export class FeedbackResponseDto {
  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({ example: 'Feedback recorded' })
  message: string;

  @ApiProperty({ format: 'uuid' })
  memory_id: string;
}

export class SearchQueryDto {
  @ApiProperty({ description: 'What to look for', example: 'job ABEND RC 12', maxLength: 1000, minLength: 1 })
  @IsString({ message: 'q is required' })
  @MinLength(1, { message: 'q is required' })
  @MaxLength(1000)
  @NoMarkup()
  q: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    default: 5,
    description: 'Capped at KNOWLEDGE_SEARCH_MAX_LIMIT',
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Channel scope (KNOWLEDGE_SCOPE=channel)', pattern: SCOPE_ID.source })
  @IsOptional()
  @Matches(SCOPE_ID)
  channel_id?: string;

  @ApiPropertyOptional({ description: 'User scope (KNOWLEDGE_SCOPE=user)', pattern: SCOPE_ID.source })
  @IsOptional()
  @Matches(SCOPE_ID)
  slack_user_id?: string;
}

export class ProvenanceDto {
  @ApiPropertyOptional() channel_id?: string;
  @ApiPropertyOptional() thread_ts?: string;
  @ApiPropertyOptional() source_file?: string;
  @ApiPropertyOptional() chunk_index?: number;
  @ApiPropertyOptional() caller_id?: string;
  @ApiPropertyOptional() slack_user_id?: string;
}

export class MemoryMatchDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['conversation', 'thread', 'document', 'fact'] }) kind: MemoryKind;
  @ApiProperty() content: string;
  @ApiPropertyOptional() user_query?: string;
  @ApiPropertyOptional() agent_response?: string;
  @ApiPropertyOptional() agent_id?: string;
  @ApiProperty({ enum: ['active', 'flagged', 'approved'] }) status: MemoryStatus;
  @ApiPropertyOptional() feedback?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) rating?: number;
  @ApiProperty({ description: 'Higher is more relevant; comparable within one search' }) score: number;
  @ApiProperty({ type: ProvenanceDto }) provenance: ProvenanceDto;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;

  static from(match: MemoryMatch): MemoryMatchDto {
    const p = match.provenance;
    return {
      id: match.id,
      kind: match.kind,
      content: match.content,
      user_query: match.userQuery,
      agent_response: match.agentResponse,
      agent_id: match.agentId,
      status: match.status,
      feedback: match.feedback,
      rating: match.rating,
      score: match.score,
      provenance: {
        channel_id: p.channelId,
        thread_ts: p.threadTs,
        source_file: p.sourceFile,
        chunk_index: p.chunkIndex,
        caller_id: p.callerId,
        slack_user_id: p.slackUserId,
      },
      created_at: match.createdAt,
      updated_at: match.updatedAt,
    };
  }
}

export class SearchResponseDto {
  @ApiProperty() query: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [MemoryMatchDto] }) results: MemoryMatchDto[];
}
