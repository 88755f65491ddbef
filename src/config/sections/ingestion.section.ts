import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ConfigRuleError } from '../config.errors';
import { ToByteSize, ToInt, ToList } from '../env-transforms';

/** Every document kind the parsers understand. */
export const DOCUMENT_KINDS = ['pdf', 'docx', 'xlsx', 'txt', 'md', 'csv'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export class IngestionEnv {
  @IsOptional()
  @ToByteSize()
  @IsInt({ message: 'must be a size such as 20mb, 512kb or a number of bytes' })
  @Min(1024)
  @Max(1024 ** 3)
  UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

  @IsOptional()
  @ToList()
  @IsIn(DOCUMENT_KINDS, { each: true, message: `each type must be one of ${DOCUMENT_KINDS.join(', ')}` })
  UPLOAD_ALLOWED_TYPES: DocumentKind[] = [...DOCUMENT_KINDS];

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(100_000)
  CHUNK_SIZE = 1000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(50_000)
  CHUNK_OVERLAP = 200;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  INGEST_MAX_CHUNKS = 5000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(32)
  INGEST_WORKER_CONCURRENCY = 1;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(5)
  @Max(86_400)
  INGEST_LEASE_SECONDS = 60;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(600_000)
  INGEST_POLL_INTERVAL_MS = 1000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  INGEST_MAX_ATTEMPTS = 3;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  INGEST_PARSE_TIMEOUT_MS = 120_000;

  @IsOptional()
  @ToByteSize()
  @IsInt({ message: 'must be a size such as 256mb or a number of bytes' })
  @Min(1024 * 1024)
  @Max(4 * 1024 ** 3)
  INGEST_MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  INGEST_MAX_PAGES = 2000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1000)
  @Max(500_000_000)
  INGEST_MAX_CHARS = 10_000_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  INGEST_MAX_ROWS = 100_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  INGEST_MAX_CELLS = 1_000_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(32)
  @Max(16_384)
  INGEST_PARSE_MAX_HEAP_MB = 128;
}

export interface IngestionSettings {
  uploadMaxBytes: number;
  allowedTypes: readonly DocumentKind[];
  chunkSize: number;
  chunkOverlap: number;
  maxChunks: number;
  /** Jobs one instance works at once; 0 = this instance only accepts uploads. */
  workerConcurrency: number;
  leaseSeconds: number;
  pollIntervalMs: number;
  maxAttempts: number;
  parseTimeoutMs: number;
  /** Most a DOCX/XLSX archive may unpack to: its directory's claim at upload, the bytes inflated while parsing. */
  maxUnpackedBytes: number;
  /** Pages of one PDF. */
  maxPages: number;
  /** Characters of text one document may yield. */
  maxChars: number;
  /** Spreadsheet rows, all sheets together. */
  maxRows: number;
  /** Spreadsheet cells (and shared strings), all sheets together. */
  maxCells: number;
  /** Old-generation heap of the thread that parses one document. */
  parseMaxHeapMb: number;
}

export function buildIngestionSettings(env: IngestionEnv): IngestionSettings {
  if (env.CHUNK_OVERLAP >= env.CHUNK_SIZE)
    throw new ConfigRuleError('CHUNK_OVERLAP', 'must be smaller than CHUNK_SIZE');
  if (env.UPLOAD_ALLOWED_TYPES.length === 0)
    throw new ConfigRuleError('UPLOAD_ALLOWED_TYPES', 'must list at least one type');
  return {
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    allowedTypes: [...new Set(env.UPLOAD_ALLOWED_TYPES)],
    chunkSize: env.CHUNK_SIZE,
    chunkOverlap: env.CHUNK_OVERLAP,
    maxChunks: env.INGEST_MAX_CHUNKS,
    workerConcurrency: env.INGEST_WORKER_CONCURRENCY,
    leaseSeconds: env.INGEST_LEASE_SECONDS,
    pollIntervalMs: env.INGEST_POLL_INTERVAL_MS,
    maxAttempts: env.INGEST_MAX_ATTEMPTS,
    parseTimeoutMs: env.INGEST_PARSE_TIMEOUT_MS,
    maxUnpackedBytes: env.INGEST_MAX_UNPACKED_BYTES,
    maxPages: env.INGEST_MAX_PAGES,
    maxChars: env.INGEST_MAX_CHARS,
    maxRows: env.INGEST_MAX_ROWS,
    maxCells: env.INGEST_MAX_CELLS,
    parseMaxHeapMb: env.INGEST_PARSE_MAX_HEAP_MB,
  };
}
