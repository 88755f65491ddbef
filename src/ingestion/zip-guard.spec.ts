import { buildDocx, buildZip } from '../../test/support/documents';
import { assertZipUnpacksWithin } from './zip-guard';

describe('assertZipUnpacksWithin', () => {
  it('accepts an archive within the limit', () => {
    expect(() => assertZipUnpacksWithin(buildDocx(['hello']), 1024 * 1024)).not.toThrow();
  });

  it('refuses an archive that unpacks beyond the limit, before inflating it', () => {
    const bomb = buildZip({ 'word/document.xml': Buffer.alloc(5 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(10 * 1024);
    expect(() => assertZipUnpacksWithin(bomb, 1024 * 1024)).toThrow(
      expect.objectContaining({ code: 'DOCUMENT_TOO_LARGE' }),
    );
  });

  it('refuses a truncated archive', () => {
    const docx = buildDocx(['hello']);
    expect(() => assertZipUnpacksWithin(docx.subarray(0, docx.length - 30), 1024 * 1024)).toThrow(
      expect.objectContaining({ code: 'DOCUMENT_UNREADABLE' }),
    );
  });
});
