import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';

/** Header names and body fields whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-internal-token"]',
  'req.headers["x-slack-signature"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.api_key',
  '*.data',
];

/** Query parameters that may carry a credential (a browser WebSocket's `token`, keys pasted into URLs). */
const SECRET_QUERY_PARAMS = /^(token|access_token|api_key|apikey|key|password|secret|signature)$/i;
const CENSOR = '[REDACTED]';

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The logged request with credential-bearing query parameters censored, in `url` and in `query`. */
export function censorRequestQuery(req: SerializedRequest): SerializedRequest {
  const url = req.url;
  const mark = url?.indexOf('?') ?? -1;
  if (!url || mark < 0) return req;
  const params = new URLSearchParams(url.slice(mark + 1));
  let censored = false;
  for (const name of [...new Set(params.keys())]) {
    if (SECRET_QUERY_PARAMS.test(name)) {
      params.set(name, CENSOR);
      censored = true;
    }
  }
  if (!censored) return req;
  const query = Object.fromEntries(
    Object.entries(req.query ?? {}).map(([name, value]) => [name, SECRET_QUERY_PARAMS.test(name) ? CENSOR : value]),
  );
  return { ...req, url: `${url.slice(0, mark)}?${params.toString()}`, query };
}

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
                redact: { paths: REDACTED_PATHS, censor: CENSOR },
                serializers: { req: censorRequestQuery },
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
