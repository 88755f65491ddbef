import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolParameters } from '../../agents/tools/agent-tool';
import { TwsJobsService } from '../tws-jobs.service';
import { JOB_ARGUMENT, resolveJobArgument } from './job-argument';

/** The log of one job's last run, by plan id or WORKSTATION#JOBSTREAM.JOB. */
@Injectable()
export class TwsJobLogTool implements AgentTool {
  readonly name = 'tws_job_log_tool';
  readonly description =
    "Reads the tail of a TWS job's last run log. Argument `job`: the plan id, WORKSTATION#JOBSTREAM.JOB, or a job name when only one job has it.";
  readonly parameters: ToolParameters = JOB_ARGUMENT;

  constructor(private readonly jobs: TwsJobsService) {}

  async run(args: Record<string, unknown>): Promise<string> {
    const job = await resolveJobArgument(args, this.jobs);
    const tail = await this.jobs.logTail(job);
    return `Job log of ${this.jobs.label(job)} (status ${job.status}${job.return_code !== undefined ? `, rc ${job.return_code}` : ''}, run ${job.run_id}), last lines:\n${tail}`;
  }
}
