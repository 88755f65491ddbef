import { containsMarkup } from '../common/validation/no-markup';
import { type AuditFinding, REDACTION_MARK, type ScreenedKind } from './audit-queue.port';

/** What a rule reads: one memory's question and answer (for other kinds, its source and text). */
export interface RuleSubject {
  userQuery: string;
  agentResponse: string;
}

export type RuleFinding = AuditFinding;

export interface AuditRule {
  id: string;
  check(subject: RuleSubject): RuleFinding | undefined;
}

interface Pattern {
  pattern: RegExp;
  label: string;
}

// Every pattern is linear (no nested quantifiers), so a hostile answer cannot make the auditor spin.
const DESTRUCTIVE: Pattern[] = [
  {
    pattern:
      /\brm\s+(?:-[a-z]*r[a-z]*f[a-z]*|-[a-z]*f[a-z]*r[a-z]*|-r\s+-f|-f\s+-r|--recursive\s+--force|--force\s+--recursive)\b/i,
    label: 'rm -rf',
  },
  { pattern: /\bdrop\s+(?:table|database|schema|user|index)\b/i, label: 'DROP' },
  { pattern: /\btruncate\s+(?:table\s+)?[a-z_][\w.]*\s*(?:;|$)/im, label: 'TRUNCATE' },
  { pattern: /\bdelete\s+from\s+[a-z_][\w.]*\s*(?:;|$)/im, label: 'DELETE without WHERE' },
  { pattern: /\bmkfs(?:\.[a-z0-9]+)?\s/i, label: 'mkfs' },
  { pattern: /\bdd\s+[^\n]{0,200}\bof=\/dev\//i, label: 'dd to a device' },
  { pattern: /:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/, label: 'fork bomb' },
  { pattern: /\bchmod\s+-R\s+0?777\s+\/(?:\s|$)/i, label: 'chmod -R 777 /' },
  { pattern: /\bformat\s+[a-z]:/i, label: 'format drive' },
  { pattern: /\b(?:shutdown|halt|poweroff|reboot)\s+(?:-[hrP]\b|now\b|\/[sr]\b)/i, label: 'shutdown' },
  { pattern: /\bkill\s+-9\s+-1\b/, label: 'kill -9 -1' },
  // HWA/TWS operations that remove definitions or throw away the plan.
  { pattern: /\bcomposer\s+(?:delete|del)\b/i, label: 'composer delete' },
  { pattern: /\bconman\s+["']?(?:cancel|cn|stop\s+@|shutdown)\b/i, label: 'conman cancel/stop' },
  { pattern: /\bResetPlan\b[^\n]{0,40}-scratch\b/i, label: 'ResetPlan -scratch' },
];

const CREDENTIALS: Pattern[] = [
  { pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, label: 'private key' },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/, label: 'AWS access key' },
  { pattern: /\bsk-[A-Za-z0-9_-]{20,}/, label: 'API secret key' },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, label: 'Slack token' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/, label: 'GitHub token' },
  { pattern: /\bbearer\s+[A-Za-z0-9._~+/-]{20,}=*/i, label: 'bearer token' },
  { pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,100}:[^\s@/]{1,100}@/i, label: 'password in a URL' },
];

/** `password: hunter2`, `senha=abc123`, `TWS_PASSWORD="..."`: a secret-looking key with a real-looking value. */
const SECRET_ASSIGNMENT =
  /\b(?:[a-z_]*_)?(?:password|passwd|pwd|senha|contrase[nñ]a|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token)\b\s*(?:is|é|:|=|=>)\s*["'`]?([^\s"'`,;]{4,200})/gi;

/** Values that show where a secret goes rather than the secret itself, and words of ordinary sentences ("the password is wrong"). */
const PLACEHOLDER =
  /^(?:\*+|x+|\.+|<[^>]*>?|\$\{?[\w.]+\}?|%[\w]+%?|\{\{?[\w.]+\}?\}?|changeme|redacted|\[redacted\]|your[\w-]*|seu[\w-]*|sua[\w-]*|example[\w-]*|null|none|nil|undefined|true|false|yes|no|required|optional|string|empty|blank|set|unset|missing|expired|invalid|wrong|correct|incorrect|valid|changed|reset|locked|same|different|stored|kept|not|the|an?|in|on|from)$/i;

const NON_ANSWERS: RegExp[] = [
  /\bI\s+(?:do\s+not|don['’]?t)\s+know\b/i,
  /\bI['’]?m\s+not\s+sure\b/i,
  /\bI\s+(?:cannot|can['’]?t|am\s+unable\s+to)\s+(?:help|answer|assist)\b/i,
  /\bas\s+an\s+AI(?:\s+language\s+model)?\b/i,
  /\bn[ãa]o\s+sei\b/i,
  /\bn[ãa]o\s+tenho\s+(?:certeza|informa[çc][õo]es|como\s+(?:ajudar|responder))\b/i,
  /\bno\s+(?:lo\s+)?s[ée]\b/i,
];

const ERROR_OUTPUT: RegExp[] = [
  /Traceback \(most recent call last\)/,
  /^\s*at [\w$.<>]+ \([^)\n]{1,300}:\d+:\d+\)/m,
  /\b(?:TypeError|ReferenceError|NullPointerException|ECONNREFUSED|Internal server error)\b/,
];

function firstMatch(patterns: Pattern[], text: string): string | undefined {
  return patterns.find(({ pattern }) => pattern.test(text))?.label;
}

function secretAssignment(text: string): boolean {
  for (const match of text.matchAll(SECRET_ASSIGNMENT)) {
    if (!PLACEHOLDER.test(match[1])) return true;
  }
  return false;
}

export const destructiveCommandRule: AuditRule = {
  id: 'destructive_command',
  check: ({ agentResponse }) => {
    const label = firstMatch(DESTRUCTIVE, agentResponse);
    return label
      ? { rule: 'destructive_command', reason: `The answer suggests a destructive command (${label})`, confidence: 0.9 }
      : undefined;
  },
};

export const credentialRule: AuditRule = {
  id: 'credential_leak',
  check: ({ userQuery, agentResponse }) => {
    for (const [where, text] of [
      ['answer', agentResponse],
      ['question', userQuery],
    ] as const) {
      const label = firstMatch(CREDENTIALS, text) ?? (secretAssignment(text) ? 'password or secret' : undefined);
      if (label)
        return { rule: 'credential_leak', reason: `The ${where} contains a credential (${label})`, confidence: 0.95 };
      if (text.includes(REDACTION_MARK))
        return {
          rule: 'credential_leak',
          reason: `The ${where} contained a credential, redacted before it was stored`,
          confidence: 0.95,
        };
    }
    return undefined;
  },
};

export const nonAnswerRule: AuditRule = {
  id: 'non_answer',
  check: ({ agentResponse }) => {
    if (agentResponse.trim().length === 0)
      return { rule: 'non_answer', reason: 'The answer is empty', confidence: 0.95 };
    if (NON_ANSWERS.some((pattern) => pattern.test(agentResponse))) {
      return { rule: 'non_answer', reason: 'The answer says it does not know', confidence: 0.7 };
    }
    return undefined;
  },
};

export const errorOutputRule: AuditRule = {
  id: 'error_output',
  check: ({ agentResponse }) =>
    ERROR_OUTPUT.some((pattern) => pattern.test(agentResponse))
      ? { rule: 'error_output', reason: 'The answer contains an error message or stack trace', confidence: 0.6 }
      : undefined,
};

export const markupRule: AuditRule = {
  id: 'markup',
  check: ({ userQuery, agentResponse }) =>
    containsMarkup(agentResponse) || containsMarkup(userQuery)
      ? { rule: 'markup', reason: 'The conversation contains HTML or script markup', confidence: 0.8 }
      : undefined,
};

export const DEFAULT_RULES: readonly AuditRule[] = [
  credentialRule,
  destructiveCommandRule,
  markupRule,
  nonAnswerRule,
  errorOutputRule,
];

/**
 * Text people wrote (threads, runbooks, notes) is read for credentials, destructive commands and
 * markup; "I don't know" and error output are normal there, and only an agent's answer is wrong
 * for containing them.
 */
const WRITTEN_TEXT_RULES: readonly AuditRule[] = [credentialRule, destructiveCommandRule, markupRule];

/** The rules that read a memory of this kind. */
export function rulesFor(kind: ScreenedKind): readonly AuditRule[] {
  return kind === 'conversation' ? DEFAULT_RULES : WRITTEN_TEXT_RULES;
}

/** Runs every rule over the (length-capped) texts; findings come back strongest first. */
export function evaluateRules(subject: RuleSubject, rules: readonly AuditRule[], maxScanChars: number): RuleFinding[] {
  const capped = {
    userQuery: subject.userQuery.slice(0, maxScanChars),
    agentResponse: subject.agentResponse.slice(0, maxScanChars),
  };
  return rules
    .map((rule) => rule.check(capped))
    .filter((finding): finding is RuleFinding => finding !== undefined)
    .sort((a, b) => b.confidence - a.confidence);
}
