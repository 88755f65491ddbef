import { isUtf8 } from 'node:buffer';
import type { DocumentKind } from '../config/sections/ingestion.section';
import { extensionOf } from './file-name';
import { IngestionError } from './ingestion.errors';

export interface DocumentType {
  kind: DocumentKind;
  contentType: string;
}

const CONTENT_TYPES: Record<DocumentKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
};

const LABELS: Record<DocumentKind, string> = {
  pdf: 'a PDF document',
  docx: 'a Word (DOCX) document',
  xlsx: 'an Excel (XLSX) workbook',
  txt: 'plain text',
  md: 'Markdown text',
  csv: 'CSV text',
};

/** Binary formats are recognised by their bytes; these have no signature and go by extension plus a UTF-8 check. */
const TEXT_KINDS: readonly DocumentKind[] = ['txt', 'md', 'csv'];
const BINARY_KINDS: readonly DocumentKind[] = ['pdf', 'docx', 'xlsx'];

const isKind = (value: string, kinds: readonly DocumentKind[]): value is DocumentKind =>
  (kinds as readonly string[]).includes(value);

/** DOCX and XLSX are zip archives. */
export const isZipKind = (kind: DocumentKind) => kind === 'docx' || kind === 'xlsx';

export const contentTypeOf = (kind: DocumentKind): string => CONTENT_TYPES[kind];

/**
 * What an upload really is, from its bytes (never from the client's Content-Type), checked against
 * its file name's extension and the allowed kinds. Throws 415-kind errors for anything else.
 */
export async function detectDocumentType(
  content: Buffer,
  fileName: string,
  allowed: readonly DocumentKind[],
): Promise<DocumentType> {
  const { fileTypeFromBuffer } = await import('file-type/core');
  const detected = await fileTypeFromBuffer(content);
  const extension = extensionOf(fileName);
  const accepted = allowed.map((kind) => `.${kind}`).join(', ');
  let kind: DocumentKind;

  if (detected) {
    if (!isKind(detected.ext, BINARY_KINDS)) {
      throw new IngestionError(
        'UPLOAD_UNSUPPORTED_TYPE',
        `Unsupported file type ${detected.mime}; accepted: ${accepted}`,
      );
    }
    if (extension !== detected.ext) {
      throw new IngestionError(
        'UPLOAD_TYPE_MISMATCH',
        `The file content is ${LABELS[detected.ext]} but its name ends in '.${extension}'; rename it to .${detected.ext}`,
      );
    }
    kind = detected.ext;
  } else if (isKind(extension, TEXT_KINDS)) {
    if (!isUtf8(content) || content.includes(0)) {
      throw new IngestionError(
        'UPLOAD_TYPE_MISMATCH',
        `The file name ends in '.${extension}' but the content is not UTF-8 text`,
      );
    }
    kind = extension;
  } else if (isKind(extension, BINARY_KINDS)) {
    throw new IngestionError(
      'UPLOAD_TYPE_MISMATCH',
      `The file name ends in '.${extension}' but the content is not ${LABELS[extension]}`,
    );
  } else {
    throw new IngestionError(
      'UPLOAD_UNSUPPORTED_TYPE',
      `Unsupported file type${extension ? ` '.${extension}'` : ''}; accepted: ${accepted}`,
    );
  }

  if (!allowed.includes(kind)) {
    throw new IngestionError(
      'UPLOAD_UNSUPPORTED_TYPE',
      `Uploads of ${LABELS[kind]} are not accepted here; accepted: ${accepted}`,
    );
  }
  return { kind, contentType: CONTENT_TYPES[kind] };
}
