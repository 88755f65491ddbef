import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBase64,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NoMarkup } from '../../common/validation/no-markup';

/** The seed's message for a missing key, kept word for word. */
export const THREAD_KEY_REQUIRED = 'thread_ts and channel_id are required';
export const MESSAGES_REQUIRED = 'messages must be a non-empty array';
const SLACK_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_IMAGES_PER_MESSAGE = 20;

const present = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;
/**
 * Like the seed's handler, a missing key is reported alone: the other fields are checked only
 * once both keys are there, so `{}` answers exactly `thread_ts and channel_id are required`.
 */
const keysPresent = (dto: IngestThreadDto): boolean => present(dto.thread_ts) && present(dto.channel_id);

/**
 * Slack's own link syntax (`<https://x|label>`, `<@U123>`, `<#C1|ops>`, `<!here>`) turned into
 * plain text, so that ordinary Slack messages pass the markup check and real HTML still does not.
 */
export function plainSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|<>\s]+)\|([^<>]*)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^|<>\s]+)>/g, '$1')
    .replace(/<@([A-Z0-9]+)(?:\|[^<>]*)?>/g, '@$1')
    .replace(/<#([A-Z0-9]+)\|([^<>]*)>/g, '#$2')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/<!(here|channel|everyone)(?:\|[^<>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+\|([^<>]*)>/g, '$1');
}

/** Both keys present, and the thread timestamp shaped like one; one message for a missing key. */
function ThreadKey(): PropertyDecorator {
  return ValidateBy({
    name: 'threadKey',
    validator: {
      validate: (value: unknown, args) =>
        present(value) && present((args?.object as Record<string, unknown>).channel_id) && SLACK_ID.test(String(value)),
      defaultMessage: (args) => {
        const dto = (args?.object ?? {}) as Record<string, unknown>;
        // A key sent as a number (1234567890.123456 unquoted) is there, but not as a Slack id.
        const wrongType = (['thread_ts', 'channel_id'] as const).find(
          (key) => dto[key] != null && typeof dto[key] !== 'string',
        );
        if (wrongType)
          return `${wrongType} must be a string such as "${wrongType === 'thread_ts' ? '1234567890.123456' : 'C01ABC123'}"`;
        return present(dto.thread_ts) && present(dto.channel_id)
          ? 'thread_ts must be a Slack timestamp such as 1234567890.123456'
          : THREAD_KEY_REQUIRED;
      },
    },
  });
}

export class ThreadImageDto {
  @ApiProperty({ example: 'diagram.png', maxLength: 255 })
  @IsString()
  @MaxLength(255)
  @NoMarkup()
  name: string;

  @ApiProperty({ example: 'image/png', pattern: '^[Ii][Mm][Aa][Gg][Ee]/[A-Za-z0-9.+-]+$' })
  @IsString()
  @Matches(/^image\/[a-z0-9.+-]+$/i, { message: 'mime_type must be an image type such as image/png' })
  mime_type: string;

  @ApiPropertyOptional({
    description: 'Base64-encoded image; counted against INGEST_MAX_TOTAL_BYTES, only name and type are remembered',
    format: 'byte',
  })
  @IsOptional()
  @IsString()
  @IsBase64(undefined, { message: 'data must be base64' })
  data?: string;
}

export class ThreadMessageDto {
  @ApiPropertyOptional({ example: 'U01USER123', description: 'Slack user ID', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @NoMarkup()
  user?: string;

  @ApiProperty({ example: 'We deploy using GitHub Actions' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? plainSlackText(value) : value))
  @IsString({ message: 'each message needs a text' })
  @NoMarkup()
  text: string;

  @ApiPropertyOptional({ example: '1234567890.123456', pattern: SLACK_ID.source })
  @IsOptional()
  @IsString()
  @Matches(SLACK_ID, { message: 'ts must be a Slack timestamp such as 1234567890.123456' })
  ts?: string;

  @ApiPropertyOptional({ example: 'message', maxLength: 32 })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  type?: string;

  @ApiPropertyOptional({ type: [ThreadImageDto], maxItems: MAX_IMAGES_PER_MESSAGE })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IMAGES_PER_MESSAGE)
  @ValidateNested({ each: true })
  @Type(() => ThreadImageDto)
  images?: ThreadImageDto[];
}

export class IngestThreadDto {
  @ApiProperty({
    example: '1234567890.123456',
    description: 'Thread timestamp (with channel_id, the thread key)',
    pattern: SLACK_ID.source,
  })
  @ThreadKey()
  thread_ts: string;

  @ApiProperty({ example: 'C01ABC123', description: 'Slack channel ID', pattern: SLACK_ID.source })
  @ValidateIf(keysPresent)
  @Matches(SLACK_ID, { message: 'channel_id must be a Slack channel ID such as C01ABC123' })
  channel_id: string;

  @ApiProperty({ type: [ThreadMessageDto], description: 'Thread messages (non-empty)', minItems: 1 })
  // Anything but an array is reported as missing (not as a malformed nested object).
  @Transform(({ value }) => (Array.isArray(value) ? value : undefined))
  @ValidateIf(keysPresent)
  @IsArray({ message: MESSAGES_REQUIRED })
  @ArrayNotEmpty({ message: MESSAGES_REQUIRED })
  @ValidateNested({ each: true, message: 'each message must be an object with a text' })
  @Type(() => ThreadMessageDto)
  messages: ThreadMessageDto[];
}

export class IngestThreadResponseDto {
  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({ example: 'Thread ingested successfully' })
  message: string;

  @ApiProperty({ example: 3, description: 'Memories actually stored' })
  memories_saved: number;
}
