import OpenAI from 'openai';
import type { EmbeddingSettings } from '../config/sections/knowledge.section';
import type { IEmbeddings } from './embeddings.port';
import { KnowledgeError } from './knowledge.errors';

/** The one adapter to the embeddings server: batches requests and checks the answer's shape. */
export class OpenAiEmbeddings implements IEmbeddings {
  private readonly client: OpenAI;

  constructor(private readonly settings: EmbeddingSettings) {
    // Local servers (Ollama) need no key, but the SDK insists on one.
    this.client = new OpenAI({
      baseURL: settings.baseUrl,
      apiKey: settings.apiKey || 'unused',
      timeout: settings.timeoutMs,
      maxRetries: 2,
    });
  }

  get model(): string {
    return this.settings.model;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.settings.batchSize) {
      const batch = texts.slice(start, start + this.settings.batchSize);
      vectors.push(...(await this.embedBatch(batch, signal)));
    }
    return vectors;
  }

  private async embedBatch(batch: string[], signal?: AbortSignal): Promise<number[][]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create(
        { model: this.settings.model, input: batch, encoding_format: 'float' },
        { signal },
      );
    } catch (error) {
      throw new KnowledgeError('EMBEDDING_FAILED', `Embeddings server failed: ${(error as Error).message}`);
    }
    const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
    const valid =
      data.length === batch.length &&
      data.every((d) => Array.isArray(d.embedding) && d.embedding.length > 0 && d.embedding.every(Number.isFinite));
    if (!valid)
      throw new KnowledgeError(
        'EMBEDDING_FAILED',
        `Embeddings server answered ${data.length} vectors for ${batch.length} texts`,
      );
    return data.map((d) => d.embedding);
  }
}
