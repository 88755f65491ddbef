import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Deep enough for any real listing; past it a client is walking the table, not reading a page. */
export const MAX_PAGE_OFFSET = 1_000_000;

/** `?offset=` of a paged listing; each listing adds its own `limit`, whose bounds differ. */
export class OffsetQueryDto {
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_PAGE_OFFSET, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0)
  @Max(MAX_PAGE_OFFSET)
  offset?: number;
}
