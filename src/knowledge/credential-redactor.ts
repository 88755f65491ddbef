import { REDACTION_MARK } from '../audit/audit-queue.port';

/** What was taken out of a text, by kind (never the secret itself). */
export interface Redaction {
  text: string;
  found: string[];
}

interface Replacement {
  label: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const MARK = REDACTION_MARK;

/**
 * Values that show where a secret goes rather than a secret, and words that follow "password is"
 * in ordinary sentences: left as they are.
 */
const NOT_A_SECRET =
  /^(?:\*{3,}|x{3,}|\.+|<[^>]*>?|\$\{?[\w.]+\}?|%[\w]+%?|\{\{?[\w.]+\}?\}?|\[redacted\]|changeme|redacted|your[\w-]*|seu[\w-]*|sua[\w-]*|example[\w-]*|null|none|nil|undefined|true|false|yes|no|required|optional|string|empty|blank|set|unset|missing|expired|invalid|wrong|correct|incorrect|valid|changed|reset|locked|same|different|stored|kept|not|the|an?|in|on|from|o|em|na)$/i;

/** A key that names a secret: `password`, `senha`, `TWS_PASSWORD`, `api_key`, `clientSecret`, `DB_PASS`… */
const SECRET_KEY =
  /(?:password|passwd|passphrase|senha|contrase[nñ]a|secret|api[-_]?key|access[-_]?key|private[-_]?key|auth[-_]?token|access[-_]?token|refresh[-_]?token|credentials?)|(?:^|[-_.])(?:pass|pwd|token)$|[-_.]key$/i;

/**
 * `key = value`, `key: value`, `"key": "value"`, `key => value`, `the password is value`. Every
 * quantifier is bounded, so a hostile text costs linear time.
 */
const ASSIGNMENT =
  /(?<![\w.-])([A-Za-z][\w.-]{0,60})(["']?)([ \t]{0,5}(?:=>|=|:)[ \t]{0,5}|[ \t]{1,5}(?:is|é|era)[ \t]{1,5})("[^"\n]{1,300}"|'[^'\n]{1,300}'|`[^`\n]{1,300}`|[^\s"'`,;]{1,300})/g;

const REPLACEMENTS: readonly Replacement[] = [
  {
    label: 'private key',
    pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|$)/g,
    replace: () => MARK,
  },
  {
    label: 'password in a URL',
    pattern: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,100}:)([^\s@/]{1,100})@/gi,
    replace: (_, prefix) => `${prefix}${MARK}@`,
  },
  {
    label: 'authorization header',
    pattern: /\b(authorization[ \t]{0,5}:[ \t]{0,5}(?:basic|digest|token|apikey)[ \t]{1,5})[A-Za-z0-9._~+/=-]{6,}/gi,
    replace: (_, prefix) => `${prefix}${MARK}`,
  },
  {
    label: 'bearer token',
    pattern: /\b(bearer[ \t]{1,5})[A-Za-z0-9._~+/-]{8,}=*/gi,
    replace: (_, prefix) => `${prefix}${MARK}`,
  },
  {
    label: 'JWT',
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
    replace: () => MARK,
  },
  {
    label: 'AWS access key',
    pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
    replace: () => MARK,
  },
  {
    label: 'API token',
    pattern:
      /\b(?:sk-[A-Za-z0-9_-]{20,200}|xox[abprs]-[A-Za-z0-9-]{10,200}|gh[pousr]_[A-Za-z0-9]{30,200}|github_pat_[A-Za-z0-9_]{30,200}|glpat-[A-Za-z0-9_-]{20,200})/g,
    replace: () => MARK,
  },
];

function redactAssignments(text: string, found: Set<string>): string {
  return text.replace(ASSIGNMENT, (match: string, key: string, quote: string, separator: string, raw: string) => {
    if (!SECRET_KEY.test(key)) return match;
    const quoted = /^["'`]/.test(raw);
    const value = quoted ? raw.slice(1, -1) : raw;
    // "The password is expired: …": the sentence's punctuation is not part of the word.
    const word = quoted ? value.trim() : value.replace(/[.:,!?)]+$/, '');
    if (word.length === 0 || NOT_A_SECRET.test(word)) return match;
    found.add('password or secret');
    const wrapped = quoted ? `${raw[0]}${MARK}${raw[0]}` : MARK;
    return `${key}${quote}${separator}${wrapped}`;
  });
}

/**
 * Takes credentials out of a text before it is stored anywhere: passwords and `KEY=value`
 * secrets, bearer and API tokens, JWTs, AWS access keys, private key blocks, passwords in URLs.
 * Each becomes `[REDACTED]`; the key or scheme around it stays, so the text still reads.
 * Applying it twice changes nothing.
 */
export function redactCredentials(text: string): Redaction {
  const found = new Set<string>();
  let redacted = text;
  for (const { label, pattern, replace } of REPLACEMENTS) {
    redacted = redacted.replace(pattern, (...args: unknown[]) => {
      found.add(label);
      return replace(...(args as [string, ...string[]]));
    });
  }
  redacted = redactAssignments(redacted, found);
  return { text: redacted, found: [...found] };
}

/** Every string inside a JSON-like value, redacted (keys stay). */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactCredentials(value).text;
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactJson(inner)]));
  return value;
}
