/** Text → vectors, from an OpenAI-compatible `/embeddings` endpoint (Ollama, vLLM, LiteLLM, OpenAI). */
export interface IEmbeddings {
  readonly model: string;
  /** One vector per text, in order. Throws KnowledgeError('EMBEDDING_FAILED') when the server fails. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export const IEmbeddings = Symbol('IEmbeddings');
