import { buildDocx, buildPdf } from '../../test/support/documents';
import {
  billionLaughsDocx,
  brokenXrefPdf,
  giantRunDocx,
  billionPagesPdf,
  lyingDocx,
  lyingXlsx,
  manyRowsXlsx,
  oneLineText,
  paragraphsText,
} from '../../test/support/hostile-documents';
import { loadConfig } from '../config/load-config';
import { DocumentParser } from './document-parser';

const parserWith = (env: Record<string, string> = {}) =>
  new DocumentParser(loadConfig({ CHUNK_SIZE: '200', CHUNK_OVERLAP: '0', ...env }));

/** The longest the main thread's timers were late while `work` ran. */
async function worstTimerLag<T>(work: Promise<T>): Promise<{ lagMs: number; outcome: PromiseSettledResult<T> }> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  const [outcome] = await Promise.allSettled([work]);
  clearInterval(timer);
  return { lagMs: worst, outcome };
}

describe(DocumentParser.name, () => {
  const sut = parserWith({
    INGEST_MAX_UNPACKED_BYTES: '2mb',
    INGEST_MAX_ROWS: '5000',
    INGEST_MAX_CHARS: '1000000',
    INGEST_MAX_CHUNKS: '5000',
  });

  it('reads a document in its own thread and reports what it consumed', async () => {
    const { chunks, usage } = await sut.parse('docx', buildDocx(['Restart the agent with conman start.']));
    expect(chunks).toEqual(['Restart the agent with conman start.']);
    expect(usage).toMatchObject({ chunks: 1, chars: expect.any(Number), inflatedBytes: expect.any(Number) });
    expect(usage.inflatedBytes).toBeGreaterThan(0);
  });

  it('ingests a document of exactly INGEST_MAX_CHUNKS chunks whole, and refuses one more', async () => {
    const { chunks } = await sut.parse('txt', paragraphsText(5000));
    expect(chunks).toHaveLength(5000);
    expect(chunks[4999]).toContain('Paragraph 4999:');
    await expect(sut.parse('txt', paragraphsText(5001))).rejects.toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      message: expect.stringContaining('INGEST_MAX_CHUNKS'),
    });
  });

  it.each([
    ['a workbook of many rows pointing at one shared string', 'xlsx', () => manyRowsXlsx(20_000), 'INGEST_MAX_ROWS'],
    ['a DOCX whose zip headers lie about the inflated size', 'docx', () => lyingDocx(64), 'INGEST_MAX_UNPACKED_BYTES'],
    ['an XLSX whose zip headers lie about the inflated size', 'xlsx', () => lyingXlsx(64), 'INGEST_MAX_UNPACKED_BYTES'],
    ['a PDF of a billion pages', 'pdf', billionPagesPdf, 'INGEST_MAX_PAGES'],
    ['a text of one 3 MB line', 'txt', () => oneLineText(3 * 1024 * 1024), 'INGEST_MAX_CHARS'],
  ] as const)('stops %s at the limit it crosses', async (_, kind, build, limit) => {
    await expect(sut.parse(kind, build())).rejects.toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      message: expect.stringContaining(limit),
    });
  });

  it('refuses a part that declares entities (billion laughs)', async () => {
    await expect(sut.parse('docx', billionLaughsDocx())).rejects.toMatchObject({
      code: 'DOCUMENT_REFUSED',
      message: expect.stringContaining('DTD'),
    });
  });

  it('reports a PDF whose cross-reference table leads nowhere as unreadable', async () => {
    await expect(sut.parse('pdf', brokenXrefPdf())).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    expect((await sut.parse('pdf', buildPdf(['still fine']))).chunks).toEqual(['still fine']);
  });

  it('terminates a parse at INGEST_PARSE_TIMEOUT_MS while the main thread stays responsive', async () => {
    const slow = parserWith({ INGEST_PARSE_TIMEOUT_MS: '1000', INGEST_MAX_UNPACKED_BYTES: '4gb' });
    const started = Date.now();
    const { lagMs, outcome } = await worstTimerLag(slow.parse('docx', lyingDocx(3000)));
    expect(outcome).toMatchObject({
      status: 'rejected',
      reason: { code: 'DOCUMENT_TOO_LARGE', message: expect.stringContaining('INGEST_PARSE_TIMEOUT_MS') },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(lagMs).toBeLessThan(200);
  });

  it('stops a parse that outgrows INGEST_PARSE_MAX_HEAP_MB, and the next one runs as usual', async () => {
    const small = parserWith({
      INGEST_PARSE_MAX_HEAP_MB: '32',
      INGEST_MAX_UNPACKED_BYTES: '1gb',
      INGEST_MAX_CHARS: '500000000',
    });
    await expect(small.parse('docx', giantRunDocx(200))).rejects.toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      message: expect.stringContaining('INGEST_PARSE_MAX_HEAP_MB'),
    });
    expect((await small.parse('txt', Buffer.from('after the storm'))).chunks).toEqual(['after the storm']);
  });
});
