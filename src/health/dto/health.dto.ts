import { ApiProperty } from '@nestjs/swagger';

export class ServiceHealthDto {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({ example: 'resync' })
  service: string;
}

export class AppHealthDto {
  @ApiProperty({ example: 'ok' })
  status: 'ok';
}

export class DependencyStatusDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiProperty({
    required: false,
    description: 'Why a dependency is down',
    example: 'database did not answer within 2000 ms',
  })
  message?: string;
}

/** Terminus's readiness result: one entry per dependency (the database, and Redis when configured). */
export class ReadinessDto {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/DependencyStatusDto' },
    example: { database: { status: 'up', kind: 'pglite' } },
  })
  info: Record<string, DependencyStatusDto>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/DependencyStatusDto' },
    example: {},
  })
  error: Record<string, DependencyStatusDto>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/DependencyStatusDto' },
    example: { database: { status: 'up', kind: 'pglite' } },
  })
  details: Record<string, DependencyStatusDto>;
}
