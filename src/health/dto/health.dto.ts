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
