import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';
import { censorRequest, censorResponse, REDACTED } from './log-redaction';

/**
 * Body fields whose values never reach a log line (an error may carry a request body). Headers and
 * query parameters are censored by name, however spelled, in the serializers (`log-redaction.ts`).
 */
export const REDACTED_PATHS = ['*.password', '*.token', '*.secret', '*.apiKey', '*.api_key', '*.data'];

const LIVENESS_PROBES = ['health', 'api/health/app'];

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's X-Request-Id when it is sane, otherwise makes one; echoes it back. */
export function requestIdFor(request: IncomingMessage & { id?: unknown }, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const offered = request.headers['x-request-id'];
  const id = typeof offered === 'string' && REQUEST_ID_PATTERN.test(offered) ? offered : randomUUID();
  response.setHeader('X-Request-Id', id);
  request.id = id;
  return id;
}

/** First middleware of all, so even a request refused by the body parser has its id. */
export function requestIdMiddleware(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  requestIdFor(request, response);
  next();
}

@Module({})
export class LoggingModule {
  /** `destination` lets tests read the log lines; by default they go to stdout. */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            // Liveness probes are polled by every load balancer: no request logger is built for them at all.
            exclude: LIVENESS_PROBES.map((path) => ({ method: RequestMethod.GET, path })),
            pinoHttp: [
              {
                level: config.app.logLevel,
                base: { service: config.app.serviceName },
                genReqId: requestIdFor,
                redact: { paths: REDACTED_PATHS, censor: REDACTED },
                serializers: { req: censorRequest, res: censorResponse },
                customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
                  error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
                ...(config.app.logFormat === 'pretty' && !destination
                  ? {
                      transport: {
                        target: 'pino-pretty',
                        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
                      },
                    }
                  : {}),
              },
              destination,
            ] as never,
          }),
        }),
      ],
    };
  }
}
