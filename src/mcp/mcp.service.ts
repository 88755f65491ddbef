import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  type CallToolResult,
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ValidateFunction } from 'ajv';
import type { AgentTool } from '../agents/tools/agent-tool';
import { ToolRegistry } from '../agents/tools/tool-registry';
import type { Caller } from '../auth/caller';
import { DomainError } from '../common/errors/domain-error';
import { McpMetrics, type ToolCallOutcome } from './mcp-metrics';
import { MCP_TOOLS, type McpToolBinding } from './mcp-tools';

const SERVER_INFO = { name: 'resync', title: 'Resync', version: '0.1.0' };
const INSTRUCTIONS =
  'Resync is an operations assistant for HCL Workload Automation (IBM TWS). Its tools read the live plan ' +
  '(tws_status, job_log, diagnose_job), the team memory of solved incidents and runbooks (search_memory), the ' +
  'incidents its watch opened (list_incidents), and run operator commands on the plan (execute_command, write role).';

/**
 * The Model Context Protocol over Streamable HTTP, stateless: every request gets its own server and
 * transport bound to the caller the guards resolved, so any instance can answer any request.
 */
@Injectable()
export class McpService {
  private readonly logger = new Logger(McpService.name);
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly registry: ToolRegistry,
    private readonly metrics: McpMetrics,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, body: unknown, caller: Caller): Promise<void> {
    const server = this.serverFor(caller);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.once('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  /** The tools this instance offers: those whose agent tool is registered (the watch adds list_incidents). */
  listTools(): Tool[] {
    return this.available().map(({ binding, tool }) => ({
      name: binding.name,
      title: binding.title,
      description: tool.description,
      inputSchema: tool.parameters as Tool['inputSchema'],
      annotations: {
        title: binding.title,
        readOnlyHint: binding.readOnly,
        destructiveHint: !binding.readOnly,
        idempotentHint: binding.readOnly,
        openWorldHint: false,
      },
    }));
  }

  async callTool(name: string, args: Record<string, unknown>, caller: Caller, signal?: AbortSignal) {
    const found = this.available().find(({ binding }) => binding.name === name);
    if (!found) {
      this.metrics.toolCall('unknown', 'unknown_tool');
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name.slice(0, 80)}`);
    }
    const { binding, tool } = found;
    const validate = this.validatorFor(binding, tool);
    if (!validate(args)) {
      return this.toolError(
        binding,
        'invalid_arguments',
        `Invalid arguments for ${name}: ${this.ajv.errorsText(validate.errors, { dataVar: 'arguments' })}`,
      );
    }
    if (!binding.readOnly && !caller.roles.includes('write')) {
      return this.toolError(
        binding,
        'forbidden',
        `Forbidden: ${name} needs the write role; ${caller.id} has ${caller.roles.join(', ') || 'none'}`,
      );
    }
    try {
      const text = await tool.run(args, { caller, agentId: 'mcp', signal });
      this.metrics.toolCall(binding.name, 'ok');
      return { content: [{ type: 'text', text }] } satisfies CallToolResult;
    } catch (error) {
      if (error instanceof DomainError)
        return this.toolError(binding, error.kind === 'forbidden' ? 'forbidden' : 'error', error.message);
      this.logger.error({ err: error, tool: name, caller: caller.id }, 'MCP tool failed unexpectedly');
      return this.toolError(binding, 'error', `${name} failed unexpectedly; the server logged the cause`);
    }
  }

  private serverFor(caller: Caller): Server {
    const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: this.listTools() }));
    server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      this.callTool(request.params.name, request.params.arguments ?? {}, caller, extra.signal),
    );
    return server;
  }

  private available(): { binding: McpToolBinding; tool: AgentTool }[] {
    return MCP_TOOLS.flatMap((binding) => {
      const tool = this.registry.get(binding.agentTool);
      return tool ? [{ binding, tool }] : [];
    });
  }

  private validatorFor(binding: McpToolBinding, tool: AgentTool): ValidateFunction {
    let validate = this.validators.get(binding.name);
    if (!validate) {
      validate = this.ajv.compile(tool.parameters);
      this.validators.set(binding.name, validate);
    }
    return validate;
  }

  private toolError(binding: McpToolBinding, outcome: ToolCallOutcome, text: string): CallToolResult {
    this.metrics.toolCall(binding.name, outcome);
    return { content: [{ type: 'text', text }], isError: true };
  }
}
