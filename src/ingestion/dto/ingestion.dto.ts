import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { UploadReceipt } from '../file-ingestor.port';
import { type IngestJob, JOB_STATUSES, type JobStatus, type StoredFileInfo } from '../ingestion.repository';

/** Pages are bounded: a listing never loads the whole table. */
export const MAX_PAGE_SIZE = 200;

export class UploadFormDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The document: PDF, DOCX, XLSX, or UTF-8 TXT/MD/CSV' })
  file: unknown;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

export class JobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;
}

export class IngestJobDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'runbook.pdf' })
  filename: string;

  @ApiProperty({ description: 'SHA-256 of the file, hex' })
  sha256: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status: JobStatus;

  @ApiProperty({ description: 'Chunks indexed, once done', nullable: true, type: Number })
  chunks: number | null;

  @ApiProperty({ description: 'Why the last attempt failed', nullable: true, type: String })
  error: string | null;

  @ApiProperty({ description: 'Attempts started so far' })
  attempts: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  started_at: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finished_at: string | null;
}

export class UploadResponseDto {
  @ApiProperty({ example: 'document.pdf', description: 'The sanitised name the file is stored and served under' })
  filename: string;

  @ApiProperty({ example: 'application/pdf', description: 'The type read from the bytes' })
  content_type: string;

  @ApiProperty({ example: 'File uploaded successfully and queued for ingestion.' })
  message: string;

  @ApiProperty({ format: 'uuid' })
  job_id: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status: JobStatus;

  @ApiProperty()
  sha256: string;

  @ApiProperty()
  size_bytes: number;

  @ApiProperty({ description: 'True when the same bytes were uploaded before; the existing job is returned' })
  duplicate: boolean;
}

export class StoredFileDto {
  @ApiProperty({ example: 'document.pdf' })
  name: string;

  @ApiProperty({ example: 'application/pdf' })
  content_type: string;

  @ApiProperty()
  size_bytes: number;

  @ApiProperty()
  sha256: string;

  @ApiProperty({ format: 'date-time' })
  uploaded_at: string;

  @ApiProperty({ description: 'Caller that uploaded it', nullable: true, type: String, example: 'root-agent' })
  uploaded_by: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  job_id: string | null;

  @ApiProperty({ enum: JOB_STATUSES, nullable: true })
  status: JobStatus | null;
}

export const SEED_UPLOAD_MESSAGE = 'File uploaded successfully and queued for ingestion.';
const DUPLICATE_UPLOAD_MESSAGE = 'This file was uploaded before; its existing ingestion job is returned.';

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

export function toJobDto(job: IngestJob): IngestJobDto {
  return {
    id: job.id,
    filename: job.filename,
    sha256: job.sha256,
    status: job.status,
    chunks: job.chunks,
    error: job.error,
    attempts: job.attempts,
    created_at: new Date(job.createdAt).toISOString(),
    updated_at: new Date(job.updatedAt).toISOString(),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
  };
}

export function toUploadDto(receipt: UploadReceipt): UploadResponseDto {
  return {
    filename: receipt.filename,
    content_type: receipt.contentType,
    message: receipt.duplicate ? DUPLICATE_UPLOAD_MESSAGE : SEED_UPLOAD_MESSAGE,
    job_id: receipt.job.id,
    status: receipt.job.status,
    sha256: receipt.sha256,
    size_bytes: receipt.sizeBytes,
    duplicate: receipt.duplicate,
  };
}

export function toStoredFileDto(file: StoredFileInfo): StoredFileDto {
  return {
    name: file.filename,
    content_type: file.contentType,
    size_bytes: file.sizeBytes,
    sha256: file.sha256,
    uploaded_at: new Date(file.createdAt).toISOString(),
    uploaded_by: file.uploadedBy,
    job_id: file.jobId,
    status: file.jobStatus,
  };
}
