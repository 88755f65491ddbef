/** The status a review decision gives a memory. */
export type ReviewedStatus = 'approved' | 'rejected';

/**
 * The memories the review queue decides about, owned by the knowledge graph: a decision changes
 * whether a memory is served. The queue depends on this port; the knowledge module implements it.
 */
export interface IReviewedMemories {
  /** False when no such memory exists (deleted since it was flagged). */
  setReviewStatus(memoryId: string, status: ReviewedStatus): Promise<boolean>;
}

export const IReviewedMemories = Symbol('IReviewedMemories');
