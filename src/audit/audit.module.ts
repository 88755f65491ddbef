import { Global, Module } from '@nestjs/common';
import { AuditFlagRepository } from './audit-flag.repository';
import { AuditMetrics, auditMetricProviders } from './audit-metrics';
import { IAuditQueue } from './audit-queue.port';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** Global so that any feature storing AI-generated content can submit it for audit. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    ...auditMetricProviders,
    AuditMetrics,
    AuditFlagRepository,
    AuditService,
    { provide: IAuditQueue, useExisting: AuditService },
  ],
  exports: [IAuditQueue, AuditService],
})
export class AuditModule {}
