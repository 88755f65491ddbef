import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Each part of the dashboard says whether it could be read; a missing or failing part never fails the whole. */
export class DashboardPartDto {
  @ApiProperty() available: boolean;
  @ApiPropertyOptional({ description: 'Why the part is unavailable' }) reason?: string;
}

export class CountsByStatusDto {
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ example: { SUCC: 10, ABEND: 2 }, type: 'object', additionalProperties: { type: 'number' } })
  by_status: Record<string, number>;
}

export class TwsSummaryDto extends DashboardPartDto {
  @ApiPropertyOptional({
    enum: ['simulator', 'hwa'],
    description: "Where the plan comes from: `simulator` is Resync's built-in simulator (an invented plan)",
  })
  source?: 'simulator' | 'hwa';
  @ApiPropertyOptional({ type: CountsByStatusDto }) workstations?: CountsByStatusDto;
  @ApiPropertyOptional({ type: CountsByStatusDto }) jobs?: CountsByStatusDto;
  @ApiPropertyOptional({ type: CountsByStatusDto }) critical_jobs?: CountsByStatusDto;
}

export class KnowledgeSummaryDto extends DashboardPartDto {
  @ApiPropertyOptional({ description: 'Memories waiting for review (flagged by the auditor)', example: 3 })
  flagged?: number;
  @ApiPropertyOptional({ description: 'Memories a reviewer trusted', example: 10 }) approved?: number;
  @ApiPropertyOptional({ description: 'Memories a reviewer removed from retrieval', example: 2 }) rejected?: number;
}

export class AuditSummaryDto extends DashboardPartDto {
  @ApiPropertyOptional({ example: 3 }) pending?: number;
  @ApiPropertyOptional({ example: 10 }) approved?: number;
  @ApiPropertyOptional({ example: 2 }) rejected?: number;
  @ApiPropertyOptional({ example: 15 }) total?: number;
}

export class ConnectionsSummaryDto extends DashboardPartDto {
  @ApiPropertyOptional({ description: 'Open chat WebSockets on the instance that built this summary', example: 4 })
  active?: number;
}

export class DashboardSummaryDto {
  @ApiProperty({ format: 'date-time' }) generated_at: string;
  @ApiProperty({ type: TwsSummaryDto }) tws: TwsSummaryDto;
  @ApiProperty({ type: KnowledgeSummaryDto }) knowledge: KnowledgeSummaryDto;
  @ApiProperty({ type: AuditSummaryDto }) audit: AuditSummaryDto;
  @ApiProperty({ type: ConnectionsSummaryDto }) connections: ConnectionsSummaryDto;
}
