import { IngestionError } from './ingestion.errors';

/** What one document may cost to read; each is a setting, named in the error that reports it. */
export interface ParseLimits {
  maxUnpackedBytes: number;
  maxPages: number;
  maxChars: number;
  maxRows: number;
  maxCells: number;
  maxChunks: number;
}

/** How much a parse consumed, reported with its outcome. */
export interface ParseUsage {
  inflatedBytes: number;
  pages: number;
  chars: number;
  rows: number;
  cells: number;
  chunks: number;
}

const tooLarge = (message: string) => new IngestionError('DOCUMENT_TOO_LARGE', message);

/**
 * Counts what a parse consumes while it happens and throws as soon as a limit is crossed, so a
 * hostile document costs at most its limits, never its claims.
 */
export class ParseBudget {
  readonly usage: ParseUsage = { inflatedBytes: 0, pages: 0, chars: 0, rows: 0, cells: 0, chunks: 0 };

  constructor(readonly limits: ParseLimits) {}

  inflated(bytes: number): void {
    this.usage.inflatedBytes += bytes;
    if (this.usage.inflatedBytes > this.limits.maxUnpackedBytes) {
      throw tooLarge(
        `The document unpacks to more than ${this.limits.maxUnpackedBytes} bytes (INGEST_MAX_UNPACKED_BYTES)`,
      );
    }
  }

  /** A PDF's page count is known before any page is read. */
  pages(count: number): void {
    this.usage.pages = count;
    if (count > this.limits.maxPages) {
      throw tooLarge(`The PDF has ${count} pages; the limit is ${this.limits.maxPages} (INGEST_MAX_PAGES)`);
    }
  }

  chars(count: number): void {
    this.usage.chars += count;
    if (this.usage.chars > this.limits.maxChars) {
      throw tooLarge(`The document has more than ${this.limits.maxChars} characters of text (INGEST_MAX_CHARS)`);
    }
  }

  row(): void {
    if (++this.usage.rows > this.limits.maxRows) {
      throw tooLarge(`The workbook has more than ${this.limits.maxRows} rows (INGEST_MAX_ROWS)`);
    }
  }

  cell(): void {
    if (++this.usage.cells > this.limits.maxCells) {
      throw tooLarge(`The workbook has more than ${this.limits.maxCells} cells or shared strings (INGEST_MAX_CELLS)`);
    }
  }

  chunk(): void {
    if (++this.usage.chunks > this.limits.maxChunks) {
      throw tooLarge(`The document yields more than ${this.limits.maxChunks} chunks (INGEST_MAX_CHUNKS)`);
    }
  }
}
