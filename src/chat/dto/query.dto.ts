import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/dto/error-response.dto';
import { Type } from 'class-transformer';
import { IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

const QUESTION_REQUIRED = { message: 'question is required' };
/** Field sizes the DTO can check without configuration; image bytes are capped by QUERY_MAX_IMAGE_BYTES. */
const MAX_TEXT_CHARS = 100_000;
const MAX_FIELD_CHARS = 200;

export class QueryImageDto {
  @ApiPropertyOptional({ example: 'diagram.png', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  name?: string;

  @ApiPropertyOptional({
    example: 'image/png',
    description: 'Informative: the type is taken from the bytes (png, jpeg, gif, webp)',
    maxLength: MAX_FIELD_CHARS,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  mime_type?: string;

  @ApiProperty({
    description: 'Base64-encoded image data (a `data:image/...;base64,` prefix is accepted)',
    format: 'byte',
    minLength: 1,
  })
  @IsString()
  @IsNotEmpty()
  data: string;
}

export class QueryThreadMessageDto {
  @ApiPropertyOptional({ example: 'U01USER123', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  user?: string;

  @ApiPropertyOptional({ example: 'How do we deploy?', maxLength: MAX_TEXT_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT_CHARS)
  text?: string;

  @ApiPropertyOptional({ example: '1234567890.123456', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  ts?: string;

  @ApiPropertyOptional({ example: 'message', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  type?: string;

  @ApiPropertyOptional({ type: [QueryImageDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => QueryImageDto)
  images?: QueryImageDto[];
}

/** The Knowledge Agent's `/api/query` request. */
export class QueryRequestDto {
  @ApiProperty({
    example: 'What is our deployment process?',
    minLength: 1,
    maxLength: MAX_TEXT_CHARS,
    pattern: '\\S',
    description: 'Not blank; at most CHAT_MAX_MESSAGE_CHARS characters',
  })
  @IsString(QUESTION_REQUIRED)
  @IsNotEmpty(QUESTION_REQUIRED)
  @Matches(/\S/, QUESTION_REQUIRED)
  @MaxLength(MAX_TEXT_CHARS)
  question: string;

  @ApiPropertyOptional({ example: 'C01ABC123', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  channel_id?: string;

  @ApiPropertyOptional({ example: '1234567890.123456', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  thread_ts?: string;

  @ApiPropertyOptional({
    type: [QueryThreadMessageDto],
    description: 'Thread context; the most recent QUERY_MAX_THREAD_MESSAGES are used',
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => QueryThreadMessageDto)
  messages?: QueryThreadMessageDto[];

  @ApiPropertyOptional({ example: 'john' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  user_name?: string;

  @ApiPropertyOptional({ example: 'John Doe', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  user_real_name?: string;

  @ApiPropertyOptional({ example: 'U01USER123', maxLength: MAX_FIELD_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FIELD_CHARS)
  slack_user_id?: string;

  @ApiPropertyOptional({
    type: [QueryImageDto],
    description: 'At most QUERY_MAX_IMAGES images in all, each at most QUERY_MAX_IMAGE_BYTES',
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => QueryImageDto)
  images?: QueryImageDto[];
}

export class QueryToolCallDto {
  @ApiProperty({ example: 'search_memory' })
  tool: string;

  @ApiProperty({ example: { query: 'deployment process' } })
  args: Record<string, unknown>;
}

/** A query the agent could not answer: the error envelope with the seed's `success: false` (and `message`). */
export class QueryErrorResponseDto extends ErrorResponseDto {
  @ApiProperty({ enum: [false] })
  success: false;

  @ApiProperty({ description: 'The same text as `error` (the seed names it `message`)' })
  message: string;
}

export class QueryResponseDto {
  @ApiProperty({ enum: [true] })
  success: boolean;

  @ApiPropertyOptional({ example: 'Our deployment process involves...' })
  answer?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, example: 3, description: 'Memories put in the agent context' })
  memories_used?: number;

  @ApiPropertyOptional({ type: [QueryToolCallDto] })
  tool_calls?: QueryToolCallDto[];
}
