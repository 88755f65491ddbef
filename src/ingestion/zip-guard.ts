import { IngestionError } from './ingestion.errors';
import { declaredUnpackedSize, readZipDirectory } from './zip-reader';

/**
 * A cheap check at upload, from the zip directory alone: an archive that admits unpacking to more
 * than `maxUnpackedBytes` is refused at once (413). The directory can lie; the parse thread counts
 * the bytes it really inflates against the same limit.
 */
export function assertZipUnpacksWithin(content: Buffer, maxUnpackedBytes: number): void {
  if (declaredUnpackedSize(readZipDirectory(content)) > maxUnpackedBytes) {
    throw new IngestionError(
      'DOCUMENT_TOO_LARGE',
      `The document unpacks to more than ${maxUnpackedBytes} bytes (INGEST_MAX_UNPACKED_BYTES)`,
    );
  }
}
