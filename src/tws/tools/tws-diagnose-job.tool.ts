import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolParameters } from '../../agents/tools/agent-tool';
import { TwsJobsService } from '../tws-jobs.service';
import { TwsStatusService } from '../tws-status.service';
import { JOB_ARGUMENT, resolveJobArgument } from './job-argument';
import { FAILED_STATUSES, suggestForJob } from './tws-diagnosis';

const LOG_TAIL_IN_DIAGNOSIS = 8;

/** One job's diagnosis: its status as HWA reports it, the tail of its log and the next step. */
@Injectable()
export class TwsDiagnoseJobTool implements AgentTool {
  readonly name = 'tws_diagnose_job_tool';
  readonly description =
    'Diagnoses one TWS job: its status and return code, the tail of its last run log and the next step an operator should take. Argument `job`: the plan id, WORKSTATION#JOBSTREAM.JOB, or a job name when only one job has it.';
  readonly parameters: ToolParameters = JOB_ARGUMENT;

  constructor(
    private readonly jobs: TwsJobsService,
    private readonly status: TwsStatusService,
  ) {}

  async run(args: Record<string, unknown>): Promise<string> {
    const job = await resolveJobArgument(args, this.jobs);
    const rc = job.return_code !== undefined ? `, return code ${job.return_code}` : '';
    const lines = [`${this.jobs.label(job)} on ${job.workstation}: ${job.status}${rc} (plan id ${job.id}).`];
    let log: string | undefined;
    if (job.run_id) {
      try {
        log = await this.jobs.logTail(job, LOG_TAIL_IN_DIAGNOSIS);
        lines.push('Log tail:', ...log.split('\n').map((line) => `  ${line}`));
      } catch (error) {
        lines.push(`(job log unavailable: ${(error as Error).message})`);
      }
    } else {
      lines.push('The job has not run yet: there is no log.');
    }
    if (FAILED_STATUSES.has(job.status)) {
      const { workstations } = await this.status.getSystemStatus();
      lines.push(`Next step: ${suggestForJob(job, log, workstations)}.`);
    } else {
      lines.push(`Nothing to fix: ${job.status} is not a failure${job.late ? ', but the job is late' : ''}.`);
    }
    return lines.join('\n');
  }
}
