import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { KnowledgeSettings } from '../config/sections/knowledge.section';
import { IFactExtractor } from './fact-extractor.port';
import type {
  IKnowledgeGraph,
  Memory,
  MemoryKind,
  MemoryMatch,
  MemoryProvenance,
  MemoryStatus,
  SearchOptions,
  ThreadMessage,
} from './knowledge-graph.port';
import { KnowledgeError } from './knowledge.errors';
import { KnowledgeMetrics } from './knowledge.metrics';
import { formatMemories } from './memory-format';
import { MemoryEmbedder } from './memory-embedder';
import { MemoryRepository, type SearchFilter, type StoredRef, type TextCandidate } from './memory-repository';
import { type MemoryDraft, MemoryWriteGate } from './memory-write-gate';
import { fuseRankings } from './rank-fusion';
import { TermWeights } from './term-weights';
import { chunkThread } from './thread-chunker';

const DEFAULT_LIMIT = 5;
/** Each ranked list fetches this many times the wanted results, so fusion has something to fuse. */
const CANDIDATE_FACTOR = 4;
const MIN_CANDIDATES = 20;
/** Full-text matches ranked by cover density before the finer scoring; bounds the work per search. */
const TEXT_POOL = 100;
const MAX_FEEDBACK_CHARS = 4_000;
const MAX_FACTS_PER_THREAD = 20;
const MAX_FACTS_PER_CONVERSATION = 5;
const MAX_CONTEXT_JSON_CHARS = 8_000;
/** Planner statistics are refreshed after this many new memories, so search plans follow the data. */
const ANALYZE_EVERY_ROWS = 2_000;
const MEMORY_STATUSES: readonly MemoryStatus[] = ['active', 'flagged', 'approved', 'rejected'];

function stringField(context: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = context?.[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/** The conversation's context as stored: JSON only, and small (it is provenance, not content). */
function jsonSafe(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!context) return {};
  try {
    const json = JSON.stringify(context);
    return json.length <= MAX_CONTEXT_JSON_CHARS ? (JSON.parse(json) as Record<string, unknown>) : { truncated: true };
  } catch {
    return { unserialisable: true };
  }
}

/** The knowledge graph on PostgreSQL: hybrid search over memories, idempotent writes, feedback. */
@Injectable()
export class PgKnowledgeGraph implements IKnowledgeGraph, BeforeApplicationShutdown {
  private readonly logger = new Logger(PgKnowledgeGraph.name);
  private readonly settings: KnowledgeSettings;
  /** Statuses no search serves: rejected always; flagged until reviewed, unless AUDIT_SERVE_FLAGGED. */
  private readonly hidden: readonly MemoryStatus[];
  private writesSinceAnalyze = 0;
  private analyzing?: Promise<void>;
  /** Fact extractions of recorded conversations still running (cancelled and awaited at shutdown). */
  private readonly extracting = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    config: AppConfig,
    private readonly repository: MemoryRepository,
    private readonly embedder: MemoryEmbedder,
    private readonly terms: TermWeights,
    private readonly metrics: KnowledgeMetrics,
    private readonly gate: MemoryWriteGate,
    /** Provided by the LLM module: null without a model, and the graph stores chunks as they are. */
    @Inject(IFactExtractor) private readonly factExtractor: IFactExtractor | null,
  ) {
    this.settings = config.knowledge;
    this.hidden = config.audit.serveFlagged ? ['rejected'] : ['rejected', 'flagged'];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.extracting]);
  }

  async addConversation(
    userQuery: string,
    agentResponse: string,
    agentId: string,
    context?: Record<string, unknown>,
  ): Promise<string> {
    const provenance: MemoryProvenance = {
      channelId: stringField(context, 'channelId', 'channel_id'),
      threadTs: stringField(context, 'threadTs', 'thread_ts'),
      callerId: stringField(context, 'callerId', 'caller_id'),
      slackUserId: stringField(context, 'slackUserId', 'slack_user_id'),
    };
    const content = this.bounded(`Problem: ${userQuery.trim()}\nSolution: ${agentResponse.trim()}`);
    const draft: MemoryDraft = {
      ...this.draft('conversation', content, provenance, ['conversation'], 'Conversation'),
      userQuery,
      agentResponse,
      agentId,
      metadata: jsonSafe(context),
    };
    const [ref] = await this.tracked(() => this.gate.write([draft], (memories) => this.repository.insert(memories)));
    this.noteSaved(ref.inserted ? 1 : 0);
    if (ref.inserted) {
      await this.embedder.embedMemories([ref.id]);
      this.extractConversationFacts(
        ref.id,
        this.gate.redact(`User: ${userQuery.trim()}\nAgent: ${agentResponse.trim()}`),
        provenance,
      );
    }
    return ref.id;
  }

  /**
   * In the background: the answer is already given, and facts are a bonus. Duplicates are stored
   * once. Each fact points at its conversation, so a review that rejects it rejects them too.
   */
  private extractConversationFacts(conversationId: string, text: string, provenance: MemoryProvenance): void {
    if (!this.factExtractor) return;
    const work = (async () => {
      const facts = await this.extractFacts(text, MAX_FACTS_PER_CONVERSATION, this.stopping.signal);
      if (facts.length === 0) return;
      const drafts = facts.map((fact) => ({
        ...this.draft('fact', fact, provenance, ['fact'], 'Fact taken from a conversation'),
        derivedFrom: conversationId,
      }));
      const refs = await this.tracked(() => this.gate.write(drafts, (memories) => this.repository.insert(memories)));
      await this.repository.rejectDerivedOfRejected(conversationId);
      const inserted = [...new Set(refs.filter((ref) => ref.inserted).map((ref) => ref.id))];
      this.noteSaved(inserted.length);
      await this.embedder.embedMemories(inserted);
    })().catch((error: unknown) =>
      this.logger.warn(`Could not store the facts of a conversation: ${(error as Error).message}`),
    );
    this.extracting.add(work);
    void work.finally(() => this.extracting.delete(work));
  }

  async searchSimilarIssues(query: string, limit = DEFAULT_LIMIT, options: SearchOptions = {}): Promise<MemoryMatch[]> {
    const wanted = Math.min(Math.max(1, Math.trunc(limit) || DEFAULT_LIMIT), this.settings.searchMaxLimit);
    const text = query.trim().slice(0, this.settings.maxContentChars);
    if (text.length === 0) return [];
    this.metrics.searched();
    const candidates = Math.max(MIN_CANDIDATES, wanted * CANDIDATE_FACTOR);
    const filter: SearchFilter = { scopes: this.searchScopes(options), hidden: this.hidden };
    return this.tracked(async () => {
      const [textHits, vector] = await Promise.all([
        this.textSearch(text, filter, candidates),
        this.embedder.embedQuery(text),
      ]);
      const vectorHits = vector ? await this.repository.vectorSearch(vector, filter, candidates) : [];
      const similar = vectorHits.filter((hit) => hit.similarity >= this.settings.minSimilarity);
      return fuseRankings(
        [
          textHits.map((hit) => ({ memory: hit.memory, relevance: hit.coverage })),
          similar.map((hit) => ({ memory: hit.memory, relevance: hit.similarity })),
        ],
        wanted,
      );
    });
  }

  private async textSearch(text: string, filter: SearchFilter, limit: number): Promise<TextCandidate[]> {
    const query = await this.terms.query(text);
    if (!query || query.retrieval.length === 0) return [];
    return this.repository.textSearch(query, filter, this.settings.minRelevance, Math.max(TEXT_POOL, limit), limit);
  }

  async getRelevantContext(userQuery: string, options: SearchOptions = {}): Promise<string> {
    const matches = await this.searchSimilarIssues(userQuery, DEFAULT_LIMIT, options);
    return formatMemories('Relevant past problems and solutions:', matches, this.settings.contextMaxChars);
  }

  async addSolutionFeedback(memoryId: string, feedback: string, rating: number): Promise<void> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      throw new KnowledgeError('INVALID_RATING', 'rating must be an integer from 1 to 5');
    }
    if (feedback.length > MAX_FEEDBACK_CHARS) {
      throw new KnowledgeError('INVALID_INPUT', `feedback must be at most ${MAX_FEEDBACK_CHARS} characters`);
    }
    const updated = await this.tracked(() => this.repository.setFeedback(memoryId, feedback, rating));
    if (!updated) throw new KnowledgeError('MEMORY_NOT_FOUND', `Memory ${memoryId} not found`);
  }

  async addThread(
    channelId: string,
    threadTs: string,
    messages: ThreadMessage[],
    provenance: MemoryProvenance = {},
  ): Promise<number> {
    this.checkThreadBounds(messages);
    const thread = { ...provenance, channelId, threadTs };
    const origin = `Slack thread ${channelId} ${threadTs}`;
    const chunks = chunkThread(messages, this.settings.chunkChars).map((chunk, index) => ({
      ...this.draft('thread', chunk.text, { ...thread, chunkIndex: index }, ['thread', channelId, threadTs], origin),
      metadata: { firstTs: chunk.firstTs, lastTs: chunk.lastTs, users: chunk.users, messageCount: chunk.messageCount },
    }));
    // The model that extracts facts is another system: it reads the thread redacted.
    const facts = (await this.extractFacts(this.gate.redact(chunks.map((c) => c.content).join('\n')))).map((fact) =>
      this.draft('fact', fact, thread, ['fact'], `Fact taken from ${origin}`),
    );
    let saved = 0;
    await this.tracked(() =>
      this.gate.write([...chunks, ...facts], async (memories) => {
        const stored = await this.repository.replaceThread(channelId, threadTs, messages.length, memories);
        this.noteSaved(stored.inserted);
        await this.embedder.embedMemories(stored.ids);
        saved = stored.ids.length;
        return stored.refs;
      }),
    );
    return saved;
  }

  async addDocumentChunks(sourceFile: string, chunks: string[], provenance: MemoryProvenance = {}): Promise<number> {
    const drafts = chunks
      .map((chunk) => chunk.trim())
      .filter((chunk) => chunk.length > 0)
      .map((chunk, index) =>
        this.draft(
          'document',
          this.bounded(chunk),
          { ...provenance, sourceFile, chunkIndex: index },
          ['document', sourceFile],
          `Document ${sourceFile}, part ${index + 1}`,
        ),
      );
    return (await this.replaceSource(sourceFile, 'document', drafts)).saved;
  }

  async addNote(source: string, text: string, provenance: MemoryProvenance = {}): Promise<string> {
    const content = this.bounded(text.trim());
    if (!source.trim()) throw new KnowledgeError('INVALID_INPUT', 'A note needs a source');
    if (content.length === 0) throw new KnowledgeError('INVALID_INPUT', 'A note needs a text');
    const draft = this.draft(
      'note',
      content,
      { ...provenance, sourceFile: source },
      ['note', source],
      `Note ${source}`,
    );
    const { refs } = await this.replaceSource(source, 'note', [draft]);
    return refs[0].id;
  }

  /** A source's memories become exactly these drafts (re-ingesting a file or a note never duplicates). */
  private async replaceSource(
    source: string,
    kind: 'document' | 'note',
    drafts: MemoryDraft[],
  ): Promise<{ refs: StoredRef[]; saved: number }> {
    let saved = 0;
    const refs = await this.tracked(() =>
      this.gate.write(drafts, async (memories) => {
        const stored = await this.repository.replaceDocument(source, memories, kind);
        this.noteSaved(stored.inserted);
        await this.embedder.embedMemories(stored.ids);
        saved = stored.ids.length;
        return stored.refs;
      }),
    );
    return { refs, saved };
  }

  getMemory(id: string): Promise<Memory | undefined> {
    return this.repository.get(id);
  }

  async setStatus(id: string, status: MemoryStatus): Promise<void> {
    if (!MEMORY_STATUSES.includes(status))
      throw new KnowledgeError('INVALID_INPUT', `status must be one of ${MEMORY_STATUSES.join(', ')}`);
    if (!(await this.repository.setStatus(id, status)))
      throw new KnowledgeError('MEMORY_NOT_FOUND', `Memory ${id} not found`);
  }

  delete(id: string): Promise<boolean> {
    return this.repository.delete(id);
  }

  private checkThreadBounds(messages: readonly ThreadMessage[]): void {
    const { maxMessages, maxTextChars, maxTotalBytes } = this.settings.ingest;
    if (messages.length > maxMessages) {
      throw new KnowledgeError(
        'INVALID_INPUT',
        `A thread may have at most ${maxMessages} messages (got ${messages.length})`,
      );
    }
    let total = 0;
    for (const [index, message] of messages.entries()) {
      if (message.text.length > maxTextChars) {
        throw new KnowledgeError('INVALID_INPUT', `messages[${index}].text is longer than ${maxTextChars} characters`);
      }
      total +=
        Buffer.byteLength(message.text) +
        (message.images ?? []).reduce((sum, image) => sum + (image.data?.length ?? 0), 0);
    }
    if (total > maxTotalBytes) {
      throw new KnowledgeError(
        'INGEST_TOO_LARGE',
        `The thread's messages total ${total} bytes; the limit is ${maxTotalBytes}`,
      );
    }
  }

  /** Facts are a bonus: when the extractor fails, the thread is still stored as chunks. */
  private async extractFacts(text: string, maxFacts = MAX_FACTS_PER_THREAD, signal?: AbortSignal): Promise<string[]> {
    if (!this.factExtractor || text.length === 0 || signal?.aborted) return [];
    try {
      const facts = await this.factExtractor.extractFacts(text, { maxFacts, signal });
      return [...new Set(facts.map((f) => this.bounded(f.trim())).filter((f) => f.length > 0))].slice(0, maxFacts);
    } catch (error) {
      this.metrics.failed();
      this.logger.warn(`Fact extraction failed; stored without extracted facts: ${(error as Error).message}`);
      return [];
    }
  }

  private draft(
    kind: MemoryKind,
    content: string,
    provenance: MemoryProvenance,
    identity: readonly string[],
    origin: string,
  ): MemoryDraft {
    return { kind, content, identity, scopeKey: this.scopeKey(provenance), provenance, origin };
  }

  /** Where a memory lives under KNOWLEDGE_SCOPE: '' is shared by everyone. */
  private scopeKey(provenance: MemoryProvenance): string {
    if (this.settings.scope === 'channel' && provenance.channelId) return `channel:${provenance.channelId}`;
    if (this.settings.scope === 'user' && provenance.slackUserId) return `user:${provenance.slackUserId}`;
    return '';
  }

  private searchScopes(options: SearchOptions): string[] {
    const own = this.scopeKey({ channelId: options.channelId, slackUserId: options.slackUserId });
    return own ? ['', own] : [''];
  }

  private bounded(content: string): string {
    return content.length > this.settings.maxContentChars ? content.slice(0, this.settings.maxContentChars) : content;
  }

  private noteSaved(count: number): void {
    this.metrics.saved(count);
    this.terms.noteAdded(count);
    this.writesSinceAnalyze += count;
    if (this.writesSinceAnalyze < ANALYZE_EVERY_ROWS || this.analyzing) return;
    this.writesSinceAnalyze = 0;
    this.analyzing = this.repository
      .analyze()
      .catch((error: unknown) => this.logger.warn(`ANALYZE knowledge_memories failed: ${(error as Error).message}`))
      .finally(() => (this.analyzing = undefined));
  }

  /** Counts a failed memory operation before it propagates. */
  private async tracked<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.metrics.failed();
      throw error;
    }
  }
}
