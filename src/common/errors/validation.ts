import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { type FieldProblem, ValidationFailedError } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const problems = [...new Set(Object.values(error.constraints ?? {}).reverse())];
    // A missing value breaks every rule of its field; saying it is missing is the useful part.
    const missing = error.value === undefined || error.value === null;
    const own = problems.length > 0 ? [{ field, problems: missing ? problems.slice(0, 1) : problems }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The first problem of each field makes the message; all of them go to `details`. */
export function toValidationFailed(errors: ValidationError[]): ValidationFailedError {
  const details = flatten(errors);
  const message = details.map((d) => d.problems[0]).join('; ') || 'Invalid request';
  return new ValidationFailedError(message, details);
}

/** Strict DTO validation for HTTP bodies, queries and params (and WebSocket payloads). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: toValidationFailed,
  });
}
