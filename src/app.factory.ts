import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { answerClientErrors } from './common/http/client-error';
import { refuseDeepJson, refuseUnsafeInput } from './common/http/untrusted-input.middleware';
import { createValidationPipe } from './common/errors/validation';
import { AppConfig } from './config/app-config';
import { type Environment, loadConfig } from './config/load-config';
import { setupOpenApi } from './docs/openapi';
import { requestIdMiddleware } from './logging/logging.module';
import { HttpMetrics } from './metrics/http-metrics';

export interface CreateAppOptions {
  /** Environment to configure from; the process environment when omitted. */
  env?: Environment;
  /** Where log lines go (tests read them); stdout when omitted. */
  logDestination?: DestinationStream;
}

/** Builds the whole application with every cross-cutting setting; `main.ts` and the e2e tests share it. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const config = loadConfig(options.env);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, logDestination: options.logDestination }),
    { bufferLogs: true, bodyParser: false, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  configureHttp(app, app.get(AppConfig));
  return app;
}

function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.app.trustProxy);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(app.get(HttpMetrics).middleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI and the pages load only our own scripts; inline styles are Swagger UI's.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
        },
      },
    }),
  );
  app.enableCors({
    origin: config.app.corsOrigins.length > 0 ? config.app.corsOrigins : false,
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
  });
  // Our own parsers rather than Nest's: their `verify` keeps the raw bytes (Slack signatures) and,
  // for JSON, refuses hostile nesting before the parse.
  app.use(
    express.json({
      limit: config.app.bodyLimitBytes,
      verify: (request: RawBodyRequest, response: ServerResponse, buffer: Buffer, encoding: string) => {
        keepRawBody(request, response, buffer);
        refuseDeepJson(buffer, encoding);
      },
    }),
  );
  app.use(express.urlencoded({ limit: config.app.bodyLimitBytes, extended: false, verify: keepRawBody }));
  app.use(refuseUnsafeInput);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  answerClientErrors(app.getHttpServer());
  setupOpenApi(app);
}

type RawBodyRequest = IncomingMessage & { rawBody?: Buffer };

/** The exact bytes, for Slack signature checks (Nest's `rawBody` option would replace our `verify`). */
function keepRawBody(request: RawBodyRequest, _response: ServerResponse, buffer: Buffer): void {
  request.rawBody = buffer;
}
