import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NoMarkup } from '../../common/validation/no-markup';

/** Upper bound checked by the DTO; the configured CHAT_MAX_MESSAGE_CHARS is enforced by the service. */
const HARD_MAX_MESSAGE_CHARS = 100_000;
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class ChatRequestDto {
  @ApiProperty({
    example: "What's the status of the TWS system?",
    maxLength: HARD_MAX_MESSAGE_CHARS,
    minLength: 1,
    pattern: '\\S',
  })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'message must not be blank' })
  @MaxLength(HARD_MAX_MESSAGE_CHARS)
  @NoMarkup()
  message: string;

  @ApiPropertyOptional({
    example: 'tws-specialist',
    description: 'Defaults to DEFAULT_AGENT_ID',
    pattern: AGENT_ID.source,
  })
  @IsOptional()
  @IsString()
  @Matches(AGENT_ID, { message: 'agent_id must be an agent id' })
  agent_id?: string;
}

export class ChatResponseDto {
  @ApiProperty({ example: 'All 4 workstations are LINKED; 2 jobs ended in ABEND ...' })
  response: string;
}
