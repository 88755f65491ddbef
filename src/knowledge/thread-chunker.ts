import type { ThreadMessage } from './knowledge-graph.port';

export interface ThreadChunk {
  text: string;
  /** Slack timestamps of the first and last message the chunk holds. */
  firstTs: string;
  lastTs: string;
  users: string[];
  messageCount: number;
}

interface Line {
  text: string;
  ts: string;
  user: string;
}

function lineOf(message: ThreadMessage): string {
  const images = (message.images ?? []).map((image) => `[image: ${image.name} (${image.mimeType})]`);
  const body = [message.text.trim(), ...images].filter((part) => part.length > 0).join(' ');
  return body.length > 0 ? `${message.user || 'unknown'}: ${body}` : '';
}

/** A line longer than a chunk is cut at whitespace where possible, never mid-word if avoidable. */
function split(line: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > maxChars) {
    const cut = rest.lastIndexOf(' ', maxChars);
    const at = cut > maxChars / 2 ? cut : maxChars;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Groups consecutive messages into chunks of at most `maxChars` characters, one `user: text` line
 * per message, so that a question and the answers right after it stay together.
 */
export function chunkThread(messages: readonly ThreadMessage[], maxChars: number): ThreadChunk[] {
  const lines: Line[] = messages.flatMap((message) =>
    split(lineOf(message), maxChars).map((text) => ({ text, ts: message.ts, user: message.user || 'unknown' })),
  );
  const chunks: ThreadChunk[] = [];
  let current: Line[] = [];
  let length = 0;
  const flush = () => {
    if (current.length === 0) return;
    chunks.push({
      text: current.map((l) => l.text).join('\n'),
      firstTs: current[0].ts,
      lastTs: current[current.length - 1].ts,
      users: [...new Set(current.map((l) => l.user))],
      messageCount: new Set(current.map((l) => l.ts)).size,
    });
    current = [];
    length = 0;
  };
  for (const line of lines) {
    const added = (current.length > 0 ? 1 : 0) + line.text.length;
    if (length + added > maxChars) flush();
    length += (current.length > 0 ? 1 : 0) + line.text.length;
    current.push(line);
  }
  flush();
  return chunks;
}
