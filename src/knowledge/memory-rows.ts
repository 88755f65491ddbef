/** How memory rows are read: the columns a memory is made of, and the row → memory mapping. */

import type { Selectable } from 'kysely';
import type { Memory } from './knowledge-graph.port';
import type { KnowledgeMemoriesTable } from './knowledge.tables';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else names no memory (and must not reach the uuid column as an error). */
export const isMemoryId = (id: string): boolean => UUID.test(id);

type Row = Selectable<KnowledgeMemoriesTable>;

export const MEMORY_COLUMNS = [
  'id',
  'kind',
  'content',
  'user_query',
  'agent_response',
  'agent_id',
  'channel_id',
  'thread_ts',
  'source_file',
  'chunk_index',
  'caller_id',
  'slack_user_id',
  'status',
  'feedback',
  'rating',
  'created_at',
  'updated_at',
] as const;

export type MemoryRow = Pick<Row, (typeof MEMORY_COLUMNS)[number]>;

function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toMemory(row: MemoryRow): Memory {
  const provenance = Object.fromEntries(
    Object.entries({
      channelId: row.channel_id,
      threadTs: row.thread_ts,
      sourceFile: row.source_file,
      chunkIndex: row.chunk_index,
      callerId: row.caller_id,
      slackUserId: row.slack_user_id,
    }).filter(([, value]) => value !== null && value !== undefined),
  );
  return {
    id: row.id,
    kind: row.kind,
    content: row.content,
    ...(row.user_query !== null && { userQuery: row.user_query }),
    ...(row.agent_response !== null && { agentResponse: row.agent_response }),
    ...(row.agent_id !== null && { agentId: row.agent_id }),
    provenance,
    status: row.status,
    ...(row.feedback !== null && { feedback: row.feedback }),
    ...(row.rating !== null && { rating: Number(row.rating) }),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export function toVectorLiteral(vector: readonly number[]): string {
  return `[${vector.map((v) => (Number.isFinite(v) ? v : 0)).join(',')}]`;
}
