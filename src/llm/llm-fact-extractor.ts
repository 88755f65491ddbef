import type { IFactExtractor } from '../knowledge/fact-extractor.port';
import type { ILlmProvider } from './llm-provider.port';

const DEFAULT_MAX_FACTS = 5;
/** Longer inputs are cut: facts come from the gist, and the prompt must fit small local models. */
const MAX_INPUT_CHARS = 12_000;
const MAX_FACT_CHARS = 500;

const INSTRUCTIONS = [
  'You extract durable operational facts from conversations about HCL Workload Automation (TWS).',
  'Return ONLY a JSON array of strings. Each string is one self-contained fact that makes sense without the conversation',
  '(name the job, workstation, error code, cause or fix). Skip greetings, questions, guesses and anything transient.',
  'Return [] when nothing is worth remembering.',
].join(' ');

/** Fact extraction with the configured model; bound only when LLM_BASE_URL is set. */
export class LlmFactExtractor implements IFactExtractor {
  constructor(
    private readonly llm: ILlmProvider,
    private readonly model: string,
  ) {}

  async extractFacts(text: string, options: { maxFacts?: number; signal?: AbortSignal } = {}): Promise<string[]> {
    const maxFacts = options.maxFacts ?? DEFAULT_MAX_FACTS;
    if (maxFacts <= 0 || !text.trim()) return [];
    let output = '';
    for await (const event of this.llm.stream({
      model: this.model,
      messages: [
        { role: 'system', content: `${INSTRUCTIONS} At most ${maxFacts} facts.` },
        { role: 'user', content: text.slice(0, MAX_INPUT_CHARS) },
      ],
      signal: options.signal,
    })) {
      if (event.type === 'text') output += event.text;
    }
    return parseFacts(output, maxFacts);
  }
}

/** A JSON array when the model complied; otherwise one fact per bullet or line. */
export function parseFacts(output: string, maxFacts: number): string[] {
  const candidates =
    parseJsonArray(output) ?? output.split('\n').map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, ''));
  const seen = new Set<string>();
  const facts: string[] = [];
  for (const candidate of candidates) {
    const fact = candidate.trim().replace(/\s+/g, ' ').slice(0, MAX_FACT_CHARS);
    const key = fact.toLowerCase();
    if (fact.length < 3 || fact === '[]' || seen.has(key)) continue;
    seen.add(key);
    facts.push(fact);
    if (facts.length >= maxFacts) break;
  }
  return facts;
}

function parseJsonArray(output: string): string[] | undefined {
  const start = output.indexOf('[');
  const end = output.lastIndexOf(']');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed: unknown = JSON.parse(output.slice(start, end + 1));
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : undefined;
  } catch {
    return undefined;
  }
}
