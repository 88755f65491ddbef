import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolParameters } from '../../agents/tools/agent-tool';
import type { JobStatus } from '../tws-client.port';
import { TwsJobsService } from '../tws-jobs.service';
import { TwsStatusService } from '../tws-status.service';
import { FAILED_STATUSES, suggestForJob, suggestForWorkstation } from './tws-diagnosis';

/** At most this many failed jobs get their log read in one answer (each is an upstream call). */
const MAX_JOBS_WITH_LOGS = 10;
const LOG_TAIL_IN_DIAGNOSIS = 8;

/** The seed's TWSTroubleshootingTool: failed jobs with their log tail and unlinked workstations, each with a next step. */
@Injectable()
export class TwsTroubleshootingTool implements AgentTool {
  readonly name = 'tws_troubleshooting_tool';
  readonly description =
    'Diagnoses the TWS plan: jobs in ABEND (or FAIL/ERROR/STUCK) with the tail of each job log and a suggested next step, and workstations that are unlinked (DOWN).';
  readonly parameters: ToolParameters = { type: 'object', properties: {}, additionalProperties: false };

  constructor(
    private readonly status: TwsStatusService,
    private readonly jobs: TwsJobsService,
  ) {}

  async run(): Promise<string> {
    const snapshot = await this.status.getSystemStatus();
    const failed = snapshot.jobs.filter((j) => FAILED_STATUSES.has(j.status));
    const down = snapshot.workstations.filter((w) => !w.linked);
    if (failed.length === 0 && down.length === 0) {
      return `No failed jobs and every workstation is linked (${snapshot.jobs.length} jobs, ${snapshot.workstations.length} workstations, as of ${snapshot.as_of}).`;
    }
    const sections: string[] = [];
    if (snapshot.stale)
      sections.push(
        `Note: HWA is failing (${snapshot.stale_reason}); this is the last good status from ${snapshot.as_of}.`,
      );
    if (failed.length) {
      sections.push(`${failed.length} failed job(s):`);
      for (const [index, job] of failed.entries())
        sections.push(await this.describeFailure(job, index < MAX_JOBS_WITH_LOGS, snapshot.workstations));
    }
    if (down.length) {
      sections.push(`${down.length} unlinked workstation(s):`);
      for (const ws of down)
        sections.push(
          `- ${ws.name} [${ws.type}] is DOWN (states: ${ws.states.join(', ') || 'none'}). Next step: ${suggestForWorkstation(ws)}.`,
        );
    }
    return sections.join('\n');
  }

  private async describeFailure(
    job: JobStatus,
    readLog: boolean,
    workstations: Parameters<typeof suggestForJob>[2],
  ): Promise<string> {
    const header = `- ${this.jobs.label(job)} on ${job.workstation}: ${job.status}${job.return_code !== undefined ? `, return code ${job.return_code}` : ''}${job.job_number !== undefined ? `, job number ${job.job_number}` : ''} (plan id ${job.id}).`;
    let log: string | undefined;
    let logText = '  (log not read: too many failures in one answer; use tws_job_log_tool)';
    if (readLog && job.run_id) {
      try {
        log = await this.jobs.logTail(job, LOG_TAIL_IN_DIAGNOSIS);
        logText = `  Log tail:\n${log
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}`;
      } catch (error) {
        logText = `  (job log unavailable: ${(error as Error).message})`;
      }
    }
    return `${header}\n${logText}\n  Next step: ${suggestForJob(job, log, workstations)}.`;
  }
}
