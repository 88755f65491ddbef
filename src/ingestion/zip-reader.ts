import { createInflateRaw } from 'node:zlib';
import { IngestionError } from './ingestion.errors';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
const MAX_COMMENT = 0xffff;
const ZIP64_MARKER = 0xffffffff;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x1;
/** Inflated bytes handed out per step: the most one entry holds in memory at a time. */
const INFLATE_CHUNK_BYTES = 64 * 1024;

/** One file of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  /** The archive's claim; never trusted for anything but the upload-time check. */
  declaredSize: number;
  localHeaderOffset: number;
}

const unreadable = (message: string) => new IngestionError('DOCUMENT_UNREADABLE', message);

function findEndRecord(content: Buffer): number {
  const lowest = Math.max(0, content.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = content.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (content.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}

/** The archive's directory: names, methods and offsets. Reads headers only, inflates nothing. */
export function readZipDirectory(content: Buffer): ZipEntry[] {
  const end = findEndRecord(content);
  if (end < 0) throw unreadable('The document is not a complete zip archive');
  const count = content.readUInt16LE(end + 10);
  let offset = content.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + CENTRAL_HEADER_SIZE > content.length || content.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) {
      throw unreadable('The document’s zip directory is damaged');
    }
    const nameLength = content.readUInt16LE(offset + 28);
    entries.push({
      flags: content.readUInt16LE(offset + 8),
      method: content.readUInt16LE(offset + 10),
      compressedSize: content.readUInt32LE(offset + 20),
      declaredSize: content.readUInt32LE(offset + 24),
      localHeaderOffset: content.readUInt32LE(offset + 42),
      name: content.toString('utf8', offset + CENTRAL_HEADER_SIZE, offset + CENTRAL_HEADER_SIZE + nameLength),
    });
    offset += CENTRAL_HEADER_SIZE + nameLength + content.readUInt16LE(offset + 30) + content.readUInt16LE(offset + 32);
  }
  return entries;
}

/** The sum of the sizes the directory claims (a zip64 claim counts as infinite). */
export function declaredUnpackedSize(entries: readonly ZipEntry[]): number {
  return entries.reduce(
    (total, entry) => total + (entry.declaredSize === ZIP64_MARKER ? Number.POSITIVE_INFINITY : entry.declaredSize),
    0,
  );
}

/** The entry's compressed bytes, located through its local header and clamped to the archive. */
function compressedData(content: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + LOCAL_HEADER_SIZE > content.length || content.readUInt32LE(at) !== LOCAL_FILE_HEADER) {
    throw unreadable(`The zip entry ${entry.name} is damaged`);
  }
  const start = at + LOCAL_HEADER_SIZE + content.readUInt16LE(at + 26) + content.readUInt16LE(at + 28);
  const size = entry.compressedSize === ZIP64_MARKER ? content.length - start : entry.compressedSize;
  return content.subarray(start, Math.min(start + size, content.length));
}

/**
 * Inflates one entry a chunk at a time, reporting each chunk's size to `count` before handing it
 * out: the bytes really produced are what is counted, whatever the headers claim, and a `count`
 * that throws stops the inflation there.
 */
export async function* inflateEntry(
  content: Buffer,
  entry: ZipEntry,
  count: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  if (entry.flags & FLAG_ENCRYPTED) throw unreadable(`The zip entry ${entry.name} is encrypted`);
  const data = compressedData(content, entry);
  if (entry.method === METHOD_STORED) {
    for (let at = 0; at < data.length; at += INFLATE_CHUNK_BYTES) {
      const chunk = data.subarray(at, at + INFLATE_CHUNK_BYTES);
      count(chunk.length);
      yield chunk;
    }
    return;
  }
  if (entry.method !== METHOD_DEFLATE) {
    throw unreadable(`The zip entry ${entry.name} uses an unsupported compression method (${entry.method})`);
  }
  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
  inflater.end(data);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      count(chunk.length);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof IngestionError) throw error;
    throw unreadable(`The zip entry ${entry.name} could not be inflated: ${(error as Error).message}`);
  } finally {
    inflater.destroy();
  }
}
