import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field of the input and everything wrong with it (readiness: one failing dependency). */
export class FieldProblemDto {
  @ApiProperty({ example: 'messages.0.text', description: 'The field, by its path in the input' })
  field: string;

  @ApiProperty({ type: [String], minItems: 1, example: ['text must be a string'] })
  problems: string[];
}

/** The body of every HTTP error. */
export class ErrorResponseDto {
  @ApiProperty({ example: 'Invalid request: Unexpected token x in JSON at position 1' })
  error: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  statusCode: number;

  @ApiProperty({ example: '5f2b7c1e-8a61-4d0e-9a8e-1b9f0c4d2e77', description: 'Also in the X-Request-Id header' })
  requestId: string;

  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description: 'Validation errors: each field and its problems. Readiness: each dependency that is down.',
  })
  details?: FieldProblemDto[];
}
