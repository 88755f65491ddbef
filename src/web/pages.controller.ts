import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, RequireRoles } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { DashboardSummaryDto } from './dashboard.dto';
import { DashboardService } from './dashboard.service';
import { PAGE_CONTENT_SECURITY_POLICY, StaticPages } from './static-pages';

const HTML_PAGE = { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } };

@ApiTags('web')
@Controller()
export class PagesController {
  constructor(
    private readonly pages: StaticPages,
    private readonly dashboard: DashboardService,
  ) {}

  @Get('revisao')
  @Public()
  @ApiOperation({ summary: 'The human review page for flagged memories' })
  @ApiOkResponse(HTML_PAGE)
  review(@Res() res: Response): void {
    this.send(res, 'revisao.html');
  }

  @Get('api/dashboard')
  @Public()
  @ApiOperation({ summary: 'The dashboard page (its data is GET /api/dashboard/summary)' })
  @ApiOkResponse(HTML_PAGE)
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'The dashboard file is missing from the build' })
  dashboardPage(@Res() res: Response): void {
    this.send(res, 'dashboard.html');
  }

  @Get('dashboard')
  @Public()
  @ApiExcludeEndpoint()
  dashboardAlias(@Res() res: Response): void {
    this.send(res, 'dashboard.html');
  }

  @Get('api/dashboard/summary')
  @RequireRoles('read')
  @ApiOperation({ summary: 'What the dashboard shows: TWS plan, memories under review, audit queue, chat connections' })
  @ApiOkResponse({ type: DashboardSummaryDto })
  summary(): Promise<DashboardSummaryDto> {
    return this.dashboard.summary();
  }

  @Get('assets/:file')
  @Public()
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, file);
  }

  private send(res: Response, name: string): void {
    const file = this.pages.get(name);
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(file.body);
  }
}
