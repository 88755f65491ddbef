import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ConfigRuleError } from '../config.errors';
import { ToByteSize, ToInt, ToNumber } from '../env-transforms';

export type KnowledgeScope = 'shared' | 'channel' | 'user';

const HTTP_URL = /^https?:\/\/\S+$/;

export class KnowledgeEnv {
  @IsOptional()
  @IsIn(['shared', 'channel', 'user'])
  KNOWLEDGE_SCOPE: KnowledgeScope = 'shared';

  /** Share of the query's words a memory must contain to be returned by text search (0..1). */
  @IsOptional()
  @ToNumber()
  @IsNumber()
  @Min(0)
  @Max(1)
  KNOWLEDGE_MIN_RELEVANCE = 0.3;

  /** Cosine similarity a memory must reach to be returned by vector search (-1..1). */
  @IsOptional()
  @ToNumber()
  @IsNumber()
  @Min(-1)
  @Max(1)
  KNOWLEDGE_MIN_SIMILARITY = 0.5;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  KNOWLEDGE_SEARCH_MAX_LIMIT = 50;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  KNOWLEDGE_MAX_CONTENT_CHARS = 20_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(200)
  @Max(100_000)
  KNOWLEDGE_CHUNK_CHARS = 1_500;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(200)
  @Max(200_000)
  CONTEXT_MAX_CHARS = 4_000;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100_000)
  INGEST_MAX_MESSAGES = 500;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  INGEST_MAX_TEXT_CHARS = 20_000;

  @IsOptional()
  @ToByteSize()
  @IsInt({ message: 'must be a size such as 1mb, 512kb or a number of bytes' })
  @Min(1024)
  INGEST_MAX_TOTAL_BYTES = 512 * 1024;

  @IsOptional()
  @IsString()
  @MinLength(1)
  EMBEDDING_MODEL?: string;

  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an http:// or https:// URL' })
  EMBEDDING_BASE_URL?: string;

  @IsOptional()
  @IsString()
  EMBEDDING_API_KEY?: string;

  /** The LLM server, used for embeddings when EMBEDDING_BASE_URL is unset. */
  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an http:// or https:// URL' })
  LLM_BASE_URL?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(2048)
  EMBEDDING_BATCH_SIZE = 32;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(600_000)
  EMBEDDING_TIMEOUT_MS = 30_000;
}

export interface EmbeddingSettings {
  model: string;
  baseUrl: string;
  apiKey?: string;
  batchSize: number;
  timeoutMs: number;
}

export interface KnowledgeSettings {
  scope: KnowledgeScope;
  minRelevance: number;
  minSimilarity: number;
  searchMaxLimit: number;
  maxContentChars: number;
  chunkChars: number;
  contextMaxChars: number;
  ingest: { maxMessages: number; maxTextChars: number; maxTotalBytes: number };
  /** Absent: full-text search only. */
  embedding?: EmbeddingSettings;
}

export function buildKnowledgeSettings(env: KnowledgeEnv): KnowledgeSettings {
  const baseUrl = env.EMBEDDING_BASE_URL ?? env.LLM_BASE_URL;
  if (env.EMBEDDING_MODEL && !baseUrl) {
    throw new ConfigRuleError('EMBEDDING_BASE_URL', 'is required with EMBEDDING_MODEL (or set LLM_BASE_URL)');
  }
  return {
    scope: env.KNOWLEDGE_SCOPE,
    minRelevance: env.KNOWLEDGE_MIN_RELEVANCE,
    minSimilarity: env.KNOWLEDGE_MIN_SIMILARITY,
    searchMaxLimit: env.KNOWLEDGE_SEARCH_MAX_LIMIT,
    maxContentChars: env.KNOWLEDGE_MAX_CONTENT_CHARS,
    chunkChars: env.KNOWLEDGE_CHUNK_CHARS,
    contextMaxChars: env.CONTEXT_MAX_CHARS,
    ingest: {
      maxMessages: env.INGEST_MAX_MESSAGES,
      maxTextChars: env.INGEST_MAX_TEXT_CHARS,
      maxTotalBytes: env.INGEST_MAX_TOTAL_BYTES,
    },
    embedding:
      env.EMBEDDING_MODEL && baseUrl
        ? {
            model: env.EMBEDDING_MODEL,
            baseUrl,
            apiKey: env.EMBEDDING_API_KEY,
            batchSize: env.EMBEDDING_BATCH_SIZE,
            timeoutMs: env.EMBEDDING_TIMEOUT_MS,
          }
        : undefined,
  };
}
