import { Injectable, type NestMiddleware } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Counter } from 'prom-client';
import { MCP_REQUESTS_TOTAL, MCP_TOOL_CALLS_TOTAL } from '../metrics/metric-names';

/** `ok`, a tool error the agent can read (`error`), arguments refused by the schema, or a role missing. */
export type ToolCallOutcome = 'ok' | 'error' | 'invalid_arguments' | 'forbidden' | 'unknown_tool';

export const mcpMetricProviders = [
  makeCounterProvider({
    name: MCP_REQUESTS_TOTAL,
    help: 'HTTP requests to the MCP endpoint by method and status',
    labelNames: ['method', 'status'],
  }),
  makeCounterProvider({
    name: MCP_TOOL_CALLS_TOTAL,
    help: 'MCP tool calls by tool and outcome',
    labelNames: ['tool', 'outcome'],
  }),
];

@Injectable()
export class McpMetrics {
  constructor(
    @InjectMetric(MCP_REQUESTS_TOTAL) private readonly requests: Counter<string>,
    @InjectMetric(MCP_TOOL_CALLS_TOTAL) private readonly toolCalls: Counter<string>,
  ) {}

  request(method: string, status: number): void {
    this.requests.inc({ method, status: String(status) });
  }

  toolCall(tool: string, outcome: ToolCallOutcome): void {
    this.toolCalls.inc({ tool, outcome });
  }
}

/** Counts every request to /mcp by its final status, refusals by the guards included. */
@Injectable()
export class McpRequestCounter implements NestMiddleware {
  constructor(private readonly metrics: McpMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    response.once('finish', () => this.metrics.request(request.method, response.statusCode));
    next();
  }
}
