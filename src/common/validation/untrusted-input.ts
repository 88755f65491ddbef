import { DomainError, type FieldProblem } from '../errors/domain-error';

/**
 * Deepest nesting of objects and arrays accepted in a JSON body or WebSocket frame. No contract
 * needs more than a handful of levels; deeper input only exists to exhaust a recursive reader
 * (class-transformer, the validator) or the JSON parser itself.
 */
export const MAX_JSON_DEPTH = 64;

export const NUL_PROBLEM = 'must not contain NUL characters (\\u0000)';
export const LONE_SURROGATE_PROBLEM = 'must not contain lone UTF-16 surrogates (malformed unicode)';
export const TOO_DEEP_PROBLEM = `is nested deeper than ${MAX_JSON_DEPTH} levels`;

/** Where the value came from, for the message: `JSON body field messages.0.text …`. */
export type InputPlace = 'body' | 'query' | 'header' | 'path' | 'message';

const PLACE_NAMES: Record<InputPlace, string> = {
  body: 'JSON body field',
  query: 'Query parameter',
  header: 'Header',
  path: 'Path',
  message: 'Message field',
};

/** Untrusted text or structure refused at the edge: 400 with the offending field in `details`. */
export class UnsafeInputError extends DomainError {
  constructor(place: InputPlace, field: string, problem: string) {
    const details: FieldProblem[] = [{ field, problems: [problem] }];
    super('UNSAFE_INPUT', `${PLACE_NAMES[place]} ${field} ${problem}`, 'invalid', details);
  }

  get field(): string {
    return (this.details as FieldProblem[])[0].field;
  }
}

interface WellFormed {
  isWellFormed(): boolean;
}

/** What is wrong with a string PostgreSQL and every later reader would choke on or silently alter, if anything. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_PROBLEM;
  if (!(text as unknown as WellFormed).isWellFormed()) return LONE_SURROGATE_PROBLEM;
  return undefined;
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether raw JSON nests deeper than `maxDepth`, read in one pass without parsing: brackets
 * outside strings are counted, and the scan stops at the first level too deep. Works on UTF-8
 * bytes (every byte of a multi-byte character is >= 0x80) and on decoded text alike, so a
 * megabyte of `[` costs a millisecond here instead of a second in `JSON.parse`.
 */
export function jsonNestingExceeds(raw: string | Uint8Array, maxDepth = MAX_JSON_DEPTH): boolean {
  const text = typeof raw === 'string';
  const length = raw.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const code = text ? raw.charCodeAt(i) : raw[i];
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) depth--;
  }
  return false;
}

const join = (path: string, segment: string | number): string => (path ? `${path}.${segment}` : String(segment));

/** A key that is itself unsafe is named by its escaped form, never echoed raw. */
const keyName = (key: string): string => (textProblem(key) ? JSON.stringify(key).slice(1, -1) : key);

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

/**
 * The first unsafe string (value or key, in document order) or level of nesting in an already
 * parsed value, found with an explicit stack: hostile depth cannot overflow the call stack here.
 * `root` names the value itself when it is a bare string (a query parameter, a header).
 */
export function findUnsafeInput(
  value: unknown,
  root = '',
  maxDepth = MAX_JSON_DEPTH,
): { field: string; problem: string } | undefined {
  const stack: Pending[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field: path || '(root)', problem };
      continue;
    }
    if (current === null || typeof current !== 'object' || ArrayBuffer.isView(current)) continue;
    if (depth >= maxDepth) return { field: path || '(root)', problem: TOO_DEEP_PROBLEM };
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--)
        stack.push({ value: current[i], path: join(path, i), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(current as Record<string, unknown>);
    for (const [key] of entries) {
      const problem = textProblem(key);
      if (problem) return { field: join(path, keyName(key)), problem: `name ${problem}` };
    }
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push({ value: entries[i][1], path: join(path, entries[i][0]), depth: depth + 1 });
  }
  return undefined;
}

/** Throws `UnsafeInputError` for the first unsafe string or nesting in `value`. */
export function assertSafeInput(value: unknown, place: InputPlace, root = ''): void {
  const found = findUnsafeInput(value, root);
  if (found) throw new UnsafeInputError(place, found.field, found.problem);
}

/**
 * JSON from an untrusted peer (a WebSocket frame): nesting checked on the raw text before
 * parsing, strings and keys after. Throws `UnsafeInputError`, or `SyntaxError` for bad JSON.
 */
export function parseUntrustedJson(raw: string, place: InputPlace = 'message'): unknown {
  if (jsonNestingExceeds(raw)) throw new UnsafeInputError(place, '(root)', TOO_DEEP_PROBLEM);
  const value: unknown = JSON.parse(raw);
  assertSafeInput(value, place);
  return value;
}
