import { constants, deflateRawSync } from 'node:zlib';
import { buildZip } from './documents';

/**
 * Hostile uploads, built at test time: small files that cost a naive parser far more than their
 * size. bench/hostile-uploads.js builds the same shapes at full size.
 */

const contentTypes = (part: string, type: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="/${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}.main+xml"/>` +
  '</Types>';
const CONTENT_TYPES = contentTypes('word/document.xml', 'wordprocessingml.document');
const WORKBOOK_CONTENT_TYPES = contentTypes('xl/workbook.xml', 'spreadsheetml.sheet');

const rels = (target: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/>` +
  '</Relationships>';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** The parts of a one-sheet workbook, around `sheet` (the worksheet XML) and `strings` (shared strings). */
function workbookParts(sheet: string | Buffer, strings: string[]): Record<string, string | Buffer> {
  return {
    '[Content_Types].xml': WORKBOOK_CONTENT_TYPES,
    '_rels/.rels': rels('xl/workbook.xml'),
    'xl/workbook.xml':
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
      '</Relationships>',
    'xl/sharedStrings.xml':
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      strings.map((s) => `<si><t>${s}</t></si>`).join('') +
      '</sst>',
    'xl/worksheets/sheet1.xml': sheet,
  };
}

/** A workbook of `rows` rows whose every cell points at the same shared string. */
export function manyRowsXlsx(rows: number): Buffer {
  const body = Array.from({ length: rows }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>0</v></c></row>`);
  const sheet =
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    body.join('') +
    '</sheetData></worksheet>';
  return buildZip(workbookParts(sheet, ['JOB001 abended with RC=12, restart it from the console']));
}

/**
 * A raw deflate stream that inflates to `prefix`, then `filler` `times` times, then `suffix`, while
 * staying tiny: the filler is compressed once (full flush: no back-references across blocks) and
 * its compressed block repeated.
 */
function repeatedDeflate(prefix: string, filler: string, times: number, suffix: string): Buffer {
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const block = deflateRawSync(Buffer.from(filler), flush);
  return Buffer.concat([
    deflateRawSync(Buffer.from(prefix), flush),
    ...Array.from({ length: times }, () => block),
    deflateRawSync(Buffer.from(suffix)),
  ]);
}

/** Rewrites every entry's declared uncompressed size (local and central headers) to `declared`. */
function lieAboutSizes(zip: Buffer, declared: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = 0; at + 4 <= out.length; at++) {
    const signature = out.readUInt32LE(at);
    if (signature === 0x04034b50) out.writeUInt32LE(declared, at + 22);
    else if (signature === 0x02014b50) out.writeUInt32LE(declared, at + 24);
  }
  return out;
}

/** A zip whose `part` is stored as a pre-compressed deflate stream (so it can inflate far beyond its size). */
function zipWithDeflated(entries: Record<string, string>, part: string, deflated: Buffer): Buffer {
  const placeholder = 'PLACEHOLDER';
  const zip = buildZip({ ...entries, [part]: placeholder });
  const marker = deflateRawSync(Buffer.from(placeholder));
  const at = zip.indexOf(marker);
  const patched = Buffer.concat([zip.subarray(0, at), deflated, zip.subarray(at + marker.length)]);
  // Entries after `part` moved: buildZip puts `part` last among locals, so only the directory offset shifts.
  const end = patched.length - 22;
  patched.writeUInt32LE(patched.readUInt32LE(end + 16) + deflated.length - marker.length, end + 16);
  for (let p = 0; p + 4 <= end; p++) {
    const signature = patched.readUInt32LE(p);
    if (signature === 0x04034b50 && patched.toString('utf8', p + 30, p + 30 + part.length) === part) {
      patched.writeUInt32LE(deflated.length, p + 18);
    } else if (signature === 0x02014b50 && patched.toString('utf8', p + 46, p + 46 + part.length) === part) {
      patched.writeUInt32LE(deflated.length, p + 20);
    }
  }
  return patched;
}

const MB = 1024 * 1024;
/** One mebibyte of markup that yields no text, rows or cells: only the inflated-bytes count can stop it. */
const EMPTY_MARKUP = '<w:proofErr/>'.repeat(MB / 13) + ' '.repeat(MB % 13);

/** A DOCX that inflates to about `inflatedMb` MiB while its headers claim a few hundred bytes. */
export function lyingDocx(inflatedMb: number): Buffer {
  const deflated = repeatedDeflate(
    `<w:document ${W}><w:body><w:p><w:r><w:t>Innocent</w:t></w:r></w:p>`,
    EMPTY_MARKUP,
    inflatedMb,
    '</w:body></w:document>',
  );
  const zip = zipWithDeflated(
    { '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': rels('word/document.xml') },
    'word/document.xml',
    deflated,
  );
  return lieAboutSizes(zip, 600);
}

/** An XLSX whose worksheet inflates to about `inflatedMb` MiB while its headers claim a few hundred bytes. */
export function lyingXlsx(inflatedMb: number): Buffer {
  const deflated = repeatedDeflate(
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    EMPTY_MARKUP.replaceAll('w:proofErr', 'x:ignored'),
    inflatedMb,
    '</sheetData></worksheet>',
  );
  const parts = workbookParts('', ['x']);
  delete parts['xl/worksheets/sheet1.xml'];
  const zip = zipWithDeflated(parts as Record<string, string>, 'xl/worksheets/sheet1.xml', deflated);
  return lieAboutSizes(zip, 600);
}

/** The classic entity-expansion bomb: ten levels of ten references, a billion "lol"s from under 1 KB. */
export function billionLaughsDocx(): Buffer {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return buildZip({
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': rels('word/document.xml'),
    'word/document.xml':
      `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]>` +
      `<w:document ${W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`,
  });
}

/**
 * A PDF of a billion pages in under 2 KB: each level of the page tree holds the next level ten
 * times (the same object), nine levels deep, over one real page. Every page resolves; a reader
 * that walks them all never finishes.
 */
export function billionPagesPdf(): Buffer {
  const LEVELS = 9;
  const objects: string[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  // Objects 2..10 are the tree's levels (2 is the root); 11 the page, 12 its content, 13 the font.
  for (let level = 0; level < LEVELS; level++) {
    const id = 2 + level;
    const child = level === LEVELS - 1 ? 11 : id + 1;
    const parent = level === 0 ? '' : `/Parent ${id - 1} 0 R `;
    objects[id] = `<< /Type /Pages ${parent}/Kids [${`${child} 0 R `.repeat(10)}] /Count ${10 ** (LEVELS - level)} >>`;
  }
  const stream = 'BT /F1 11 Tf 50 800 Td (One page, a billion times) Tj ET';
  objects[11] = `<< /Type /Page /Parent ${1 + LEVELS} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 13 0 R >> >> /Contents 12 0 R >>`;
  objects[12] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  objects[13] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A PDF header, then nothing a cross-reference table or the recovery scan can use. */
export function brokenXrefPdf(): Buffer {
  return Buffer.from(`%PDF-1.7\n${'% nothing here\n'.repeat(2000)}startxref\n987654321\n%%EOF\n`, 'latin1');
}

/** `bytes` of text without a single line break or space. */
export function oneLineText(bytes: number): Buffer {
  return Buffer.alloc(bytes, 'abcdefghij');
}

/** A DOCX with a single run of `mb` MiB of text: a parser that holds whole text nodes needs that much heap. */
export function giantRunDocx(mb: number): Buffer {
  const deflated = repeatedDeflate(
    `<w:document ${W}><w:body><w:p><w:r><w:t>`,
    'lorem ipsum '.repeat(MB / 12) + 'x'.repeat(MB % 12),
    mb,
    '</w:t></w:r></w:p></w:body></w:document>',
  );
  return zipWithDeflated(
    { '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': rels('word/document.xml') },
    'word/document.xml',
    deflated,
  );
}

/** Text of `count` distinct paragraphs of about 150 characters: exactly `count` chunks at CHUNK_SIZE=200, no overlap. */
export function paragraphsText(count: number): Buffer {
  return Buffer.from(
    Array.from({ length: count }, (_, i) =>
      `Paragraph ${i}: when job STREAM${i}.JOB${i % 97} abends, check the stdlist and restart it. `.padEnd(150, 'x'),
    ).join('\n\n'),
  );
}
