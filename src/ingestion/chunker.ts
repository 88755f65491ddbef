export interface ChunkOptions {
  /** Largest chunk, in characters. */
  size: number;
  /** Characters each chunk repeats from the end of the previous one, so no sentence is cut off from its context. */
  overlap: number;
}

/** A break is looked for in the last part of a window only, so chunks stay close to `size`. */
const BREAK_SEARCH_FRACTION = 0.3;

/**
 * Collapses runs of spaces and blank lines; keeps paragraph breaks, which are the best places to cut.
 * NUL characters are dropped and lone surrogates mended (U+FFFD): PostgreSQL text cannot hold them.
 */
export function normalizeText(text: string): string {
  return (text as string & { toWellFormed(): string })
    .toWellFormed()
    .replaceAll('\u0000', '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Where to end a chunk that would otherwise end at `end`: a paragraph, then a sentence, then a word
 * boundary. Only the window's tail is searched: a text without any separator (one 20 MB line) must
 * not be scanned back to its start for every chunk.
 */
function breakPoint(text: string, start: number, end: number, size: number): number {
  if (end >= text.length) return text.length;
  const floor = start + Math.floor(size * (1 - BREAK_SEARCH_FRACTION));
  const tail = text.slice(floor, end);
  for (const separator of ['\n\n', '\n', '. ', '? ', '! ', '; ', ' ']) {
    const at = tail.lastIndexOf(separator, tail.length - separator.length);
    if (at >= 0) return floor + at + separator.length;
  }
  return end;
}

/** Moves a chunk start forward to the next word, so an overlap does not begin mid-word. */
function wordStart(text: string, index: number, limit: number): number {
  if (index <= 0 || /\s/.test(text[index - 1])) return index;
  const space = text.slice(index, limit).indexOf(' ');
  return space !== -1 && index + space + 1 < limit ? index + space + 1 : index;
}

/**
 * Splits text into chunks of at most `size` characters, each starting `overlap` characters before
 * the previous one ended, cut at paragraph, sentence or word boundaries where one is near.
 */
export function* chunkText(text: string, { size, overlap }: ChunkOptions): Generator<string> {
  const normalized = normalizeText(text);
  let start = 0;
  while (start < normalized.length) {
    const end = breakPoint(normalized, start, Math.min(start + size, normalized.length), size);
    const chunk = normalized.slice(start, end).trim();
    if (chunk) yield chunk;
    if (end >= normalized.length) return;
    start = Math.max(wordStart(normalized, end - overlap, end), start + 1);
  }
}
