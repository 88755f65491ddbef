import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { detectDocumentType, isZipKind } from './document-type';
import { sanitizeFileName } from './file-name';
import type { IFileIngestor, UploadReceipt } from './file-ingestor.port';
import { IngestionError } from './ingestion.errors';
import { IngestionMetrics } from './ingestion.metrics';
import { assertZipUnpacksWithin } from './zip-guard';
import { type IngestJob, IngestionRepository } from './ingestion.repository';
import { IngestionWorker } from './ingestion.worker';

@Injectable()
export class FileIngestor implements IFileIngestor {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: IngestionRepository,
    private readonly worker: IngestionWorker,
    private readonly metrics: IngestionMetrics,
  ) {}

  async saveUploadedFile(fileName: string, content: Buffer, uploadedBy?: string): Promise<UploadReceipt> {
    const { uploadMaxBytes, allowedTypes } = this.config.ingestion;
    if (content.length > uploadMaxBytes) {
      throw new IngestionError(
        'UPLOAD_TOO_LARGE',
        `The file is larger than the upload limit of ${uploadMaxBytes} bytes`,
      );
    }
    if (content.length === 0) throw new IngestionError('UPLOAD_EMPTY', 'The file is empty');
    const filename = sanitizeFileName(fileName);
    if (!filename) throw new IngestionError('FILE_NAME_INVALID', 'The file needs a name, such as runbook.pdf');
    const type = await detectDocumentType(content, filename, allowedTypes);
    if (isZipKind(type.kind)) assertZipUnpacksWithin(content, this.config.ingestion.maxUnpackedBytes);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const { job, duplicate } = await this.repository.saveUpload({ sha256, filename, content, uploadedBy, ...type });
    this.metrics.uploaded(content.length, duplicate);
    if (job.status === 'queued') this.worker.wake();
    return {
      filename: job.filename,
      kind: type.kind,
      contentType: type.contentType,
      sha256,
      sizeBytes: content.length,
      job,
      duplicate,
    };
  }

  getJob(jobId: string): Promise<IngestJob | undefined> {
    return this.repository.getJob(jobId);
  }
}
