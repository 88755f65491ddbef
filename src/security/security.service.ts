import { Inject, Injectable } from '@nestjs/common';
import { configuredCallers } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import { IMemoryWritePolicy } from '../auth/memory-write-policy.port';
import { AppConfig } from '../config/app-config';
import type { AdminUsersResponseDto, CallerDto, ProtectedResponseDto, ReviewCreatedDto } from './dto/security.dto';
import { ReviewNotesRepository } from './review-notes.repository';
import { SecretBox } from './secret-box';

const toDto = (caller: Caller): CallerDto => ({
  id: caller.id,
  via: caller.via,
  roles: [...caller.roles],
  ...(caller.slackUserId && { slack_user_id: caller.slackUserId }),
});

@Injectable()
export class SecurityService {
  constructor(
    private readonly config: AppConfig,
    private readonly secretBox: SecretBox,
    private readonly reviews: ReviewNotesRepository,
    @Inject(IMemoryWritePolicy) private readonly writePolicy: IMemoryWritePolicy,
  ) {}

  describe(caller: Caller): ProtectedResponseDto {
    return { authenticated: caller.via !== 'open', caller: toDto(caller) };
  }

  configuredUsers(): AdminUsersResponseDto {
    return {
      open_mode: this.config.auth.openMode,
      users: configuredCallers(this.config.auth).map((caller) => ({
        ...toDto(caller),
        can_save_memories: this.writePolicy.canSaveMemories(caller),
      })),
    };
  }

  encrypt(data: string): string {
    return this.secretBox.seal(data);
  }

  async addReview(content: string, caller: Caller): Promise<ReviewCreatedDto> {
    const note = await this.reviews.add(content, caller);
    return { id: note.id, caller: note.callerId, created_at: note.createdAt.toISOString() };
  }
}
