import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CLOSE_GOING_AWAY, CLOSE_POLICY_VIOLATION, CLOSE_TOO_BIG } from '../chat/chat-frames';

export const ASYNCAPI_JSON_PATH = '/api/docs/asyncapi.json';

const ref = (path: string) => ({ $ref: path });

/** A server frame: the seed's `{type, sender, message, is_final?}` with the combination each kind uses. */
const frame = (type: string, sender: string, description: string, final = false) => ({
  type: 'object',
  description,
  additionalProperties: false,
  required: ['type', 'sender', 'message', ...(final ? ['is_final'] : [])],
  properties: {
    type: { type: 'string', const: type },
    sender: { type: 'string', const: sender },
    message: { type: 'string' },
    ...(final && { is_final: { type: 'boolean', const: true } }),
  },
});

const serverMessage = (name: string, summary: string, schema: string) => ({
  name,
  title: name,
  summary,
  contentType: 'application/json',
  payload: ref(`#/components/schemas/${schema}`),
});

/**
 * The WebSocket chat `/ws/{agent_id}` as AsyncAPI 3: what a client may send, every frame the server
 * sends, and how a connection is refused or closed. The wire protocol is the seed's; the gateway's
 * implementation may change, this document (and the test that holds the gateway to it) may not.
 */
export const ASYNCAPI_DOCUMENT = {
  asyncapi: '3.0.0',
  info: {
    title: 'Resync chat',
    version: '0.1.0',
    description:
      'Real-time chat with one AI agent per connection. The client sends questions as plain text or JSON ' +
      '`{"message": "..."}`; the server answers with JSON frames `{"type", "sender", "message", "is_final"?}`: ' +
      "an `info` frame on connect, the user's question echoed, `stream` pieces of the answer, and a final " +
      '`message` with `is_final: true` — or an `error` frame. Questions on one connection are answered in order.',
  },
  defaultContentType: 'application/json',
  servers: {
    resync: {
      host: 'localhost:8000',
      protocol: 'ws',
      description: 'The Resync HTTP server (wss behind TLS); the same credentials as the HTTP API',
    },
  },
  channels: {
    chat: {
      address: '/ws/{agent_id}',
      title: 'Chat with one agent',
      description:
        'Upgrade refusals (HTTP, before any WebSocket exists, body `{"error", "statusCode"}`): 401 for missing or wrong ' +
        'credentials (when credentials are configured), 429 with `Retry-After` when the client IP used up its token ' +
        'bucket, 404 for a path that is not `/ws/{agent_id}`. Closes: ' +
        `${CLOSE_POLICY_VIOLATION} after an \`error\` frame when the agent does not exist; ${CLOSE_TOO_BIG} for a frame ` +
        `over WS_MAX_MESSAGE_BYTES; ${CLOSE_GOING_AWAY} when the server shuts down. A question that is empty, too long ` +
        '(CHAT_MAX_MESSAGE_CHARS), carries markup, is JSON without a `message` string, or is over the rate limit is ' +
        'answered with an `error` frame and the connection stays open.',
      parameters: {
        agent_id: { description: 'The id of an agent of GET /api/agents (e.g. `tws-specialist`), URL-encoded' },
      },
      messages: {
        question: ref('#/components/messages/question'),
        questionJson: ref('#/components/messages/questionJson'),
        info: ref('#/components/messages/info'),
        userEcho: ref('#/components/messages/userEcho'),
        stream: ref('#/components/messages/stream'),
        final: ref('#/components/messages/final'),
        error: ref('#/components/messages/error'),
      },
      bindings: {
        ws: {
          method: 'GET',
          headers: {
            type: 'object',
            properties: {
              'X-Internal-Token': { type: 'string', description: 'INTERNAL_AUTH_TOKEN' },
              'X-API-Key': { type: 'string', description: 'A key of A2A_API_KEYS' },
            },
          },
          query: {
            type: 'object',
            properties: {
              token: {
                type: 'string',
                description: 'For browsers, which cannot set headers: an internal token or an API key',
              },
            },
          },
          bindingVersion: '0.1.0',
        },
      },
      'x-close-codes': {
        [CLOSE_GOING_AWAY]: 'The server is shutting down',
        [CLOSE_POLICY_VIOLATION]: 'Unknown agent (after an error frame)',
        [CLOSE_TOO_BIG]: 'A frame larger than WS_MAX_MESSAGE_BYTES',
      },
    },
  },
  operations: {
    receiveQuestion: {
      action: 'receive',
      channel: ref('#/channels/chat'),
      summary: 'A question for the agent',
      messages: [ref('#/channels/chat/messages/question'), ref('#/channels/chat/messages/questionJson')],
    },
    sendFrames: {
      action: 'send',
      channel: ref('#/channels/chat'),
      summary: 'Everything the server sends on the connection',
      messages: [
        ref('#/channels/chat/messages/info'),
        ref('#/channels/chat/messages/userEcho'),
        ref('#/channels/chat/messages/stream'),
        ref('#/channels/chat/messages/final'),
        ref('#/channels/chat/messages/error'),
      ],
    },
  },
  components: {
    messages: {
      question: {
        name: 'question',
        title: 'Question (plain text)',
        summary: "The question as a text frame, as the seed's examples send it",
        contentType: 'text/plain',
        payload: ref('#/components/schemas/QuestionText'),
      },
      questionJson: {
        name: 'questionJson',
        title: 'Question (JSON)',
        summary: 'A text frame starting with `{`: JSON with the question in `message`',
        contentType: 'application/json',
        payload: ref('#/components/schemas/QuestionJson'),
      },
      info: serverMessage(
        'info',
        'Connected, an agent configuration reload, or (verbose agents) a tool call',
        'InfoFrame',
      ),
      userEcho: serverMessage('userEcho', 'The question, echoed once it is accepted', 'UserEchoFrame'),
      stream: serverMessage('stream', 'A piece of the answer as the model writes it', 'StreamFrame'),
      final: serverMessage('final', 'The whole answer; the last frame of a turn', 'FinalFrame'),
      error: serverMessage(
        'error',
        'What went wrong; ends the turn (the connection stays open unless closed)',
        'ErrorFrame',
      ),
    },
    schemas: {
      QuestionText: {
        type: 'string',
        minLength: 1,
        pattern: '\\S',
        description: 'At most CHAT_MAX_MESSAGE_CHARS characters, no HTML or script markup',
      },
      QuestionJson: {
        type: 'object',
        required: ['message'],
        properties: { message: ref('#/components/schemas/QuestionText') },
      },
      InfoFrame: frame('info', 'system', 'Information from the server'),
      UserEchoFrame: frame('message', 'user', 'The accepted question'),
      StreamFrame: frame('stream', 'agent', 'A piece of the answer'),
      FinalFrame: frame('message', 'agent', 'The final answer', true),
      ErrorFrame: frame('error', 'system', 'An error; the turn is over'),
      ServerFrame: {
        oneOf: ['InfoFrame', 'UserEchoFrame', 'StreamFrame', 'FinalFrame', 'ErrorFrame'].map((name) =>
          ref(`#/components/schemas/${name}`),
        ),
      },
    },
  },
} as const;

/** Serves the AsyncAPI document (public, like the OpenAPI one). */
export function serveAsyncApi(app: INestApplication): void {
  const http = app.getHttpAdapter();
  http.get(ASYNCAPI_JSON_PATH, (_request: Request, response: Response) => {
    response.type('application/json').send(JSON.stringify(ASYNCAPI_DOCUMENT));
  });
}
