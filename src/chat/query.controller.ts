import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { abortWhenClientLeaves } from './client-gone';
import { QueryRequestDto, QueryResponseDto } from './dto/query.dto';
import { OPEN_CALLER } from './open-caller';
import { QueryService } from './query.service';

@ApiTags('knowledge agent')
@Controller('api/query')
export class QueryController {
  constructor(private readonly queries: QueryService) {}

  @Post()
  @RequireRoles('read')
  @RateLimited()
  @ApiOperation({ summary: 'Ask the default agent a question, with optional thread context and images' })
  @ApiOkResponse({
    type: QueryResponseDto,
    description: 'Answered; on failure `{"success": false, "message"}` with a 5xx status',
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: '{"error": "question is required"}' })
  async query(
    @Body() body: QueryRequestDto,
    @CurrentCaller() caller: Caller | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<QueryResponseDto> {
    const outcome = await this.queries.query(body, caller ?? OPEN_CALLER, abortWhenClientLeaves(response));
    response.status(outcome.status);
    return outcome.body;
  }
}
