import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { DocumentKind } from '../config/sections/ingestion.section';
import type { ChunkOptions } from './chunker';
import { documentChunks } from './document-text';
import { IngestionError, type IngestionErrorCode } from './ingestion.errors';
import type { ParseLimits, ParseUsage } from './parse-limits';

/** What the parse thread is started with. */
export interface ParseRequest {
  kind: DocumentKind;
  content: Uint8Array;
  limits: ParseLimits;
  chunking: ChunkOptions;
}

/** Its one message back: the chunks, or why there are none. */
export type ParseReply =
  { ok: true; chunks: string[]; usage: ParseUsage } | { ok: false; code?: IngestionErrorCode; message: string };

async function parseInThisThread(request: ParseRequest): Promise<ParseReply> {
  const content = Buffer.from(request.content.buffer, request.content.byteOffset, request.content.byteLength);
  try {
    return { ok: true, ...(await documentChunks(request.kind, content, request.limits, request.chunking)) };
  } catch (error) {
    return error instanceof IngestionError
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, message: (error as Error).message };
  }
}

// The entry point of the parse thread (see DocumentParser); nothing happens when imported elsewhere.
if (!isMainThread && parentPort) {
  const port = parentPort;
  void parseInThisThread(workerData as ParseRequest).then((reply) => port.postMessage(reply));
}
