import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { MemoryRepository, type TextQuery } from './memory-repository';

/** Terms in more than this share of memories ("job", "workstation") do not pick candidates. */
const COMMON_TERM_SHARE = 0.1;
/** Document frequencies are counted up to this; any higher is "common" anyway. */
const DF_CAP = 20_000;
/** Frequencies move slowly: a few minutes of staleness changes no ranking that matters. */
const DF_TTL_MS = 5 * 60_000;
const COUNT_TTL_MS = 10_000;
const MAX_CACHED_TERMS = 50_000;
/** Query lexemes kept; longer questions add noise, not recall. */
const MAX_QUERY_TERMS = 32;

/** BM25's inverse document frequency: rare terms weigh more, and none weighs zero. */
export function idf(documentFrequency: number, documents: number): number {
  return Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Turns a question into a weighted full-text query: each lexeme weighted by its rarity across the
 * memories, and only the selective ones used to fetch candidates — which keeps a search over
 * 100,000 memories from ranking every memory that says "job".
 */
@Injectable()
export class TermWeights {
  private readonly frequencies = new LRUCache<string, number>({ max: MAX_CACHED_TERMS, ttl: DF_TTL_MS });
  private documents?: { value: number; at: number };

  constructor(private readonly repository: MemoryRepository) {}

  async query(text: string): Promise<TextQuery | undefined> {
    const lexemes = (await this.repository.lexemes(text)).slice(0, MAX_QUERY_TERMS);
    if (lexemes.length === 0) return undefined;
    const [documents, frequencies] = await Promise.all([this.documentCount(), this.frequenciesOf(lexemes)]);
    const weights = lexemes.map((l) => idf(frequencies.get(l) ?? 0, documents));
    const selective = lexemes.filter((l) => (frequencies.get(l) ?? 0) <= Math.max(1, documents * COMMON_TERM_SHARE));
    const present = lexemes.filter((l) => (frequencies.get(l) ?? 0) > 0);
    // Only common words in the question: they are all there is to go on.
    const retrieval = selective.some((l) => (frequencies.get(l) ?? 0) > 0) ? selective : present;
    return { lexemes, weights, retrieval };
  }

  private async documentCount(): Promise<number> {
    if (!this.documents || Date.now() - this.documents.at > COUNT_TTL_MS) {
      this.documents = { value: await this.repository.count(), at: Date.now() };
    }
    return this.documents.value;
  }

  private async frequenciesOf(lexemes: readonly string[]): Promise<Map<string, number>> {
    const missing = lexemes.filter((l) => !this.frequencies.has(l));
    if (missing.length > 0) {
      const counted = await this.repository.documentFrequencies(missing, DF_CAP);
      // A term no memory holds yet is not cached: the next memory may hold it.
      for (const [lexeme, df] of counted) if (df > 0) this.frequencies.set(lexeme, df);
      return new Map(lexemes.map((l) => [l, this.frequencies.get(l) ?? counted.get(l) ?? 0]));
    }
    return new Map(lexemes.map((l) => [l, this.frequencies.get(l) ?? 0]));
  }
}
