import type { ToolParameters } from '../../agents/tools/agent-tool';
import { CommandRejectedError, parseCommand } from '../execute/command-grammar';
import type { JobStatus } from '../tws-client.port';
import type { TwsJobsService } from '../tws-jobs.service';

/** The `job` argument of the tools that act on one job: the same names `/api/execute` accepts. */
export const JOB_ARGUMENT: ToolParameters = {
  type: 'object',
  properties: {
    job: {
      type: 'string',
      description: 'Plan id, WORKSTATION#JOBSTREAM.JOB (e.g. MASTER#PAYROLL.PAY_CALC), or a job name only one job has',
      minLength: 1,
      maxLength: 120,
    },
  },
  required: ['job'],
  additionalProperties: false,
};

/** Finds the job a tool's `job` argument names, through the grammar of `log <job>` (one validator). */
export async function resolveJobArgument(args: Record<string, unknown>, jobs: TwsJobsService): Promise<JobStatus> {
  const raw = typeof args.job === 'string' ? args.job.trim() : '';
  const command = parseCommand(`log ${raw}`);
  if (command.scope !== 'job') throw new CommandRejectedError('expected a job');
  return command.target.kind === 'id' ? jobs.resolveByIdOrName(command.target.id) : jobs.resolveJob(command.target);
}
