import { Inject, Injectable } from '@nestjs/common';
import type { AgentTool, ToolContext, ToolParameters } from '../agents/tools/agent-tool';
import { readScope } from '../auth/read-scope';
import { IKnowledgeGraph } from './knowledge-graph.port';
import { KnowledgeError } from './knowledge.errors';
import { formatMemories } from './memory-format';

const MAX_TOOL_RESULTS = 10;
const MAX_TOOL_CHARS = 6_000;

/** `search_memory`: past incidents, solutions, threads and documents relevant to a query. */
@Injectable()
export class SearchMemoryTool implements AgentTool {
  readonly name = 'search_memory';
  readonly description =
    'Search the team memory (solved incidents, Slack threads, runbooks) for knowledge relevant to a TWS problem. Returns the best matches with their review status and rating.';
  readonly parameters: ToolParameters = {
    type: 'object',
    properties: {
      query: {
        type: 'string',
        description: 'What to look for, e.g. "PAYROLL job ABEND RC 12"',
        minLength: 1,
        maxLength: 1000,
      },
      limit: {
        type: 'integer',
        description: 'How many memories to return',
        minimum: 1,
        maximum: MAX_TOOL_RESULTS,
        default: 5,
      },
    },
    required: ['query'],
    additionalProperties: false,
  };

  constructor(@Inject(IKnowledgeGraph) private readonly knowledge: IKnowledgeGraph) {}

  async run(args: Record<string, unknown>, context: ToolContext): Promise<string> {
    const query = typeof args.query === 'string' ? args.query.trim() : '';
    if (query.length === 0) throw new KnowledgeError('INVALID_INPUT', 'search_memory needs a non-empty "query"');
    const limit =
      typeof args.limit === 'number' && Number.isFinite(args.limit)
        ? Math.min(Math.max(1, Math.trunc(args.limit)), MAX_TOOL_RESULTS)
        : 5;
    const matches = await this.knowledge.searchSimilarIssues(query, limit, context.scope ?? readScope(context.caller));
    return formatMemories(`Memories matching "${query}":`, matches, MAX_TOOL_CHARS) || `No memory matches "${query}".`;
  }
}
