import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every HTTP error. */
export class ErrorResponseDto {
  @ApiProperty({ example: 'Invalid request: Unexpected token x in JSON at position 1' })
  error: string;

  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: '5f2b7c1e-8a61-4d0e-9a8e-1b9f0c4d2e77' })
  requestId: string;

  @ApiPropertyOptional({
    description: 'Per-field problems for validation errors; per-dependency results for readiness',
  })
  details?: unknown;
}
