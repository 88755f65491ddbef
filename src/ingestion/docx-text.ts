import type { ParseBudget } from './parse-limits';
import type { OoxmlPackage } from './xml-part';

const MAIN_DOCUMENT = 'word/document.xml';

/**
 * A Word document's text, paragraph by paragraph, read as the main part streams in: runs' text,
 * tabs and line breaks; deleted text and field instructions are left out.
 */
export async function docxText(pkg: OoxmlPackage, budget: ParseBudget): Promise<string> {
  const pieces: string[] = [];
  const add = (text: string) => {
    budget.chars(text.length);
    pieces.push(text);
  };
  let inText = false;
  await pkg.parse(await pkg.mainPart(MAIN_DOCUMENT), {
    open: (name) => {
      if (name === 't') inText = true;
      else if (name === 'tab') add('\t');
      else if (name === 'br' || name === 'cr') add('\n');
    },
    close: (name) => {
      if (name === 't') inText = false;
      else if (name === 'p') add('\n\n');
    },
    text: (text) => {
      if (inText) add(text);
    },
  });
  return pieces.join('');
}
