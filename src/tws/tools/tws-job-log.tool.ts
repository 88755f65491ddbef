import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolParameters } from '../../agents/tools/agent-tool';
import { CommandRejectedError, parseCommand } from '../execute/command-grammar';
import { TwsJobsService } from '../tws-jobs.service';

/** The log of one job's last run, by plan id or WORKSTATION#JOBSTREAM.JOB. */
@Injectable()
export class TwsJobLogTool implements AgentTool {
  readonly name = 'tws_job_log_tool';
  readonly description =
    "Reads the tail of a TWS job's last run log. Argument `job`: the plan id, WORKSTATION#JOBSTREAM.JOB, or a job name when only one job has it.";
  readonly parameters: ToolParameters = {
    type: 'object',
    properties: {
      job: {
        type: 'string',
        description: 'Plan id, or WORKSTATION#JOBSTREAM.JOB (e.g. MASTER#PAYROLL.PAY_CALC)',
        maxLength: 120,
      },
    },
    required: ['job'],
    additionalProperties: false,
  };

  constructor(private readonly jobs: TwsJobsService) {}

  async run(args: Record<string, unknown>): Promise<string> {
    const raw = typeof args.job === 'string' ? args.job.trim() : '';
    // The same grammar as `log <job>` in /api/execute: one way to name a job, one validator.
    const command = parseCommand(`log ${raw}`);
    if (command.scope !== 'job') throw new CommandRejectedError('expected a job');
    const job =
      command.target.kind === 'id'
        ? await this.jobs.resolveByIdOrName(command.target.id)
        : await this.jobs.resolveJob(command.target);
    const tail = await this.jobs.logTail(job);
    return `Job log of ${this.jobs.label(job)} (status ${job.status}${job.return_code !== undefined ? `, rc ${job.return_code}` : ''}, run ${job.run_id}), last lines:\n${tail}`;
  }
}
