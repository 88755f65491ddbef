import { ValidateBy, type ValidationOptions } from 'class-validator';

/** How many rounds of URL/entity decoding we undo before looking: enough for double encoding. */
const MAX_DECODE_ROUNDS = 3;

const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  amp: '&',
  colon: ':',
  lpar: '(',
  rpar: ')',
  sol: '/',
  tab: '\t',
  newline: '\n',
};

const SCRIPT_URL = /(?:java|vb|live)script:/i;

/** Markup that a browser would run or render: tags, event handlers, script URLs, CSS expressions. */
const DANGEROUS = [
  /<\/?[a-z!?]/i, // any tag, comment, doctype or processing instruction ("a < b" is prose)
  /\bdata\s*:\s*text\/html/i,
  // Event-handler attributes (onerror=, onmouseover=, ...), named so that prose such as "onboarding = done" passes.
  /\bon(?:error|load|unload|beforeunload|click|dblclick|auxclick|contextmenu|mouse[a-z]*|pointer[a-z]*|touch[a-z]*|key[a-z]*|focus[a-z]*|blur|change|input|submit|reset|select|abort|animation[a-z]*|transition[a-z]*|begin|end|drag[a-z]*|drop|wheel|scroll|toggle|resize|message|hashchange|popstate|page[a-z]*|copy|cut|paste|play[a-z]*|pause|ended|canplay[a-z]*|search|invalid|show|start|finish)\s*=/i,
  /\bexpression\s*\(/i,
  /\bsrcdoc\s*=/i,
];

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => safeCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => safeCodePoint(Number.parseInt(dec, 10)))
    .replace(/&([a-z]+);/gi, (whole, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? whole);
}

function safeCodePoint(code: number): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

function decodeUri(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

/**
 * True when the text, or any decoding of it (URL, HTML entities, nested up to three times, with
 * control characters and backslash escapes stripped), carries markup. Plain operator prose such as
 * "a < b" or "rc=12 -> ABEND" passes.
 */
// Control characters other than tab and line breaks, and zero-width characters: browsers skip them.
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\u200b-\u200d\ufeff]/gu;

export function containsMarkup(text: string): boolean {
  let current = text;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    const normalised = current
      .replace(INVISIBLE, '')
      .replace(/\\u003c/gi, '<')
      .replace(/\\x3c/gi, '<');
    // Browsers ignore whitespace inside a URL scheme ("jav\tascript:").
    const compact = normalised.replace(/\s+/g, '');
    if (DANGEROUS.some((pattern) => pattern.test(normalised)) || SCRIPT_URL.test(compact)) return true;
    const next = decodeEntities(decodeUri(normalised));
    if (next === current) return false;
    current = next;
  }
  return false;
}

/** Rejects strings that carry HTML or script (see `containsMarkup`); non-strings are left to other rules. */
export function NoMarkup(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noMarkup',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !containsMarkup(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must not contain HTML or script markup`,
      },
    },
    options,
  );
}
