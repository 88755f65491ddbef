import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { resolveEncryptionKey } from './encryption-key';
import { ReviewNotesRepository } from './review-notes.repository';
import { SecretBox } from './secret-box';
import { SecurityController } from './security.controller';
import { SecurityService } from './security.service';

/** The hardened endpoints, and `SecretBox` for any feature that stores a secret. */
@Global()
@Module({
  controllers: [SecurityController],
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => new SecretBox(await resolveEncryptionKey(config)),
    },
    ReviewNotesRepository,
    SecurityService,
  ],
  exports: [SecretBox],
})
export class SecurityModule {}
