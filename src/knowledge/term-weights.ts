import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { MemoryRepository, type TextQuery } from './memory-repository';

/**
 * Candidates are picked by the question's rarest terms, adding terms while together they select
 * at most this many memories: a small store is searched by every term, a large one by the
 * selective terms only ("job", "file" are weighed but do not pick candidates).
 */
const CANDIDATE_BUDGET = 2_000;
/** Document frequencies are counted up to this; any higher is "common" anyway. */
const DF_CAP = 20_000;
/** Frequencies move slowly: a few minutes of staleness changes no ranking that matters. */
const DF_TTL_MS = 5 * 60_000;
const COUNT_TTL_MS = 30_000;
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
    const [counted, frequencies] = await Promise.all([this.documentCount(), this.frequenciesOf(lexemes)]);
    const df = (lexeme: string) => frequencies.get(lexeme) ?? 0;
    // The count may lag the frequencies (they are cached apart): never fewer documents than a term is in.
    const documents = Math.max(counted, ...lexemes.map(df));
    // A word no memory holds weighs as one held once: rare, but not so heavy that in a small store
    // one unknown word ("process" in "our deployment process") outweighs every word that matches.
    const weights = lexemes.map((l) => idf(Math.max(df(l), 1), documents));
    const retrieval: string[] = [];
    let selected = 0;
    for (const lexeme of lexemes.filter((l) => df(l) > 0).sort((a, b) => df(a) - df(b))) {
      // The rarest term always selects, however common: it is all there is to go on.
      if (retrieval.length > 0 && selected + df(lexeme) > CANDIDATE_BUDGET) break;
      retrieval.push(lexeme);
      selected += df(lexeme);
    }
    return { lexemes, weights, retrieval };
  }

  /** Memories this instance just stored: the cached count follows without a recount. */
  noteAdded(count: number): void {
    if (this.documents) this.documents.value += count;
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
