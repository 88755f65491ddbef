import { IngestionError } from './ingestion.errors';
import type { ParseBudget } from './parse-limits';
import type { OoxmlPackage } from './xml-part';

const MAIN_WORKBOOK = 'xl/workbook.xml';
/** Excel's last column (XFD); a cell reference beyond it is not a spreadsheet's. */
const MAX_COLUMN = 16_384;

interface Cell {
  column: number;
  text: string;
}

/** `B12` → 2 (1-based), or undefined for a reference without letters. */
function columnOf(reference: string | undefined): number | undefined {
  if (!reference) return undefined;
  let column = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
    if (column > MAX_COLUMN) return undefined;
  }
  return column || undefined;
}

/** The shared strings table: one entry per `<si>`, its runs' text joined (phonetic runs left out). */
async function sharedStrings(pkg: OoxmlPackage, part: string | undefined, budget: ParseBudget): Promise<string[]> {
  const strings: string[] = [];
  if (!part || !pkg.has(part)) return strings;
  let current: string[] = [];
  let inText = false;
  let inPhonetic = false;
  await pkg.parse(part, {
    open: (name) => {
      if (name === 'si') current = [];
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && !inPhonetic) inText = true;
    },
    close: (name) => {
      if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') {
        budget.cell();
        strings.push(current.join(''));
      }
    },
    text: (text) => {
      if (!inText) return;
      budget.chars(text.length);
      current.push(text);
    },
  });
  return strings;
}

/**
 * Turns one sheet's rows into lines as they stream in. When the first row reads like a header
 * (every cell filled, from the first column on, none a number), each later value is labelled with
 * its column's header.
 */
class SheetLines {
  private header: Cell[] | undefined;
  private labels: string[] | undefined;
  private rows = 0;

  constructor(
    private readonly emit: (line: string) => void,
    name: string,
  ) {
    emit(`Sheet: ${name}`);
  }

  row(cells: Cell[]): void {
    const filled = cells.filter((cell) => cell.text !== '');
    if (filled.length === 0) return;
    this.rows++;
    if (this.rows === 1) {
      this.header = filled;
      const contiguous = filled.every((cell, i) => cell.column === i + 1);
      if (contiguous && filled.every((cell) => Number.isNaN(Number(cell.text)))) {
        this.labels = filled.map((cell) => cell.text);
      }
      return;
    }
    if (this.rows === 2 && !this.labels) this.line(this.header ?? []);
    this.line(filled);
  }

  /** A sheet with a header row alone is written plainly. */
  end(): void {
    if (this.rows === 1) this.line(this.header ?? []);
  }

  private line(cells: Cell[]): void {
    const labels = this.labels;
    const text = labels
      ? cells.map((cell) => `${labels[cell.column - 1] ?? `Column ${cell.column}`}: ${cell.text}`).join(' | ')
      : cells.map((cell) => cell.text).join(' | ');
    if (text) this.emit(text);
  }
}

/**
 * A workbook's text, one line per row, sheet after sheet, read as each sheet streams in: rows,
 * cells and characters are counted as they come, so a sheet of a million rows pointing at one
 * shared string stops at the first limit instead of being built in memory.
 */
export async function xlsxText(pkg: OoxmlPackage, budget: ParseBudget): Promise<string> {
  const workbook = await pkg.mainPart(MAIN_WORKBOOK);
  const relations = await pkg.relationships(workbook);
  const sheets: { name: string; relation: string }[] = [];
  await pkg.parse(workbook, {
    open: (name, attributes) => {
      if (name !== 'sheet') return;
      const relation = Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1] ?? '';
      sheets.push({ name: attributes.name ?? `Sheet${sheets.length + 1}`, relation });
    },
  });
  const shared = await sharedStrings(
    pkg,
    [...relations.values()].find((relation) => relation.type.endsWith('/sharedStrings'))?.target,
    budget,
  );

  const lines: string[] = [];
  for (const sheet of sheets) {
    const part = relations.get(sheet.relation)?.target;
    if (!part || !pkg.has(part)) continue;
    const start = lines.length;
    const emit = (line: string) => {
      budget.chars(line.length + 1);
      lines.push(line);
    };
    const output = new SheetLines(emit, sheet.name);
    let cells: Cell[] = [];
    let cell: { column: number; type: string; value: string[] } | undefined;
    let inValue = false;
    await pkg.parse(part, {
      open: (name, attributes) => {
        if (name === 'row') {
          budget.row();
          cells = [];
        } else if (name === 'c') {
          budget.cell();
          const column = columnOf(attributes.r) ?? (cells.at(-1)?.column ?? 0) + 1;
          if (column > MAX_COLUMN)
            throw new IngestionError('DOCUMENT_UNREADABLE', 'The workbook has a cell past column XFD');
          cell = { column, type: attributes.t ?? 'n', value: [] };
        } else if (cell && (name === 'v' || name === 't')) inValue = true;
      },
      close: (name) => {
        if (name === 'v' || name === 't') inValue = false;
        else if (name === 'c' && cell) {
          cells.push({ column: cell.column, text: cellText(cell.type, cell.value.join(''), shared) });
          cell = undefined;
        } else if (name === 'row') output.row(cells);
      },
      text: (text) => {
        if (!inValue || !cell) return;
        budget.chars(text.length);
        cell.value.push(text);
      },
    });
    output.end();
    if (lines.length - start <= 1) lines.length = start;
    else lines.push('');
  }
  return lines.join('\n');
}

function cellText(type: string, value: string, shared: readonly string[]): string {
  switch (type) {
    case 's':
      return (shared[Number(value)] ?? '').trim();
    case 'b':
      return value === '1' ? 'TRUE' : 'FALSE';
    default:
      return value.trim();
  }
}
