import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import type { ScreenedKind } from '../audit-queue.port';
import type { AuditFlag, FlagCounts, FlagStatus, ReviewDecision } from '../audit-flag';
import { OffsetQueryDto } from '../../common/dto/offset-query.dto';

/** Memory ids are ours (UUIDs) or the seed's style (`mem_123`): never free text. */
const MEMORY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const MAX_MEMORY_ID_LENGTH = 200;
/** Well above any configured AUDIT_QUERY_MAX_LENGTH; the service enforces the configured value. */
const MAX_QUERY_FIELD_LENGTH = 10_000;

export class ListFlagsQueryDto extends OffsetQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected', 'all'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected', 'all'], {
    message: 'status must be one of pending, approved, rejected, all',
  })
  status?: FlagStatus | 'all';

  @ApiPropertyOptional({
    description: 'Case-insensitive text to find in the question or the answer (AUDIT_QUERY_MAX_LENGTH)',
    maxLength: MAX_QUERY_FIELD_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_QUERY_FIELD_LENGTH)
  query?: string;

  @ApiPropertyOptional({
    description: 'Page size (AUDIT_PAGE_SIZE by default, never more than AUDIT_MAX_PAGE_SIZE)',
    minimum: 1,
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  limit?: number;
}

export class ReviewActionDto {
  @ApiProperty({
    example: 'mem_123',
    description: 'The flagged memory',
    minLength: 1,
    maxLength: MAX_MEMORY_ID_LENGTH,
    pattern: MEMORY_ID.source,
  })
  @IsString()
  @Length(1, MAX_MEMORY_ID_LENGTH)
  @Matches(MEMORY_ID, { message: 'memory_id must be letters, digits, dot, colon, dash or underscore' })
  memory_id: string;

  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: 'action must be approve or reject' })
  action: ReviewDecision;
}

export class AuditFlagDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'mem_123' }) memory_id: string;
  @ApiProperty({ enum: ['conversation', 'thread', 'document', 'fact', 'note'], example: 'conversation' })
  memory_kind: ScreenedKind;
  @ApiProperty({ example: 'tws-specialist', description: "The agent that answered; '' for memories no agent wrote" })
  agent_id: string;
  @ApiProperty({ description: 'The question; for other kinds, where the memory comes from (redacted)' })
  user_query: string;
  @ApiProperty({ description: 'The answer; for other kinds, the memory’s text (redacted)' })
  agent_response: string;
  @ApiProperty({ example: 'The answer suggests a destructive command (rm -rf)' }) reason: string;
  @ApiProperty({ example: ['destructive_command'], type: [String] }) rules: string[];
  @ApiProperty({ example: 0.9, minimum: 0, maximum: 1 }) confidence: number;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status: FlagStatus;
  @ApiProperty({ nullable: true, type: String, example: 'slack-bridge' }) reviewer: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) reviewed_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;

  static from(flag: AuditFlag): AuditFlagDto {
    return {
      id: flag.id,
      memory_id: flag.memoryId,
      memory_kind: flag.memoryKind,
      agent_id: flag.agentId,
      user_query: flag.userQuery,
      agent_response: flag.agentResponse,
      reason: flag.reason,
      rules: flag.rules,
      confidence: flag.confidence,
      status: flag.status,
      reviewer: flag.reviewer,
      reviewed_at: flag.reviewedAt,
      created_at: flag.createdAt,
    };
  }
}

export class ReviewResultDto {
  @ApiProperty({ example: 'mem_123' }) memory_id: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) status: FlagStatus;
  @ApiProperty({ example: 'slack-bridge' }) reviewer: string | null;
  @ApiProperty({ format: 'date-time' }) reviewed_at: string | null;
  @ApiProperty({ description: 'False when this decision had already been taken' }) changed: boolean;
}

export class AuditMetricsDto implements FlagCounts {
  @ApiProperty({ example: 3 }) pending: number;
  @ApiProperty({ example: 10 }) approved: number;
  @ApiProperty({ example: 2 }) rejected: number;
  @ApiProperty({ example: 15 }) total: number;
}
