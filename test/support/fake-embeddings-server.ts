import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Words a real embedding model would place close together; the fake maps each group to one word. */
const SYNONYMS: Record<string, string> = {
  unlinked: 'link',
  unlink: 'link',
  linked: 'link',
  linking: 'link',
  disconnected: 'link',
  offline: 'link',
  abended: 'abend',
  abends: 'abend',
  failed: 'abend',
  failure: 'abend',
  crashed: 'abend',
  waiting: 'hold',
  held: 'hold',
  stuck: 'hold',
  pending: 'hold',
  dependency: 'depend',
  dependencies: 'depend',
  predecessor: 'depend',
  follows: 'depend',
  credentials: 'password',
  login: 'password',
  authentication: 'password',
  space: 'disk',
  full: 'disk',
  filesystem: 'disk',
};

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'is',
  'are',
  'was',
  'why',
  'how',
  'what',
  'do',
  'does',
  'did',
  'to',
  'of',
  'on',
  'in',
  'and',
  'or',
  'my',
  'it',
  'for',
  'with',
  'we',
  'i',
]);

function bucketOf(word: string, dimension: number): number {
  return createHash('sha256').update(word).digest().readUInt32BE(0) % dimension;
}

/** A deterministic bag-of-words vector: similar wording (and the synonyms above) → high cosine. */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  for (const raw of words) {
    if (STOP_WORDS.has(raw)) continue;
    const word = SYNONYMS[raw] ?? raw.replace(/(ing|ed|es|s)$/, '');
    vector[bucketOf(word, dimension)] += 1;
  }
  // A text with no words still gets a unit vector: cosine is undefined for the zero vector.
  if (!vector.some((v) => v !== 0)) vector[0] = 1;
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

export interface FakeEmbeddingsServer {
  /** Base URL to put in EMBEDDING_BASE_URL (ends in /v1). */
  url: string;
  /** Texts per request received so far. */
  batches: number[];
  /** While true every request answers 503. */
  failing: boolean;
  dimension: number;
  close(): Promise<void>;
}

/** An OpenAI-compatible `/v1/embeddings` server with small deterministic vectors. */
export async function startFakeEmbeddingsServer(dimension = 64): Promise<FakeEmbeddingsServer> {
  const state = { batches: [] as number[], failing: false, dimension };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/embeddings')) {
        response.writeHead(404).end();
        return;
      }
      if (fake.failing) {
        response
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'model loading' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      fake.batches.push(inputs.length);
      const data = inputs.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: fakeEmbedding(text, fake.dimension),
      }));
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 0, total_tokens: 0 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeEmbeddingsServer = Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}
