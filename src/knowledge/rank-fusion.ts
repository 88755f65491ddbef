import type { Memory, MemoryMatch } from './knowledge-graph.port';

/** The usual reciprocal-rank-fusion constant: ranks deep in a list still count, but little. */
export const RRF_K = 60;
/** Reviewed-and-approved memories move up a few places (×1.05 ≈ three ranks at the top). */
const APPROVED_BOOST = 0.05;
/** Each star above or below 3 moves a memory by ±2 %. */
const RATING_BOOST_PER_STAR = 0.02;

export function trustBoost(memory: Memory): number {
  const approved = memory.status === 'approved' ? APPROVED_BOOST : 0;
  const rating = memory.rating ? (memory.rating - 3) * RATING_BOOST_PER_STAR : 0;
  return 1 + approved + rating;
}

export interface RankedHit {
  memory: Memory;
  /** How relevant the list found it, 0..1 (share of query words matched, cosine similarity). */
  relevance: number;
}

/**
 * Reciprocal rank fusion of ranked lists (full-text, vector): score = Σ relevance/(k + rank), times
 * the trust boost. Weighting each term by its list's own relevance keeps a weak match at rank 2
 * from overtaking a strong one at rank 1 on a boost alone; a memory found by both lists beats one
 * found by a single list at the same rank.
 */
export function fuseRankings(lists: readonly (readonly RankedHit[])[], limit: number): MemoryMatch[] {
  const fused = new Map<string, { memory: Memory; score: number }>();
  for (const list of lists) {
    list.forEach(({ memory, relevance }, index) => {
      const entry = fused.get(memory.id) ?? { memory, score: 0 };
      entry.score += Math.min(1, Math.max(0, relevance)) / (RRF_K + index + 1);
      fused.set(memory.id, entry);
    });
  }
  return [...fused.values()]
    .map(({ memory, score }) => ({ ...memory, score: score * trustBoost(memory) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
