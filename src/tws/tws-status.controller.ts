import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { SystemStatusDto } from './dto/system-status.dto';
import { type StatusSnapshot, TwsStatusService } from './tws-status.service';

@ApiTags('tws')
@Controller('api')
export class TwsStatusController {
  constructor(private readonly status: TwsStatusService) {}

  @Get('status')
  @RequireRoles('read')
  @ApiOperation({
    summary:
      'TWS system status: workstations, jobs and critical jobs of the current plan (cached; stale copy while HWA is down)',
  })
  @ApiOkResponse({ type: SystemStatusDto })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'HWA cannot be reached and no earlier status is cached',
  })
  getStatus(): Promise<StatusSnapshot> {
    return this.status.getSystemStatus();
  }
}
