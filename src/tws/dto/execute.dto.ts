import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { COMMAND_GRAMMAR, JOB_VERBS, STREAM_VERBS } from '../execute/command-grammar';
import type { OperatorAction } from '../execute/operator-action.repository';
import type { CommandOutcome } from '../execute/operator-command.service';
import { JobStatusDto } from './system-status.dto';
import { OffsetQueryDto } from '../../common/dto/offset-query.dto';

/** Well above the grammar's own limit, which answers with the grammar; this only bounds the body. */
const MAX_RAW_COMMAND_LENGTH = 10_000;
const NAME = '[A-Za-z0-9_-]';
const JOB_TARGET = `(?:${NAME}{1,16}#${NAME}{1,16}\\.${NAME}{1,40}|[A-Za-z0-9]${NAME}{0,63})`;
/** The grammar as a pattern, for clients (verbs in lower case; the server also accepts them in any case). */
const COMMAND_PATTERN = `^(?:(?:${JOB_VERBS.join('|')}) ${JOB_TARGET}|(?:${STREAM_VERBS.join('|')}) stream ${NAME}{1,16}#${NAME}{1,16})$`;
export const ACTIONS_DEFAULT_PAGE_SIZE = 50;
export const ACTIONS_MAX_PAGE_SIZE = 200;

/** The seed's ExecuteRequest. */
export class ExecuteRequestDto {
  @ApiProperty({
    example: 'hold MASTER#PAYROLL.PAY_CALC',
    description: `Accepted grammar: ${COMMAND_GRAMMAR}`,
    pattern: COMMAND_PATTERN,
  })
  @IsString({ message: `command must be a string. Accepted grammar: ${COMMAND_GRAMMAR}` })
  @MaxLength(MAX_RAW_COMMAND_LENGTH, { message: `command is too long. Accepted grammar: ${COMMAND_GRAMMAR}` })
  command: string;
}

export class JobStreamStatusDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'PAYROLL' }) name: string;
  @ApiProperty({ example: 'MASTER' }) workstation: string;
  @ApiProperty({ example: 'HOLD' }) status: string;
  @ApiPropertyOptional() sched_time?: string;
}

export class OperatorActionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ops-admin', description: 'Who ran the command (the caller id)' }) caller: string;
  @ApiProperty({ example: 'api-key' }) caller_via: string;
  @ApiProperty({ example: 'hold MASTER#PAYROLL.PAY_CALC', description: 'The command in canonical form' })
  command: string;
  @ApiProperty({ example: 'hold' }) verb: string;
  @ApiProperty({ enum: ['job', 'stream'] }) scope: 'job' | 'stream';
  @ApiProperty({ example: 'MASTER#PAYROLL.PAY_CALC', description: 'The target as named in the command' })
  target: string;
  @ApiProperty({ nullable: true, type: String, description: 'HWA plan id the target resolved to' }) target_id:
    string | null;
  @ApiProperty({
    enum: ['pending', 'ok', 'error'],
    description: '`pending` while HWA has not answered (or its answer could not be recorded)',
  })
  outcome: 'pending' | 'ok' | 'error';
  @ApiProperty({
    example: 'The job MASTER#PAYROLL.PAY_CALC has been put on hold.',
    description: "HWA's answer, or the error",
  })
  message: string;
  @ApiProperty({ nullable: true, type: String, example: null }) error_code: string | null;
  @ApiProperty({ format: 'date-time' }) executed_at: string;

  static from(action: OperatorAction): OperatorActionDto {
    return {
      id: action.id,
      caller: action.callerId,
      caller_via: action.callerVia,
      command: action.command,
      verb: action.verb,
      scope: action.scope,
      target: action.target,
      target_id: action.targetId,
      outcome: action.outcome,
      message: action.message,
      error_code: action.errorCode,
      executed_at: action.createdAt,
    };
  }
}

export class ExecuteResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({
    type: OperatorActionDto,
    description: 'The record of this command (also in GET /api/admin/tws-actions)',
  })
  action: OperatorActionDto;
  @ApiPropertyOptional({ type: JobStatusDto, description: 'The job as HWA shows it after the command' })
  job?: JobStatusDto;
  @ApiPropertyOptional({ type: JobStreamStatusDto, description: 'The job stream as HWA shows it after the command' })
  job_stream?: JobStreamStatusDto;
  @ApiPropertyOptional({ description: '`log <job>`: the last TWS_LOG_TAIL_LINES lines of the last run' }) log?: string;

  static from(outcome: CommandOutcome): ExecuteResponseDto {
    return {
      success: true,
      action: OperatorActionDto.from(outcome.action),
      ...(outcome.job && { job: outcome.job }),
      ...(outcome.jobStream && { job_stream: outcome.jobStream }),
      ...(outcome.log !== undefined && { log: outcome.log }),
    };
  }
}

export class ActionsQueryDto extends OffsetQueryDto {
  @ApiPropertyOptional({
    default: ACTIONS_DEFAULT_PAGE_SIZE,
    minimum: 1,
    maximum: ACTIONS_MAX_PAGE_SIZE,
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(ACTIONS_MAX_PAGE_SIZE)
  limit?: number;
}

export class OperatorActionPageDto {
  @ApiProperty({ example: 120, description: 'Commands recorded in all' }) total: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ example: 0 }) offset: number;
  @ApiProperty({ type: [OperatorActionDto], description: 'Newest first' }) actions: OperatorActionDto[];
}
