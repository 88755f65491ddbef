/** The seed's WebSocket message format. */
export interface ChatFrame {
  type: 'message' | 'stream' | 'error' | 'info';
  sender: 'user' | 'agent' | 'system';
  message: string;
  /** Only on the agent's final message. */
  is_final?: boolean;
}

export const infoFrame = (message: string): ChatFrame => ({ type: 'info', sender: 'system', message });
export const errorFrame = (message: string): ChatFrame => ({ type: 'error', sender: 'system', message });
export const userFrame = (message: string): ChatFrame => ({ type: 'message', sender: 'user', message });
export const streamFrame = (message: string): ChatFrame => ({ type: 'stream', sender: 'agent', message });
export const finalFrame = (message: string): ChatFrame => ({
  type: 'message',
  sender: 'agent',
  message,
  is_final: true,
});

/** WebSocket close codes we use (RFC 6455). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TOO_BIG = 1009;

/**
 * A client frame: plain text (the seed's examples) or JSON `{"message": "..."}`. Returns the text,
 * or an error message for the client.
 */
export function readClientMessage(raw: string): { text: string } | { error: string } {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { text: trimmed };
    }
    const message = (parsed as { message?: unknown }).message;
    if (typeof message !== 'string') return { error: 'A JSON frame needs a "message" string' };
    return message.trim() ? { text: message.trim() } : { error: 'The message is empty' };
  }
  return trimmed ? { text: trimmed } : { error: 'The message is empty' };
}
