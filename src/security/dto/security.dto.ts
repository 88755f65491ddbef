import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { AuthMethod, Role } from '../../auth/caller';
import { NoMarkup } from '../../common/validation/no-markup';

/** The seed's `ReviewRequest.content` limit. */
export const REVIEW_CONTENT_MAX_LENGTH = 1000;

export class CallerDto {
  @ApiProperty({ example: 'root-agent' })
  id: string;

  @ApiProperty({ enum: ['internal-token', 'api-key', 'slack-signature', 'open'] })
  via: AuthMethod;

  @ApiProperty({ enum: ['read', 'write', 'admin'], isArray: true })
  roles: Role[];

  @ApiPropertyOptional({ description: 'End user vouched for by the Slack bridge', example: 'U01USER123' })
  slack_user_id?: string;
}

export class ProtectedResponseDto {
  @ApiProperty()
  authenticated: boolean;

  @ApiProperty({ type: CallerDto })
  caller: CallerDto;
}

export class ConfiguredCallerDto extends CallerDto {
  @ApiProperty({ description: 'May save memories (ADMIN_CALLERS / ALLOWED_SLACK_USERS)' })
  can_save_memories: boolean;
}

export class AdminUsersResponseDto {
  @ApiProperty({ description: 'True when no credentials are configured and every request is `unauthenticated`' })
  open_mode: boolean;

  @ApiProperty({ type: [ConfiguredCallerDto] })
  users: ConfiguredCallerDto[];
}

export class SensitiveRequestDto {
  @ApiProperty({ example: 'sensitive information' })
  @IsDefined()
  @IsString()
  data: string;
}

export class EncryptedResponseDto {
  @ApiProperty({
    description: 'AES-256-GCM token `v1.<key id>.<base64url(nonce | ciphertext | tag)>`',
    example: 'v1.3f2a9c1b.q8...',
  })
  encrypted: string;
}

export class ReviewRequestDto {
  @ApiProperty({
    maxLength: REVIEW_CONTENT_MAX_LENGTH,
    example: 'The nightly PAYROLL job note looks right.',
    minLength: 1,
  })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(REVIEW_CONTENT_MAX_LENGTH)
  @NoMarkup()
  content: string;
}

export class ReviewCreatedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'root-agent' })
  caller: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}
