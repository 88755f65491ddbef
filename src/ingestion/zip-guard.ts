import { IngestionError } from './ingestion.errors';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_MARKER = 0xffffffff;

/**
 * DOCX and XLSX are zip archives, which the parsers inflate in memory. Refuses an archive whose
 * directory says it unpacks to more than `maxUnpackedBytes` (a zip bomb) before any of it is
 * inflated. The sizes are the archive's own claims: this stops honest bombs, and the parse
 * deadline bounds the rest.
 */
export function assertZipUnpacksWithin(content: Buffer, maxUnpackedBytes: number): void {
  const end = findEndRecord(content);
  if (end < 0) throw new IngestionError('DOCUMENT_UNREADABLE', 'The document is not a complete zip archive');
  const entries = content.readUInt16LE(end + 10);
  let offset = content.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > content.length || content.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) {
      throw new IngestionError('DOCUMENT_UNREADABLE', 'The document’s zip directory is damaged');
    }
    const size = content.readUInt32LE(offset + 24);
    total += size === ZIP64_MARKER ? Number.POSITIVE_INFINITY : size;
    if (total > maxUnpackedBytes) {
      throw new IngestionError(
        'DOCUMENT_TOO_LARGE',
        `The document unpacks to more than ${maxUnpackedBytes} bytes (INGEST_MAX_UNPACKED_BYTES)`,
      );
    }
    offset +=
      46 + content.readUInt16LE(offset + 28) + content.readUInt16LE(offset + 30) + content.readUInt16LE(offset + 32);
  }
}

function findEndRecord(content: Buffer): number {
  const lowest = Math.max(0, content.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = content.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (content.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}
