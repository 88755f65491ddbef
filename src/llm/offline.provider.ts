import { randomUUID } from 'node:crypto';
import type { ILlmProvider, LlmMessage, LlmRequest, LlmStreamEvent } from './llm-provider.port';
import { looksPortuguese, planToolCalls } from './offline-intents';

/** Text pieces per stream event: small enough to show progress, large enough not to flood the socket. */
const STREAM_PIECE_CHARS = 160;

const WORDING = {
  en: {
    offline:
      'Offline mode: no language model is configured (LLM_BASE_URL is unset), so I answer with what my tools and memory report, without interpretation.',
    tools: 'What the tools report',
    memories: 'Related memories',
    nothing:
      'None of my tools matched the question, and no related memories were found. Ask about the status, failures (ABEND), a job log, or past incidents.',
    failed: 'failed',
  },
  pt: {
    offline:
      'Modo offline: nenhum modelo de linguagem está configurado (LLM_BASE_URL não definido), então respondo com o que minhas ferramentas e a memória informam, sem interpretação.',
    tools: 'O que as ferramentas informam',
    memories: 'Memórias relacionadas',
    nothing:
      'Nenhuma ferramenta correspondeu à pergunta e não encontrei memórias relacionadas. Pergunte sobre o status, falhas (ABEND), o log de um job ou incidentes anteriores.',
    failed: 'falhou',
  },
};

/**
 * The agent without a model: chooses the agent's tools by intent (status, failures, job log,
 * memory), runs them through the same tool loop as a model would, and answers from their results
 * and the relevant memories. Honest about being offline in the first answer of a conversation.
 */
export class OfflineProvider implements ILlmProvider {
  readonly kind = 'offline' as const;

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const lastUser = findLastIndex(request.messages, (m) => m.role === 'user');
    const question = lastUser >= 0 ? request.messages[lastUser].content : '';
    const results = request.messages
      .slice(lastUser + 1)
      .filter((m): m is Extract<LlmMessage, { role: 'tool' }> => m.role === 'tool');

    if (results.length === 0 && request.tools?.length) {
      const planned = planToolCalls(question, request.tools);
      if (planned.length > 0) {
        yield {
          type: 'tool_calls',
          calls: planned.map(({ tool, args }) => ({
            id: `offline-${randomUUID()}`,
            name: tool.name,
            arguments: JSON.stringify(args),
          })),
        };
        return;
      }
    }

    const words = WORDING[looksPortuguese(question) ? 'pt' : 'en'];
    // Said once per conversation: in its first answer, not again in every follow-up.
    const answeredBefore = request.messages.slice(0, Math.max(lastUser, 0)).some((m) => m.role === 'assistant');
    const sections = answeredBefore ? [] : [words.offline];
    if (results.length > 0) {
      sections.push(`${words.tools}:`, ...results.map((r) => `[${r.name}]\n${r.content.trim()}`));
    }
    if (request.relevantContext?.trim()) sections.push(`${words.memories}:\n${request.relevantContext.trim()}`);
    if (results.length === 0 && !request.relevantContext?.trim()) sections.push(words.nothing);

    for (const piece of splitForStreaming(sections.join('\n\n'))) {
      if (request.signal?.aborted) return;
      yield { type: 'text', text: piece };
    }
  }
}

function splitForStreaming(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (current.length + line.length > STREAM_PIECE_CHARS && current) {
      pieces.push(current);
      current = '';
    }
    current += line;
    while (current.length > STREAM_PIECE_CHARS) {
      pieces.push(current.slice(0, STREAM_PIECE_CHARS));
      current = current.slice(STREAM_PIECE_CHARS);
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}
