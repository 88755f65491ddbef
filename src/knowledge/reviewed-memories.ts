import { Injectable } from '@nestjs/common';
import type { IReviewedMemories, ReviewedStatus } from '../audit/reviewed-memories.port';
import { MemoryRepository } from './memory-repository';

/** The review queue's decisions, applied to the memories (rejecting one rejects the facts taken from it). */
@Injectable()
export class ReviewedMemories implements IReviewedMemories {
  constructor(private readonly repository: MemoryRepository) {}

  setReviewStatus(memoryId: string, status: ReviewedStatus): Promise<boolean> {
    return this.repository.setStatus(memoryId, status);
  }
}
