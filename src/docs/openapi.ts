import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error-response.dto';

const ERROR_BODY = { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } } };

/**
 * What the global pipes and filter answer on any route, added where a controller did not say more:
 * 400 wherever input is read (malformed JSON, validation with `details`), 500 everywhere.
 * The guards' 401/403/429 come with the auth decorators themselves.
 */
export function addCommonErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const readsInput = operation.requestBody !== undefined || (operation.parameters?.length ?? 0) > 0;
      if (readsInput) {
        operation.responses['400'] ??= {
          description: 'Malformed JSON (`Invalid request: <parser message>`) or invalid input (`details` per field)',
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

/** Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Resync')
      .setDescription(
        'Operations assistant for HCL Workload Automation (IBM TWS): AI agents, live plan status, a learning memory, ' +
          'document ingestion and a human review queue. Every error body is `{"error", "statusCode", "requestId"}` ' +
          '(+ `details` for validation); a known path with the wrong method is 405 with `Allow`, a body over `BODY_LIMIT` is 413.',
      )
      .setVersion('0.1.0')
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Internal-Token',
          description: 'INTERNAL_AUTH_TOKEN: the Slack bridge',
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
            '`v0=` + hex HMAC-SHA256(SLACK_SIGNING_SECRET, `v0:{X-Slack-Request-Timestamp}:{raw body}`), within 5 minutes, once',
        },
        'slack-signature',
      )
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
  SwaggerModule.setup('api/docs', app, addCommonErrorResponses(document), {
    jsonDocumentUrl: 'api/docs-json',
    raw: ['json'],
  });
}
