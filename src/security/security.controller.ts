import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentCaller, RateLimited, RequireCredentials, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import {
  AdminUsersResponseDto,
  EncryptedResponseDto,
  ProtectedResponseDto,
  ReviewCreatedDto,
  ReviewRequestDto,
  SensitiveRequestDto,
} from './dto/security.dto';
import { SecurityService } from './security.service';

@ApiTags('security')
@Controller('api')
export class SecurityController {
  constructor(private readonly security: SecurityService) {}

  @Get('protected')
  @RequireCredentials()
  @ApiOperation({ summary: 'Who is calling: 401 without real credentials, even in open mode' })
  @ApiOkResponse({ type: ProtectedResponseDto })
  whoAmI(@CurrentCaller() caller: Caller): ProtectedResponseDto {
    return this.security.describe(caller);
  }

  @Get('admin/users')
  @RequireRoles('admin')
  @ApiOperation({ summary: 'The configured callers, their roles and how they authenticate (never a secret)' })
  @ApiOkResponse({ type: AdminUsersResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The caller is not an administrator' })
  users(): AdminUsersResponseDto {
    return this.security.configuredUsers();
  }

  @Post('sensitive')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({ summary: 'Encrypts `data` with AES-256-GCM; the plaintext is never logged' })
  @ApiOkResponse({ type: EncryptedResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  encrypt(@Body() body: SensitiveRequestDto): EncryptedResponseDto {
    return { encrypted: this.security.encrypt(body.data) };
  }

  @Post('review')
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({ summary: 'Stores a review note (at most 1000 characters, no markup) with its caller and time' })
  @ApiCreatedResponse({ type: ReviewCreatedDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Too long, empty or carrying markup; `details` says which',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  review(@Body() body: ReviewRequestDto, @CurrentCaller() caller: Caller): Promise<ReviewCreatedDto> {
    return this.security.addReview(body.content, caller);
  }
}
