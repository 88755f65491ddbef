import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, type ApiResponseOptions, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto, FieldProblemDto } from '../dto/error-response.dto';

/** What each status means on this API, unless the route says more. */
const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed JSON (`Invalid request: …`) or a rule broken (`details` per field)',
  401: 'Missing (`Authentication required`) or wrong credentials',
  403: 'The caller lacks the role',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'The body is larger than the configured limit',
  415: 'Unsupported media type',
  429: '`Rate limit exceeded. Please try again later.`',
  500: '`Internal server error`, logged with the request id',
  502: 'An upstream system failed',
  503: 'An upstream system cannot be reached',
  504: 'An upstream system did not answer in time',
};

export type ErrorStatus = number;

/** The OpenAPI response of one error status: the error envelope (or `model`) as `application/json`. */
export const errorResponseOptions = (
  status: ErrorStatus,
  description?: string,
  model: { name: string } = ErrorResponseDto,
): ApiResponseOptions => ({
  status,
  description: description ?? DEFAULT_DESCRIPTIONS[status] ?? 'Error',
  content: { 'application/json': { schema: { $ref: getSchemaPath(model.name) } } },
});

/**
 * Declares the error statuses a route can answer, each with the one error envelope:
 * `@ApiErrors(400, 404)`, or with route-specific wording `@ApiErrors({ 404: 'No such job' }, 409)`.
 */
export function ApiErrors(...statuses: (ErrorStatus | Record<number, string>)[]): MethodDecorator & ClassDecorator {
  const entries = statuses.flatMap((entry): [number, string | undefined][] =>
    typeof entry === 'number'
      ? [[entry, undefined]]
      : Object.entries(entry).map(([status, text]) => [Number(status), text]),
  );
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto, FieldProblemDto),
    ...entries.map(([status, description]) => ApiResponse(errorResponseOptions(status, description))),
  );
}
