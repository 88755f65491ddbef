import type { DocumentKind } from '../config/sections/ingestion.section';
import type { IngestJob } from './ingestion.repository';

export interface UploadReceipt {
  /** The sanitised name the file is stored and served under. */
  filename: string;
  kind: DocumentKind;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  job: IngestJob;
  /** True when these exact bytes were uploaded before: the existing job is returned. */
  duplicate: boolean;
}

/**
 * Document ingestion (the seed's FileIngestor): stores an upload and queues it for parsing,
 * chunking and indexing into the knowledge graph, which a background worker does durably.
 */
export interface IFileIngestor {
  /** Validates, stores and queues the document; the job is committed when this resolves. */
  saveUploadedFile(fileName: string, content: Buffer, uploadedBy?: string): Promise<UploadReceipt>;
  getJob(jobId: string): Promise<IngestJob | undefined>;
}

export const IFileIngestor = Symbol('IFileIngestor');
