import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { ConfigRuleError } from '../config.errors';
import { ToBoolean, ToInt, ToNumber } from '../env-transforms';

export class AuditEnv {
  /** Flags per page of `GET /api/audit/flags` when the caller gives no `limit`. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000)
  AUDIT_PAGE_SIZE = 50;

  /** The most flags one `GET /api/audit/flags` returns, whatever `limit` asks for. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  AUDIT_MAX_PAGE_SIZE = 200;

  /** Longest `query` text accepted by the flag search. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  AUDIT_QUERY_MAX_LENGTH = 200;

  /** A rule must be at least this sure for the auditor to flag a memory. */
  @IsOptional()
  @ToNumber()
  @IsNumber()
  @Min(0)
  @Max(1)
  AUDIT_MIN_CONFIDENCE = 0.5;

  /** The auditor reads at most this many characters of a question and of an answer (bounds its work). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  AUDIT_MAX_SCAN_CHARS = 100_000;

  /** Serve flagged memories (marked unreviewed) before a reviewer decides; by default they wait. */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  AUDIT_SERVE_FLAGGED = false;
}

export interface AuditSettings {
  pageSize: number;
  maxPageSize: number;
  queryMaxLength: number;
  minConfidence: number;
  maxScanChars: number;
  /** Flagged memories appear in searches and answers (marked unreviewed) before review. */
  serveFlagged: boolean;
}

export function buildAuditSettings(env: AuditEnv): AuditSettings {
  if (env.AUDIT_PAGE_SIZE > env.AUDIT_MAX_PAGE_SIZE) {
    throw new ConfigRuleError('AUDIT_PAGE_SIZE', `must not exceed AUDIT_MAX_PAGE_SIZE (${env.AUDIT_MAX_PAGE_SIZE})`);
  }
  return {
    pageSize: env.AUDIT_PAGE_SIZE,
    maxPageSize: env.AUDIT_MAX_PAGE_SIZE,
    queryMaxLength: env.AUDIT_QUERY_MAX_LENGTH,
    minConfidence: env.AUDIT_MIN_CONFIDENCE,
    maxScanChars: env.AUDIT_MAX_SCAN_CHARS,
    serveFlagged: env.AUDIT_SERVE_FLAGGED,
  };
}
