import type { DocumentKind } from '../config/sections/ingestion.section';
import { chunkText, type ChunkOptions } from './chunker';
import { docxText } from './docx-text';
import { IngestionError } from './ingestion.errors';
import { ParseBudget, type ParseLimits, type ParseUsage } from './parse-limits';
import { pdfText } from './pdf-text';
import { OoxmlPackage } from './xml-part';
import { xlsxText } from './xlsx-text';
import { readZipDirectory } from './zip-reader';

/** UTF-8 decoded a slice at a time, so the character limit stops a huge text before all of it is decoded. */
const TEXT_SLICE_BYTES = 1024 * 1024;

export interface DocumentChunks {
  chunks: string[];
  usage: ParseUsage;
}

function plainText(content: Buffer, budget: ParseBudget): string {
  const decoder = new TextDecoder('utf-8');
  const pieces: string[] = [];
  for (let at = 0; at < content.length; at += TEXT_SLICE_BYTES) {
    const piece = decoder.decode(content.subarray(at, at + TEXT_SLICE_BYTES), { stream: true });
    budget.chars(piece.length);
    pieces.push(piece);
  }
  pieces.push(decoder.decode());
  return pieces.join('').replace(/^\uFEFF/, '');
}

/**
 * Plain text of a PDF (pdf.js), DOCX or XLSX (streamed from their zip parts, see OoxmlPackage) or
 * UTF-8 text, with every limit counted as the text is produced. Runs inside the parse thread.
 */
export async function extractText(kind: DocumentKind, content: Buffer, budget: ParseBudget): Promise<string> {
  try {
    switch (kind) {
      case 'pdf':
        return await pdfText(content, budget);
      case 'docx':
        return await docxText(new OoxmlPackage(content, readZipDirectory(content), budget), budget);
      case 'xlsx':
        return await xlsxText(new OoxmlPackage(content, readZipDirectory(content), budget), budget);
      default:
        return plainText(content, budget);
    }
  } catch (error) {
    if (error instanceof IngestionError) throw error;
    throw new IngestionError(
      'DOCUMENT_UNREADABLE',
      `The ${kind.toUpperCase()} file could not be read: ${(error as Error).message}`,
    );
  }
}

/** The document's chunks, counted against INGEST_MAX_CHUNKS as they are cut. */
export async function documentChunks(
  kind: DocumentKind,
  content: Buffer,
  limits: ParseLimits,
  chunking: ChunkOptions,
): Promise<DocumentChunks> {
  const budget = new ParseBudget(limits);
  const text = await extractText(kind, content, budget);
  const chunks: string[] = [];
  for (const chunk of chunkText(text, chunking)) {
    budget.chunk();
    chunks.push(chunk);
  }
  if (chunks.length === 0) {
    throw new IngestionError('DOCUMENT_EMPTY', 'The document contains no text (a scanned PDF needs OCR before upload)');
  }
  return { chunks, usage: budget.usage };
}
