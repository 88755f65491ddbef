import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolContext, ToolParameters } from '../../agents/tools/agent-tool';
import { ForbiddenError } from '../../auth/auth.errors';
import { COMMAND_GRAMMAR } from '../execute/command-grammar';
import { OperatorCommandService } from '../execute/operator-command.service';

/**
 * An operator command on the plan, exactly as `POST /api/execute` runs it: the same grammar, the
 * `write` role, the same record in `tws_actions` under the caller's id. Agents get it only where
 * `agents.json` names it.
 */
@Injectable()
export class TwsExecuteCommandTool implements AgentTool {
  readonly name = 'tws_execute_command_tool';
  readonly description = `Runs one operator command on the HWA plan (never a shell) and records it. Grammar: ${COMMAND_GRAMMAR}. Example: "hold MASTER#PAYROLL.PAY_CALC". Needs the write role.`;
  readonly parameters: ToolParameters = {
    type: 'object',
    properties: {
      command: { type: 'string', description: `One command: ${COMMAND_GRAMMAR}`, minLength: 1, maxLength: 200 },
    },
    required: ['command'],
    additionalProperties: false,
  };

  constructor(private readonly commands: OperatorCommandService) {}

  async run(args: Record<string, unknown>, context: ToolContext): Promise<string> {
    const caller = context.caller;
    if (!caller?.roles.includes('write')) throw new ForbiddenError('Forbidden: running a command needs the write role');
    const outcome = await this.commands.execute(typeof args.command === 'string' ? args.command : '', caller);
    const { action } = outcome;
    const lines = [`${action.command} on ${action.targetId ?? action.target}: ${action.message}`];
    if (outcome.job) lines.push(`Job ${outcome.job.name} is now ${outcome.job.status}.`);
    if (outcome.jobStream) lines.push(`Job stream ${outcome.jobStream.name} is now ${outcome.jobStream.status}.`);
    if (outcome.log) lines.push('Log tail:', outcome.log);
    lines.push(`Recorded as action ${action.id}.`);
    return lines.join('\n');
  }
}
