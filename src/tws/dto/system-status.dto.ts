import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class WorkstationStatusDto {
  @ApiProperty({ example: 'LNXFTA01' }) name: string;
  @ApiProperty({ example: 'LINKED', description: 'LINKED, or DOWN when HWA does not report it linked' }) status: string;
  @ApiProperty({ example: 'FTA' }) type: string;
  @ApiProperty({ description: 'HWA plan id of the workstation' }) id: string;
  @ApiProperty() linked: boolean;
  @ApiProperty({ type: [String], example: ['LINKED', 'RUNNING', 'JOBMAN_UP'] }) states: string[];
}

export class JobStatusDto {
  @ApiProperty({ example: 'BIL_RATE' }) name: string;
  @ApiProperty({ example: 'POOLBATCH' }) workstation: string;
  @ApiProperty({
    example: 'SUCC',
    description: 'HWA internal status: SUCC, ABEND, HOLD, READY, EXEC, WAIT, INTRO, FAIL, CANCL, ...',
  })
  status: string;
  @ApiProperty({ example: 'DAILY_BILLING' }) job_stream: string;
  @ApiProperty({ description: 'HWA plan id of the job (target of hold, release, kill, cancel)' }) id: string;
  @ApiPropertyOptional({ description: 'Id of the last run (target of rerun and of the job log)' }) run_id?: string;
  @ApiPropertyOptional({ example: 1042 }) job_number?: number;
  @ApiPropertyOptional({ example: 0 }) return_code?: number;
  @ApiProperty({ example: 'MASTER' }) job_stream_workstation: string;
  @ApiProperty() critical: boolean;
  @ApiProperty() late: boolean;
  @ApiPropertyOptional({ example: '2026-11-22T22:00:00.000Z' }) start_time?: string;
  @ApiPropertyOptional({ example: '2026-11-22T22:05:00.000Z' }) end_time?: string;
  @ApiPropertyOptional({ description: 'Held by an operator (not merely waiting)' }) held?: boolean;
  @ApiPropertyOptional({ description: 'Latest start that keeps the critical path on time' }) critical_start?: string;
  @ApiPropertyOptional({ description: 'The deadline HWA holds for the job' }) deadline?: string;
  @ApiPropertyOptional({ example: 600, description: "HWA's estimate of the run's duration" })
  estimated_duration_seconds?: number;
  @ApiPropertyOptional({ description: 'The run has gone past its maximum duration' }) max_duration_gone?: boolean;
}

export class CriticalJobDto {
  @ApiProperty({ example: 1042, description: 'Job number of the last run' }) job_id: number;
  @ApiProperty({ example: 'BIL_INVOICE' }) job_name: string;
  @ApiProperty({ example: 'EXEC' }) status: string;
  @ApiProperty({ example: '2026-11-22T22:00:00.000Z' }) start_time: string;
  @ApiProperty() id: string;
  @ApiProperty({ example: 'DAILY_BILLING' }) job_stream: string;
  @ApiProperty({ example: 'POOLBATCH' }) workstation: string;
  @ApiPropertyOptional() critical_start?: string;
  @ApiProperty() late: boolean;
}

export class SystemStatusDto {
  @ApiProperty({ type: [WorkstationStatusDto] }) workstations: WorkstationStatusDto[];
  @ApiProperty({ type: [JobStatusDto] }) jobs: JobStatusDto[];
  @ApiProperty({ type: [CriticalJobDto] }) critical_jobs: CriticalJobDto[];
  @ApiProperty({ description: 'When HWA was read for this answer' }) as_of: string;
  @ApiProperty({ description: 'True when HWA is failing and this is the last good copy' }) stale: boolean;
  @ApiPropertyOptional({ description: 'Why the answer is stale' }) stale_reason?: string;
  @ApiProperty({
    enum: ['simulator', 'hwa'],
    description: "Where the plan comes from: `simulator` is Resync's built-in simulator (an invented plan)",
  })
  source: 'simulator' | 'hwa';
}

export class TwsHealthDto {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ example: 'Conexão com o TWS bem-sucedida.' }) message: string;
  @ApiProperty({
    enum: ['simulator', 'hwa'],
    description: "What answered: `simulator` is Resync's built-in simulator, not a real HWA master",
  })
  source: 'simulator' | 'hwa';
}
