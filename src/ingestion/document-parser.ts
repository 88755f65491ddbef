import { extname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { DocumentKind } from '../config/sections/ingestion.section';
import type { DocumentChunks } from './document-text';
import { IngestionError } from './ingestion.errors';
import type { ParseReply, ParseRequest } from './parse-worker';

/** The parse thread's young generation: V8's default for a 64-bit heap, stated so the total cap is known. */
const PARSE_YOUNG_GENERATION_MB = 16;
const PARSE_STACK_MB = 4;

/**
 * Starts the parse thread. Built code (`dist`) runs `parse-worker.js`; from TypeScript sources
 * (the test runner) the thread compiles its modules with swc as it loads them.
 */
function startParseThread(request: ParseRequest, resourceLimits: ResourceLimits): Worker {
  const entry = join(__dirname, `parse-worker${extname(__filename)}`);
  if (extname(__filename) !== '.ts') return new Worker(entry, { workerData: request, resourceLimits });
  const loader = `
    const { readFileSync } = require('node:fs');
    const { transformSync } = require('node:module').createRequire(${JSON.stringify(entry)})('@swc/core');
    require.extensions['.ts'] = (module, filename) => module._compile(transformSync(readFileSync(filename, 'utf8'), {
      filename, jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
      module: { type: 'commonjs', ignoreDynamic: true },
    }).code, filename);
    require(${JSON.stringify(entry)});`;
  return new Worker(loader, { eval: true, workerData: request, resourceLimits });
}

/**
 * Turns a stored document into chunks in a thread of its own, one thread per document: its heap
 * is capped (INGEST_PARSE_MAX_HEAP_MB), it is terminated at the deadline (INGEST_PARSE_TIMEOUT_MS),
 * and inside it every other limit is counted while the document is read (see ParseBudget). The
 * API's event loop never parses and never loads a parser.
 */
@Injectable()
export class DocumentParser {
  constructor(private readonly config: AppConfig) {}

  parse(kind: DocumentKind, content: Buffer): Promise<DocumentChunks> {
    const settings = this.config.ingestion;
    const request: ParseRequest = {
      kind,
      content,
      limits: {
        maxUnpackedBytes: settings.maxUnpackedBytes,
        maxPages: settings.maxPages,
        maxChars: settings.maxChars,
        maxRows: settings.maxRows,
        maxCells: settings.maxCells,
        maxChunks: settings.maxChunks,
      },
      chunking: { size: settings.chunkSize, overlap: settings.chunkOverlap },
    };
    return new Promise((resolve, reject) => {
      const thread = startParseThread(request, {
        maxOldGenerationSizeMb: settings.parseMaxHeapMb,
        maxYoungGenerationSizeMb: PARSE_YOUNG_GENERATION_MB,
        stackSizeMb: PARSE_STACK_MB,
      });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        void thread.terminate();
        outcome();
      };
      const deadline = setTimeout(
        () =>
          settle(() =>
            reject(
              new IngestionError(
                'DOCUMENT_TOO_LARGE',
                `Reading the document took longer than ${settings.parseTimeoutMs} ms (INGEST_PARSE_TIMEOUT_MS)`,
              ),
            ),
          ),
        settings.parseTimeoutMs,
      );
      thread.once('message', (reply: ParseReply) =>
        settle(() =>
          reply.ok
            ? resolve({ chunks: reply.chunks, usage: reply.usage })
            : reject(new IngestionError(reply.code ?? 'DOCUMENT_UNREADABLE', reply.message)),
        ),
      );
      thread.once('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new IngestionError(
                  'DOCUMENT_TOO_LARGE',
                  `Reading the document needed more than ${settings.parseMaxHeapMb} MB of memory (INGEST_PARSE_MAX_HEAP_MB)`,
                )
              : new IngestionError('DOCUMENT_UNREADABLE', `The document could not be read: ${error.message}`),
          ),
        ),
      );
      thread.once('exit', (code) =>
        settle(() =>
          reject(
            new IngestionError('DOCUMENT_UNREADABLE', `The parse thread stopped before answering (exit code ${code})`),
          ),
        ),
      );
    });
  }
}
