import { buildDocx, buildPdf, buildXlsx } from '../../test/support/documents';
import { lyingDocx } from '../../test/support/hostile-documents';
import { extractText } from './document-text';
import { detectDocumentType } from './document-type';
import { IngestionError } from './ingestion.errors';
import { ParseBudget } from './parse-limits';

const LIMITS = {
  maxUnpackedBytes: 64 * 1024 * 1024,
  maxPages: 100,
  maxChars: 1_000_000,
  maxRows: 1000,
  maxCells: 10_000,
  maxChunks: 100,
};
const budget = () => new ParseBudget(LIMITS);
const ALL = ['pdf', 'docx', 'xlsx', 'txt', 'md', 'csv'] as const;

describe('document types and text', () => {
  it('reads a PDF page by page', async () => {
    const pdf = buildPdf(['Runbook (page one)\nRestart the agent', 'Page two: check the JOBMAN log']);
    expect(await detectDocumentType(pdf, 'runbook.pdf', ALL)).toEqual({ kind: 'pdf', contentType: 'application/pdf' });
    const text = await extractText('pdf', pdf, budget());
    expect(text).toContain('Runbook (page one)');
    expect(text).toContain('Restart the agent');
    expect(text).toContain('check the JOBMAN log');
  });

  it('reads a DOCX', async () => {
    const docx = buildDocx(['First paragraph about ABEND codes.', 'Second <paragraph> & more.']);
    expect((await detectDocumentType(docx, 'notes.docx', ALL)).kind).toBe('docx');
    const text = await extractText('docx', docx, budget());
    expect(text).toContain('First paragraph about ABEND codes.');
    expect(text).toContain('Second <paragraph> & more.');
  });

  it('reads XLSX rows, labelled with the header', async () => {
    const xlsx = await buildXlsx({
      Codes: [
        ['Code', 'Meaning'],
        ['RC12', 'File not found'],
        ['RC8', 'Timeout'],
      ],
    });
    expect((await detectDocumentType(xlsx, 'codes.xlsx', ALL)).kind).toBe('xlsx');
    const text = await extractText('xlsx', xlsx, budget());
    expect(text).toContain('Sheet: Codes');
    expect(text).toContain('Code: RC12 | Meaning: File not found');
  });

  it('takes UTF-8 text by extension', async () => {
    expect((await detectDocumentType(Buffer.from('a,b\nç,d'), 'x.csv', ALL)).kind).toBe('csv');
    expect((await detectDocumentType(Buffer.from('# Title'), 'x.md', ALL)).kind).toBe('md');
  });

  it.each([
    ['a PDF named .docx', () => buildPdf(['x']), 'x.docx', 'UPLOAD_TYPE_MISMATCH'],
    ['text named .pdf', () => Buffer.from('not a pdf'), 'x.pdf', 'UPLOAD_TYPE_MISMATCH'],
    ['binary named .txt', () => Buffer.from([0x41, 0x00, 0xc3, 0x28]), 'x.txt', 'UPLOAD_TYPE_MISMATCH'],
    ['a PNG', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'x.png', 'UPLOAD_UNSUPPORTED_TYPE'],
    ['an unknown extension', () => Buffer.from('hello'), 'x.exe', 'UPLOAD_UNSUPPORTED_TYPE'],
  ])('rejects %s', async (_, content, name, code) => {
    await expect(detectDocumentType(content(), name, ALL)).rejects.toMatchObject({ code });
  });

  it('rejects kinds that are not allowed', async () => {
    await expect(detectDocumentType(Buffer.from('x'), 'x.txt', ['pdf'])).rejects.toBeInstanceOf(IngestionError);
  });

  it('reports a corrupt document as unreadable', async () => {
    const broken = Buffer.concat([buildPdf(['x']).subarray(0, 20)]);
    await expect(extractText('pdf', broken, budget())).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    await expect(extractText('docx', Buffer.from('PK\u0003\u0004garbage'), budget())).rejects.toMatchObject({
      code: 'DOCUMENT_UNREADABLE',
    });
  });
});

describe('limits counted while reading', () => {
  it('stops decoding a long text at INGEST_MAX_CHARS instead of decoding all of it first', async () => {
    const sut = new ParseBudget({ ...LIMITS, maxChars: 100_000 });
    const text = Buffer.alloc(8 * 1024 * 1024, 'one long line without an end ');
    await expect(extractText('txt', text, sut)).rejects.toMatchObject({
      message: expect.stringContaining('INGEST_MAX_CHARS'),
    });
    expect(sut.usage.chars).toBeLessThanOrEqual(100_000 + 1024 * 1024);
  });

  it('stops inflating a zip entry at INGEST_MAX_UNPACKED_BYTES, whatever its headers claim', async () => {
    const sut = new ParseBudget({ ...LIMITS, maxUnpackedBytes: 2 * 1024 * 1024 });
    await expect(extractText('docx', lyingDocx(256), sut)).rejects.toMatchObject({
      message: expect.stringContaining('INGEST_MAX_UNPACKED_BYTES'),
    });
    expect(sut.usage.inflatedBytes).toBeLessThan(3 * 1024 * 1024);
  });
});
