import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, RateLimited, RequireRoles } from '../auth/auth.decorators';
import type { Caller } from '../auth/caller';
import { assertOriginAllowed } from '../auth/origin-policy';
import { AppConfig } from '../config/app-config';
import { McpService } from './mcp.service';

/** JSON-RPC's "server error" range, as the MCP SDK answers transport-level refusals. */
const JSON_RPC_SERVER_ERROR = -32000;

/**
 * `/mcp`: the Model Context Protocol's Streamable HTTP transport, behind the same guards as the
 * REST API (credentials, `read` role, the per-client rate limit). Described by MCP itself
 * (`tools/list`), not by the OpenAPI document.
 */
@ApiExcludeController()
@Controller('mcp')
@RequireRoles('read')
@RateLimited()
export class McpController {
  constructor(
    private readonly mcp: McpService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  async post(@Req() request: Request, @Res() response: Response, @CurrentCaller() caller: Caller): Promise<void> {
    assertOriginAllowed(request.headers.origin, request.headers.host, this.config.app.corsOrigins);
    await this.mcp.handle(request, response, request.body, caller);
  }

  /**
   * Stateless: no server-initiated stream to open and no session to end. The transport's
   * specification lets a server answer both with 405.
   */
  @Get()
  @HttpCode(405)
  stream(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.notAllowed(request, response, 'This server is stateless: it opens no SSE stream; POST requests');
  }

  @Delete()
  @HttpCode(405)
  end(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.notAllowed(request, response, 'This server is stateless: there is no session to end');
  }

  private notAllowed(request: Request, response: Response, message: string) {
    assertOriginAllowed(request.headers.origin, request.headers.host, this.config.app.corsOrigins);
    response.setHeader('Allow', 'POST');
    return { jsonrpc: '2.0', error: { code: JSON_RPC_SERVER_ERROR, message }, id: null };
  }
}
