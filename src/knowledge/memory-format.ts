import type { MemoryMatch } from './knowledge-graph.port';

function label(memory: MemoryMatch): string {
  const parts: string[] = [memory.kind];
  if (memory.status === 'approved') parts.push('approved');
  if (memory.status === 'flagged') parts.push('unreviewed');
  if (memory.rating) parts.push(`rated ${memory.rating}/5`);
  return parts.join(', ');
}

/** One memory as a prompt or tool reader sees it. */
export function describeMemory(memory: MemoryMatch): string {
  const body =
    memory.kind === 'conversation' && memory.userQuery !== undefined && memory.agentResponse !== undefined
      ? `Problem: ${memory.userQuery}\nSolution: ${memory.agentResponse}`
      : memory.content;
  const source = memory.provenance.sourceFile ? ` (from ${memory.provenance.sourceFile})` : '';
  const feedback = memory.feedback ? `\nFeedback: ${memory.feedback}` : '';
  return `[${label(memory)}]${source} id=${memory.id}\n${body}${feedback}`;
}

/**
 * Memories as numbered blocks, most relevant first, never longer than `maxChars`: a block that
 * does not fit is cut with an ellipsis and the rest are left out.
 */
export function formatMemories(title: string, memories: readonly MemoryMatch[], maxChars: number): string {
  if (memories.length === 0) return '';
  const heading = `${title}\n`;
  let text = heading;
  for (const [index, memory] of memories.entries()) {
    const block = `\n${index + 1}. ${describeMemory(memory)}\n`;
    if (text.length + block.length <= maxChars) {
      text += block;
      continue;
    }
    const room = maxChars - text.length - 1;
    if (room > 80) text += `${block.slice(0, room).trimEnd()}…`;
    break;
  }
  return text === heading ? '' : text.trimEnd();
}
