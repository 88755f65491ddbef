/**
 * The learning memory (the seed's AsyncKnowledgeGraph), stored in PostgreSQL. Every write method
 * passes the one memory write gate: credentials redacted, auditor rules run, risky memories
 * stored `flagged` and served by no read until a reviewer approves them.
 */

export type MemoryKind = 'conversation' | 'thread' | 'document' | 'fact' | 'note';
export type MemoryStatus = 'active' | 'flagged' | 'approved' | 'rejected';

export interface MemoryProvenance {
  channelId?: string;
  threadTs?: string;
  sourceFile?: string;
  chunkIndex?: number;
  callerId?: string;
  slackUserId?: string;
}

export interface Memory {
  id: string;
  kind: MemoryKind;
  content: string;
  userQuery?: string;
  agentResponse?: string;
  agentId?: string;
  provenance: MemoryProvenance;
  status: MemoryStatus;
  feedback?: string;
  rating?: number;
  createdAt: string;
  updatedAt: string;
}

export interface MemoryMatch extends Memory {
  /** Higher is more relevant; comparable within one search only. */
  score: number;
}

export interface ThreadImage {
  name: string;
  mimeType: string;
  /** Base64; only its name and type are remembered. */
  data?: string;
}

export interface ThreadMessage {
  user: string;
  text: string;
  ts: string;
  type?: string;
  images?: ThreadImage[];
}

export interface SearchOptions {
  limit?: number;
  /** Narrowing for KNOWLEDGE_SCOPE channel/user. */
  channelId?: string;
  slackUserId?: string;
}

export interface IKnowledgeGraph {
  addConversation(
    userQuery: string,
    agentResponse: string,
    agentId: string,
    context?: Record<string, unknown>,
  ): Promise<string>;
  searchSimilarIssues(query: string, limit?: number, options?: SearchOptions): Promise<MemoryMatch[]>;
  /** Formatted past problems, solutions and ratings for a prompt; bounded in size; '' when none. */
  getRelevantContext(userQuery: string, options?: SearchOptions): Promise<string>;
  addSolutionFeedback(memoryId: string, feedback: string, rating: number): Promise<void>;
  /** Replaces whatever was stored for (channelId, threadTs); returns the number of memories stored. */
  addThread(
    channelId: string,
    threadTs: string,
    messages: ThreadMessage[],
    provenance?: MemoryProvenance,
  ): Promise<number>;
  addDocumentChunks(sourceFile: string, chunks: string[], provenance?: MemoryProvenance): Promise<number>;
  /**
   * A note written by the product itself (e.g. an incident's resolution, from the watcher), keyed
   * by `source` (e.g. `incident:<id>`): writing the same source again replaces its note. Passes the
   * same gate as every write (redacted, audited, flagged when risky); returns the memory id.
   */
  addNote(source: string, text: string, provenance?: MemoryProvenance): Promise<string>;
  getMemory(id: string): Promise<Memory | undefined>;
  setStatus(id: string, status: MemoryStatus): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export const IKnowledgeGraph = Symbol('IKnowledgeGraph');
