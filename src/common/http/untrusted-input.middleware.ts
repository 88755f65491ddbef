import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import {
  assertSafeInput,
  jsonNestingExceeds,
  textProblem,
  TOO_DEEP_PROBLEM,
  UnsafeInputError,
} from '../validation/untrusted-input';

const MALFORMED_PATH_PROBLEM = 'is not valid percent-encoded UTF-8';

/**
 * The JSON body parser's `verify` step: runs on the raw bytes before `JSON.parse`, so nesting
 * past MAX_JSON_DEPTH is refused without paying for the parse. Bodies in an encoding other than
 * UTF-8 are decoded first; the few a `TextDecoder` cannot read are left to the check after parsing.
 */
export function refuseDeepJson(buffer: Buffer, encoding: string): void {
  let raw: string | Uint8Array = buffer;
  if (!/^utf-?8$/i.test(encoding)) {
    try {
      raw = new TextDecoder(encoding).decode(buffer);
    } catch {
      return;
    }
  }
  if (jsonNestingExceeds(raw)) throw new UnsafeInputError('body', '(root)', TOO_DEEP_PROBLEM);
}

/**
 * After the body parsers, before routing: the path, every query parameter and every string (and key)
 * of the parsed body must be free of NUL characters and lone surrogates, and the body no deeper than
 * MAX_JSON_DEPTH. Anything else is a 400 naming the field, before a guard, pipe or query sees it.
 * Header values never get here with such bytes: Node's parser refuses them (see `answerClientErrors`).
 */
export function refuseUnsafeInput(
  request: IncomingMessage,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const req = request as Request;
  try {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      throw new UnsafeInputError('path', 'path', MALFORMED_PATH_PROBLEM);
    }
    const problem = textProblem(path);
    if (problem) throw new UnsafeInputError('path', 'path', problem);
    assertSafeInput(req.query, 'query');
    if (req.body !== null && typeof req.body === 'object') assertSafeInput(req.body, 'body');
    next();
  } catch (error) {
    next(error);
  }
}
