import type { ParseBudget } from './parse-limits';

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

/** A PDF's text, page by page. The page count is checked before any page is read; characters as each page is. */
export async function pdfText(content: Buffer, budget: ParseBudget): Promise<string> {
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
    budget.pages(document.numPages);
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const text = await page.getTextContent();
      const pageText = text.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .trim();
      budget.chars(pageText.length + 2);
      pages.push(pageText);
      page.cleanup();
    }
    return pages.join('\n\n');
  } finally {
    await document.destroy();
  }
}
