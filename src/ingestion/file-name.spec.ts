import { isStoredFileName, MAX_FILE_NAME_LENGTH, sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['document.pdf', 'document.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['C:\\Users\\ops\\runbook.docx', 'runbook.docx'],
    ['/abs/path/plan.xlsx', 'plan.xlsx'],
    ['.env', 'env'],
    ['...hidden.txt', 'hidden.txt'],
    ['name\u0000.pdf.txt', 'name_.pdf.txt'],
    ['a<b>c:d"e|f?g*h.md', 'a_b_c_d_e_f_g_h.md'],
    ['100%.csv', '100_.csv'],
    ['  spaced   out  .txt  ', 'spaced out .txt'],
    ['relatório de incidentes.pdf', 'relatório de incidentes.pdf'],
    ['trailing.dots...', 'trailing.dots'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
    expect(isStoredFileName(expected)).toBe(true);
  });

  it.each(['', '..', '/', '\\', '...', '\u0000', '___'])('rejects %j', (input) => {
    expect(sanitizeFileName(input)).toBeUndefined();
    expect(isStoredFileName(input)).toBe(false);
  });

  it('shortens long names and keeps the extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(500)}.pdf`);
    expect(name).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name?.endsWith('.pdf')).toBe(true);
  });

  it.each(['../x.pdf', 'a/b.pdf', 'a\\b.pdf', '.env', 'x\u0000.pdf', 'x\r\n.pdf', '%2e%2e'])(
    'does not accept %j as a stored name',
    (name) => {
      expect(isStoredFileName(name)).toBe(false);
    },
  );
});
