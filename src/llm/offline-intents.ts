import type { LlmToolSpec } from './llm-provider.port';

/** What the operator asks about, by keyword in English and Portuguese (accents ignored). */
export type Intent = 'status' | 'failures' | 'log' | 'memory' | 'incidents';

const KEYWORDS: Record<Intent, RegExp> = {
  status: /\b(status|state|overview|health|situacao|estado|como esta|workstations?|plano|plan|running|executando)\b/,
  failures:
    /\b(fail\w*|falha\w*|abend\w*|erro\w*|error\w*|problem\w*|problema\w*|troubleshoot\w*|diagnos\w*|down|caid[oa]s?|unlink\w*|por ?que|why)\b/,
  log: /\b(logs?|stdout|output|saida|joblog|registro)\b/,
  memory:
    /\b(memor\w*|remember|lembr\w*|past|before|antes|historic\w*|history|similar|ja aconteceu|happened|solution\w*|solucao|solucoes|incident\w*|incidente\w*)\b/,
  incidents: /\b(broken|quebrad\w*|right now|agora|open incidents?|incidentes? abertos?)\b/,
};

/** Tools a keyword points at; the first one the agent has wins. */
const TOOLS_BY_INTENT: Record<Intent, string[]> = {
  status: ['tws_status_tool'],
  failures: ['tws_troubleshooting_tool'],
  log: ['tws_job_log_tool'],
  memory: ['search_memory'],
  incidents: ['list_incidents'],
};

const PORTUGUESE =
  /\b(qual|quais|como|esta|estao|falhas?|por que|porque|memoria|lembra|o que|trabalhos?|hoje|mostre|mostrar|ver)\b/;

export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function detectIntents(text: string): Intent[] {
  const normalised = normalise(text);
  return (Object.keys(KEYWORDS) as Intent[]).filter((intent) => KEYWORDS[intent].test(normalised));
}

export function looksPortuguese(text: string): boolean {
  return PORTUGUESE.test(normalise(text));
}

/**
 * A TWS job as operators write it: WORKSTATION#JOBSTREAM.JOB, a name with digits or `_`
 * (PAYROLL01, PAY_CALC), or failing that an upper-case word that is not TWS vocabulary.
 */
const JOB_NAME = /\b[A-Z][A-Z0-9_@-]*#[A-Z0-9_@.#-]+|\b[A-Z][A-Z0-9_@.-]*(?:\d|_)[A-Z0-9_@.-]*\b/;
const UPPER_WORD = /\b[A-Z][A-Z0-9]{3,}\b/g;
const NOT_JOB_NAMES = new Set([
  'ABEND',
  'SUCC',
  'HOLD',
  'READY',
  'EXEC',
  'WAIT',
  'CANCL',
  'FAIL',
  'DOWN',
  'LINKED',
  'UNLINKED',
  'STATUS',
  'MASTER',
  'TIVOLI',
  'LOGS',
]);

export function extractJobName(text: string): string | undefined {
  return namedJob(text) ?? text.match(UPPER_WORD)?.find((word) => !NOT_JOB_NAMES.has(word));
}

/** Only an unmistakable job name (WORKSTATION#STREAM.JOB, or a name with digits or `_`). */
function namedJob(text: string): string | undefined {
  return JOB_NAME.exec(text)?.[0].replace(/[.-]+$/, '');
}

export interface PlannedCall {
  tool: LlmToolSpec;
  args: Record<string, unknown>;
}

/**
 * Picks the offered tools the question is about and fills their required string arguments:
 * job-ish parameters get the job name in the text, everything else the question itself. A failure
 * question that names a job also reads that job's log. With no recognisable intent, the status
 * overview and memory search are the useful default.
 */
export function planToolCalls(question: string, tools: LlmToolSpec[]): PlannedCall[] {
  const intents = detectIntents(question);
  if (intents.includes('failures') && !intents.includes('log') && namedJob(question)) intents.push('log');
  const wanted = intents.length > 0 ? intents : (['status', 'memory'] as Intent[]);
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const planned: PlannedCall[] = [];
  const seen = new Set<string>();
  for (const intent of wanted) {
    const tool = TOOLS_BY_INTENT[intent].map((name) => byName.get(name)).find(Boolean);
    if (!tool || seen.has(tool.name)) continue;
    const args = fillArguments(tool, question);
    if (!args) continue;
    seen.add(tool.name);
    planned.push({ tool, args });
  }
  return planned;
}

function fillArguments(tool: LlmToolSpec, question: string): Record<string, unknown> | undefined {
  const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: string }>;
  const required = (tool.parameters.required ?? []) as string[];
  const args: Record<string, unknown> = {};
  for (const name of Object.keys(properties)) {
    const isRequired = required.includes(name);
    if (properties[name]?.type !== undefined && properties[name]?.type !== 'string') {
      if (isRequired) return undefined;
      continue;
    }
    if (/job/i.test(name)) {
      const job = extractJobName(question);
      if (job) args[name] = job;
      else if (isRequired) return undefined;
    } else if (/query|question|text|search|q$/i.test(name) || isRequired) {
      args[name] = question;
    }
  }
  return args;
}
