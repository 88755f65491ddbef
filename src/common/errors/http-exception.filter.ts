import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { allowedMethods } from '../http/route-table';
import { DomainError, type FieldProblem } from './domain-error';
import { STATUS_BY_KIND } from './error-status';

export interface ErrorBody {
  error: string;
  statusCode: number;
  requestId: string;
  details?: FieldProblem[];
}

interface BodyParserError {
  type: string;
  status?: number;
  message: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as BodyParserError).type === 'string' &&
  'expose' in error;

interface HttpPayload {
  message?: unknown;
  status?: string;
  error?: Record<string, { status?: string; message?: string }>;
}

/** Nest's own exceptions carry `message`; Terminus's carry per-indicator results in `error`. */
function messageOf(payload: HttpPayload, fallback: string): string {
  if (Array.isArray(payload.message)) return payload.message.join('; ');
  if (typeof payload.message === 'string') return payload.message;
  if (payload.status === 'shutting_down') return 'Service unavailable: shutting down';
  if (payload.status === 'error' && payload.error && typeof payload.error === 'object') {
    const failing = Object.entries(payload.error).map(
      ([name, result]) => `${name}: ${result.message ?? result.status ?? 'down'}`,
    );
    return `Service unavailable (${failing.join('; ')})`;
  }
  return fallback;
}

/** Terminus's failing indicators as the envelope's `details`: one entry per dependency that is down. */
function failingDependencies(payload: HttpPayload): FieldProblem[] | undefined {
  if (payload.status !== 'error' || !payload.error || typeof payload.error !== 'object') return undefined;
  return Object.entries(payload.error).map(([name, result]) => ({
    field: name,
    problems: [result.message ?? result.status ?? 'down'],
  }));
}

const isFieldProblems = (value: unknown): value is FieldProblem[] =>
  Array.isArray(value) &&
  value.every(
    (item) => typeof (item as FieldProblem)?.field === 'string' && Array.isArray((item as FieldProblem).problems),
  );

/**
 * The one place errors become HTTP responses: `{"error", "statusCode", "requestId"[, "details"]}`.
 * Unknown errors are logged once with the request id and answered with a bare 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request & { id?: string }>();
    const response = host.switchToHttp().getResponse<Response>();
    const requestId = String(request.id ?? '');
    // A domain error thrown inside an Express middleware (a body parser's `verify`) arrives wrapped by Nest.
    const error =
      exception instanceof HttpException && exception.cause instanceof DomainError ? exception.cause : exception;
    const body = this.toBody(error, request, response, requestId);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request, response: Response, requestId: string): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS_BY_KIND[exception.kind];
      if (statusCode >= 500) this.logger.warn({ requestId, code: exception.code, err: exception }, exception.message);
      return {
        error: exception.message,
        statusCode,
        requestId,
        ...(isFieldProblems(exception.details) && { details: exception.details }),
      };
    }
    const parserError = isBodyParserError(exception)
      ? exception
      : exception instanceof HttpException && isBodyParserError(exception.cause)
        ? exception.cause
        : undefined;
    if (parserError) {
      if (parserError.type === 'entity.too.large') {
        return { error: 'Request body is larger than the configured limit', statusCode: 413, requestId };
      }
      const statusCode = parserError.status && parserError.status < 500 ? parserError.status : 400;
      return { error: `Invalid request: ${parserError.message}`, statusCode, requestId };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      if (statusCode === 404) {
        const allow = allowedMethods(this.adapterHost.httpAdapter.getInstance(), request.path);
        if (allow.length > 0 && !allow.includes(request.method)) {
          response.setHeader('Allow', allow.join(', '));
          return { error: `Method ${request.method} is not allowed on ${request.path}`, statusCode: 405, requestId };
        }
        if (allow.length === 0)
          return { error: `Not found: ${request.method} ${request.path}`, statusCode: 404, requestId };
      }
      const payload = exception.getResponse();
      const message = typeof payload === 'string' ? payload : messageOf(payload, exception.message);
      const details =
        typeof payload === 'object' && payload !== null
          ? isFieldProblems((payload as { details?: unknown }).details)
            ? (payload as { details: FieldProblem[] }).details
            : failingDependencies(payload)
          : undefined;
      return { error: message, statusCode, requestId, ...(details !== undefined && { details }) };
    }
    this.logger.error({ requestId, err: exception }, 'Unhandled error');
    return { error: 'Internal server error', statusCode: 500, requestId };
  }
}
