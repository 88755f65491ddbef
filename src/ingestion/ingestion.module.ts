import { Module } from '@nestjs/common';
import { DocumentParser } from './document-parser';
import { FileIngestor } from './file-ingestor.service';
import { IFileIngestor } from './file-ingestor.port';
import { FilesController } from './files.controller';
import { IngestionMetrics, ingestionMetricProviders } from './ingestion.metrics';
import { IngestionRepository } from './ingestion.repository';
import { IngestionWorker } from './ingestion.worker';
import { RagController } from './rag.controller';
import { UploadInterceptor } from './upload.interceptor';

/** Uploads, durable ingestion jobs and their worker; `/api/rag/*` and `/api/files/*`. */
@Module({
  controllers: [RagController, FilesController],
  providers: [
    ...ingestionMetricProviders,
    IngestionMetrics,
    IngestionRepository,
    DocumentParser,
    IngestionWorker,
    FileIngestor,
    UploadInterceptor,
    { provide: IFileIngestor, useExisting: FileIngestor },
  ],
  exports: [IFileIngestor],
})
export class IngestionModule {}
