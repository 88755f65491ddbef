import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { NUL_PROBLEM } from '../validation/untrusted-input';

interface ParserError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

const TAB = 0x09;
const DEL = 0x7f;
const SPACE = 0x20;

/** The name of the first header whose value holds a control character Node's parser refuses (NUL, a bare CR …). */
function headerWithControlCharacter(raw: string): string | undefined {
  for (const line of raw.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    for (let i = colon + 1; i < line.length; i++) {
      const code = line.charCodeAt(i);
      if ((code < SPACE && code !== TAB) || code === DEL) return line.slice(0, colon).trim().toLowerCase();
    }
  }
  return undefined;
}

const HEADER_TOO_LARGE = 'HPE_HEADER_OVERFLOW';

function explain(error: ParserError): { status: number; message: string; details?: unknown } {
  if (error.code === HEADER_TOO_LARGE) return { status: 431, message: 'Request headers are too large' };
  const field = headerWithControlCharacter(error.rawPacket?.toString('latin1') ?? '');
  if (error.code === 'HPE_INVALID_HEADER_TOKEN' && field) {
    const problem = error.rawPacket?.includes(0) ? NUL_PROBLEM : 'must not contain control characters';
    return { status: 400, message: `Header ${field} ${problem}`, details: [{ field, problems: [problem] }] };
  }
  return { status: 400, message: `Invalid request: ${error.message}` };
}

/**
 * Requests Node's HTTP parser refuses (a NUL in a header value, a malformed request line) never
 * reach Express: answer them here in the same error body as every other 4xx, naming the header
 * when one is at fault, instead of Node's bare `400 Bad Request`.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: ParserError, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket.writableEnded) {
      socket.destroy();
      return;
    }
    const { status, message, details } = explain(error);
    const body = JSON.stringify({ error: message, statusCode: status, requestId: randomUUID(), details });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}
