import { parseUntrustedJson, textProblem, UnsafeInputError } from '../common/validation/untrusted-input';
import type { PlanSource } from '../config/sections/tws.section';

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

/** The first frame of a conversation; says so when the plan the agent reads is the simulator's. */
export const welcomeFrame = (agent: { id: string; name: string }, planSource: PlanSource): ChatFrame =>
  infoFrame(
    `Connected to ${agent.name} (${agent.id}). Ask about the TWS plan, failures or past incidents.` +
      (planSource === 'simulator'
        ? " The TWS plan here is SIMULATED: it comes from Resync's built-in HWA simulator, not from a real HWA master."
        : ''),
  );

/** WebSocket close codes we use (RFC 6455). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TOO_BIG = 1009;

/**
 * A client frame: plain text (the seed's examples) or JSON `{"message": "..."}`. Returns the text,
 * or an error message for the client. JSON too deep, and text with NUL characters or lone
 * surrogates, are refused like on HTTP (`parseUntrustedJson`).
 */
export function readClientMessage(raw: string): { text: string } | { error: string } {
  let text = raw.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = parseUntrustedJson(text);
    } catch (error) {
      if (error instanceof UnsafeInputError) return { error: error.message };
      parsed = undefined;
    }
    if (parsed !== undefined) {
      const message = (parsed as { message?: unknown }).message;
      if (typeof message !== 'string') return { error: 'A JSON frame needs a "message" string' };
      text = message.trim();
    }
  }
  const problem = textProblem(text);
  if (problem) return { error: new UnsafeInputError('message', 'message', problem).message };
  return text ? { text } : { error: 'The message is empty' };
}
