import type { DocumentKind } from '../config/sections/ingestion.section';
import { IngestionError } from './ingestion.errors';
import { assertZipUnpacksWithin } from './zip-guard';

/** DOCX and XLSX are zip archives. */
export const isZipKind = (kind: DocumentKind) => kind === 'docx' || kind === 'xlsx';

export interface ExtractOptions {
  maxUnpackedBytes: number;
}

/**
 * The one place that knows the document libraries: pdfjs-dist (PDF text), mammoth (DOCX) and
 * exceljs (XLSX rows). Each turns bytes into plain text for the chunker.
 */
export async function extractText(kind: DocumentKind, content: Buffer, options: ExtractOptions): Promise<string> {
  if (isZipKind(kind)) assertZipUnpacksWithin(content, options.maxUnpackedBytes);
  try {
    switch (kind) {
      case 'pdf':
        return await pdfText(content);
      case 'docx':
        return await docxText(content);
      case 'xlsx':
        return await xlsxText(content);
      default:
        return content.toString('utf8').replace(/^\uFEFF/, '');
    }
  } catch (error) {
    if (error instanceof IngestionError) throw error;
    throw new IngestionError(
      'DOCUMENT_UNREADABLE',
      `The ${kind.toUpperCase()} file could not be read: ${(error as Error).message}`,
    );
  }
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * pdf.js runs its parser in the calling thread when the worker module is already on `globalThis`;
 * that avoids its dynamic worker import, which neither Jest nor a bundled `dist` can follow.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjs;
}

async function pdfText(content: Buffer): Promise<string> {
  const { getDocument } = await loadPdfJs();
  // pdf.js takes ownership of (and detaches) the array it is given: hand it a copy.
  const document = await getDocument({
    data: new Uint8Array(content),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const text = await page.getTextContent();
      pages.push(
        text.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
          .join('')
          .trim(),
      );
      page.cleanup();
    }
    return pages.join('\n\n');
  } finally {
    await document.destroy();
  }
}

// The DOCX and XLSX libraries are loaded on first use: together they are a quarter of the boot's module loading.
async function docxText(content: Buffer): Promise<string> {
  const { default: mammoth } = await import('mammoth');
  const result = await mammoth.extractRawText({ buffer: content });
  return result.value;
}

/** One line per row; when the first row reads like a header, each value is labelled with its column. */
async function xlsxText(content: Buffer): Promise<string> {
  // A real import() of this CommonJS package exposes its exports as `default` only.
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheets: string[] = [];
  workbook.eachSheet((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => (cells[column - 1] = cell.text.trim()));
      rows.push(Array.from(cells, (cell) => cell ?? ''));
    });
    if (rows.length === 0) return;
    const [header, ...body] = rows;
    const labelled = body.length > 0 && header.every((cell) => cell !== '' && Number.isNaN(Number(cell)));
    const lines = labelled
      ? body.map((row) =>
          row
            .map((cell, i) => (cell ? `${header[i] ?? `Column ${i + 1}`}: ${cell}` : ''))
            .filter(Boolean)
            .join(' | '),
        )
      : rows.map((row) => row.filter(Boolean).join(' | '));
    sheets.push([`Sheet: ${sheet.name}`, ...lines.filter(Boolean)].join('\n'));
  });
  return sheets.join('\n\n');
}
