/**
 * Turns a conversation or a thread into short standalone facts worth remembering. Bound only when
 * an LLM is configured; without it the knowledge graph stores chunks as they are.
 */
export interface IFactExtractor {
  /** At most `maxFacts` facts, each one self-contained sentence; [] when nothing is worth keeping. */
  extractFacts(text: string, options?: { maxFacts?: number; signal?: AbortSignal }): Promise<string[]>;
}

export const IFactExtractor = Symbol('IFactExtractor');
