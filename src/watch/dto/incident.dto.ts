import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { OffsetQueryDto } from '../../common/dto/offset-query.dto';
import {
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  type IncidentDetails,
  type IncidentKind,
  type IncidentStatus,
} from '../incident';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;
export const MAX_NOTE_CHARS = 4_000;
const STATUS_FILTERS = [...INCIDENT_STATUSES, 'all'] as const;

export class ListIncidentsQueryDto extends OffsetQueryDto {
  @ApiPropertyOptional({ enum: STATUS_FILTERS, default: 'all' })
  @IsOptional()
  @IsIn(STATUS_FILTERS, { message: `status must be one of ${STATUS_FILTERS.join(', ')}` })
  status?: IncidentStatus | 'all';

  @ApiPropertyOptional({ enum: INCIDENT_KINDS })
  @IsOptional()
  @IsIn(INCIDENT_KINDS, { message: `kind must be one of ${INCIDENT_KINDS.join(', ')}` })
  kind?: IncidentKind;

  @ApiPropertyOptional({ type: 'integer', default: DEFAULT_PAGE, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;
}

export class IncidentIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be an incident id (a UUID)' })
  id: string;
}

export class StreamQueryDto {
  @ApiPropertyOptional({
    description: 'Replay the events after this one first (as the `Last-Event-ID` header does on a reconnect)',
    example: '42',
    pattern: '^\\d{1,15}$',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'after must be an event id (a whole number)' })
  after?: string;
}

export class ResolveIncidentDto {
  @ApiPropertyOptional({
    description:
      'What fixed it; kept as a memory linked to the incident, brought by the next incident of the same thing',
    maxLength: MAX_NOTE_CHARS,
    example: 'The bank SFTP password had expired; rotated it in the vault and reran PAY_BANK_FILE.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_CHARS)
  note?: string;
}

export class CriticalJobAtRiskDto {
  @ApiProperty({ example: 'MASTER#PAYROLL.PAY_BANK_FILE' }) job: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deadline: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 42, description: 'Negative once the deadline has passed' })
  minutes_left: number | null;
}

export class ImpactDto {
  @ApiProperty({ type: [String], example: ['MASTER#PAYROLL.PAY_BANK_FILE'], description: 'Nearest first' })
  blocked_jobs: string[];
  @ApiProperty({ type: [CriticalJobAtRiskDto] }) critical_jobs: CriticalJobAtRiskDto[];
  @ApiProperty({ description: 'The walk stopped at its depth or count bound: more may be blocked' })
  truncated: boolean;
}

export class IncidentMemoryDto {
  @ApiProperty() id: string;
  @ApiProperty() content: string;
  @ApiProperty({ enum: ['active', 'approved'] }) status: string;
  @ApiProperty({ nullable: true, type: Number, minimum: 1, maximum: 5 }) rating: number | null;
}

export class IncidentDetailsDto implements IncidentDetails {
  @ApiPropertyOptional({ description: 'HWA plan id of the job or workstation' }) plan_id?: string;
  @ApiPropertyOptional({ example: 'ABEND' }) status?: string;
  @ApiPropertyOptional({ example: 12 }) return_code?: number;
  @ApiPropertyOptional() run_id?: string;
  @ApiPropertyOptional({ example: 1042 }) job_number?: number;
  @ApiPropertyOptional({ example: 'WINFTA01' }) workstation?: string;
  @ApiPropertyOptional({ format: 'date-time' }) started_at?: string;
  @ApiPropertyOptional({ format: 'date-time' }) deadline?: string;
  @ApiPropertyOptional({ description: 'critical_at_risk: the failed or held predecessor' }) cause?: string;
  @ApiPropertyOptional() running_minutes?: number;
  @ApiPropertyOptional() estimated_minutes?: number;
}

export class IncidentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind: IncidentKind;
  @ApiProperty({ example: 'MASTER#PAYROLL.PAY_CALC', description: "The job's WS#STREAM.JOB or the workstation" })
  object: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status: IncidentStatus;
  @ApiProperty({ format: 'date-time' }) opened_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({
    example: 'MASTER#PAYROLL.PAY_CALC ended in ABEND with return code 12 on WINFTA01; it blocks 2 job(s).',
  })
  summary: string;
  @ApiProperty({ type: ImpactDto }) impact: ImpactDto;
  @ApiProperty({ nullable: true, type: String, description: 'The last lines of the job log' }) log_tail: string | null;
  @ApiProperty({ type: [IncidentMemoryDto], description: 'Approved and well-rated first' })
  memories: IncidentMemoryDto[];
  @ApiProperty() next_step: string;
  @ApiProperty({ type: IncidentDetailsDto }) details: IncidentDetailsDto;
  @ApiProperty({ nullable: true, type: String }) acknowledged_by: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) acknowledged_at: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A caller id, or `recovered`' }) resolved_by: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) resolved_at: string | null;
  @ApiProperty({ nullable: true, type: String }) resolution_note: string | null;
  @ApiProperty({ nullable: true, type: String }) resolution_memory_id: string | null;
}

export class IncidentPageDto {
  @ApiProperty({ example: 1, description: 'Incidents matching the filter' }) count: number;
  @ApiProperty({ type: [IncidentDto] }) results: IncidentDto[];
}
