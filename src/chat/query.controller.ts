import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { ApiErrors, errorResponseOptions } from '../common/errors/api-errors.decorator';
import { abortWhenClientLeaves } from './client-gone';
import { QueryErrorResponseDto, QueryRequestDto, QueryResponseDto } from './dto/query.dto';
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
  @ApiOkResponse({ type: QueryResponseDto, description: 'Answered' })
  @ApiErrors(
    { 400: '`question is required`, another field invalid (`details`), too many images or an image not base64' },
    { 413: 'The body is larger than BODY_LIMIT, or an image than QUERY_MAX_IMAGE_BYTES' },
    { 415: 'An image that is not PNG, JPEG, GIF or WEBP' },
  )
  @ApiExtraModels(QueryErrorResponseDto)
  @ApiResponse(errorResponseOptions(500, 'The run failed unexpectedly (`success: false`)', QueryErrorResponseDto))
  @ApiResponse(errorResponseOptions(502, 'The language model server failed (`success: false`)', QueryErrorResponseDto))
  @ApiResponse(
    errorResponseOptions(
      503,
      'The model server cannot be reached, or the default agent is not configured (`success: false`)',
      QueryErrorResponseDto,
    ),
  )
  @ApiResponse(errorResponseOptions(504, 'The model did not answer in time (`success: false`)', QueryErrorResponseDto))
  async query(
    @Body() body: QueryRequestDto,
    @CurrentCaller() caller: Caller | undefined,
    @Req() request: Request & { id?: string },
    @Res({ passthrough: true }) response: Response,
  ): Promise<QueryResponseDto | (QueryErrorResponseDto & { success: false })> {
    const outcome = await this.queries.query(body, caller ?? OPEN_CALLER, abortWhenClientLeaves(response));
    response.status(outcome.status);
    return outcome.body.success ? outcome.body : { ...outcome.body, requestId: String(request.id ?? '') };
  }
}
