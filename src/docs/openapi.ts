import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto, FieldProblemDto } from '../common/dto/error-response.dto';
import { ASYNCAPI_JSON_PATH, serveAsyncApi } from './asyncapi';

const ERROR_BODY = { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } } };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type Operation = NonNullable<OpenAPIObject['paths'][string]['post']>;

/**
 * What the global pipes, body parser and filter answer on any route, added where a controller did
 * not say more: 400 wherever input is read, 413 wherever a body is read, 500 everywhere. The
 * guards' 401/403/429 come with the auth decorators; a route's own statuses with `@ApiErrors`.
 */
export function addCommonErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const readsInput = operation.requestBody !== undefined || (operation.parameters?.length ?? 0) > 0;
      if (readsInput) {
        operation.responses['400'] ??= {
          description: 'Malformed JSON (`Invalid request: <parser message>`) or invalid input (`details` per field)',
          content: ERROR_BODY,
        };
      }
      if (operation.requestBody !== undefined) {
        operation.responses['413'] ??= {
          description: 'The body is larger than `BODY_LIMIT` (or the upload than `UPLOAD_MAX_BYTES`)',
          content: ERROR_BODY,
        };
      }
      operation.responses['500'] ??= {
        description: '`Internal server error`, logged with the request id',
        content: ERROR_BODY,
      };
    }
  }
  return document;
}

/**
 * The global ValidationPipe runs with `whitelist` and `forbidNonWhitelisted`: every object a
 * request body carries refuses unknown fields, so its schema says `additionalProperties: false`.
 */
export function closeRequestSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const seen = new Set<string>();
  const visit = (node: SchemaOrRef | undefined): void => {
    if (!node) return;
    if ('$ref' in node) {
      const name = node.$ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return;
      seen.add(name);
      visit(schemas[name]);
      return;
    }
    if (node.type === 'object' && node.properties) {
      node.additionalProperties = false;
      for (const property of Object.values(node.properties)) visit(property);
    }
    if (node.items) visit(node.items);
    for (const part of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) visit(part);
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const body: Operation['requestBody'] = item[method]?.requestBody;
      if (body && 'content' in body) visit(body.content['application/json']?.schema);
    }
  }
  return document;
}

/** The description served at /api/docs-json (also used by the contract test through that URL). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Resync')
      .setDescription(
        'Operations assistant for HCL Workload Automation (IBM TWS): AI agents, live plan status, a learning memory, ' +
          'document ingestion and a human review queue. Every error body is `{"error", "statusCode", "requestId"}` ' +
          '(+ `details`, an array of `{"field", "problems"}`, for validation); a known path with the wrong method is 405 ' +
          'with `Allow`, a body over `BODY_LIMIT` is 413. Free-text fields refuse HTML and script markup (400). ' +
          'Without INTERNAL_AUTH_TOKEN and A2A_API_KEYS (open mode) the secured routes also accept no credentials. ' +
          `The WebSocket chat \`/ws/{agent_id}\` is described by the AsyncAPI document at ${ASYNCAPI_JSON_PATH}.`,
      )
      .setVersion('0.1.0')
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Internal-Token',
          description: 'INTERNAL_AUTH_TOKEN: the Slack bridge (which may vouch for an end user with X-Slack-User-Id)',
        },
        'internal-token',
      )
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A key of A2A_API_KEYS' }, 'api-key')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description: 'A key of A2A_API_KEYS (or the internal token) as a Bearer token',
        },
        'bearer',
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Slack-Signature',
          description:
            '`v0=` + hex HMAC-SHA256(SLACK_SIGNING_SECRET, `v0:{X-Slack-Request-Timestamp}:{raw body}`), accepted once',
        },
        'slack-signature',
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Slack-Request-Timestamp',
          description: 'Unix seconds of the Slack request, within 5 minutes of now; signed with X-Slack-Signature',
        },
        'slack-request-timestamp',
      )
      .build(),
    { extraModels: [ErrorResponseDto, FieldProblemDto] },
  );
  return closeRequestSchemas(addCommonErrorResponses(document));
}

/** Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json, the AsyncAPI JSON beside them. */
export function setupOpenApi(app: INestApplication): void {
  serveAsyncApi(app);
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    raw: ['json'],
  });
}
