import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentCaller, RateLimited, RequireRoles } from '../../auth/auth.decorators';
import type { Caller } from '../../auth/caller';
import { ErrorResponseDto } from '../../common/dto/error-response.dto';
import {
  ACTIONS_DEFAULT_PAGE_SIZE,
  ActionsQueryDto,
  ExecuteRequestDto,
  ExecuteResponseDto,
  OperatorActionDto,
  OperatorActionPageDto,
} from '../dto/execute.dto';
import { COMMAND_GRAMMAR } from './command-grammar';
import { OperatorActionRepository } from './operator-action.repository';
import { OperatorCommandService } from './operator-command.service';

/** Open mode resolves the `unauthenticated` caller; this only covers a route left without a guard. */
const ANONYMOUS: Pick<Caller, 'id' | 'via'> = { id: 'unauthenticated', via: 'open' };

@ApiTags('tws')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Missing or wrong credentials' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The caller lacks the role' })
@Controller('api')
export class ExecuteController {
  constructor(
    private readonly commands: OperatorCommandService,
    private readonly actions: OperatorActionRepository,
  ) {}

  @Post('execute')
  @HttpCode(200)
  @RequireRoles('write')
  @RateLimited()
  @ApiOperation({
    summary: 'Runs one operator command on the HWA plan (never a shell); every command run is recorded',
    description: `Accepted grammar: ${COMMAND_GRAMMAR}. Examples: \`hold MASTER#PAYROLL.PAY_CALC\`, \`rerun <plan id>\`, \`release stream MASTER#PAYROLL\`.`,
  })
  @ApiOkResponse({ type: ExecuteResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Not in the grammar (the message states it); nothing is run or recorded',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such job or job stream in the current plan' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'HWA refused the action in the current state (e.g. hold a job that ended), or the name matches several jobs',
  })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'HWA failed or refused our credentials' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'HWA cannot be reached (or its circuit is open)',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto })
  async execute(
    @Body() body: ExecuteRequestDto,
    @CurrentCaller() caller: Caller | undefined,
  ): Promise<ExecuteResponseDto> {
    return ExecuteResponseDto.from(await this.commands.execute(body.command, caller ?? ANONYMOUS));
  }

  @Get('admin/tws-actions')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'The record of operator commands run through /api/execute: who, what, when and the result, newest first',
  })
  @ApiOkResponse({ type: OperatorActionPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async list(@Query() query: ActionsQueryDto): Promise<OperatorActionPageDto> {
    const limit = query.limit ?? ACTIONS_DEFAULT_PAGE_SIZE;
    const offset = query.offset ?? 0;
    const page = await this.actions.list(limit, offset);
    return { total: page.total, limit, offset, actions: page.actions.map(OperatorActionDto.from) };
  }
}
