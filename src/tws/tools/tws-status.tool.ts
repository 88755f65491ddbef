import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolParameters } from '../../agents/tools/agent-tool';
import { TwsStatusService } from '../tws-status.service';
import { countBy, FAILED_STATUSES } from './tws-diagnosis';

/** The seed's TWSStatusTool: a short summary of workstations and jobs, read through the cache. */
@Injectable()
export class TwsStatusTool implements AgentTool {
  readonly name = 'tws_status_tool';
  readonly description =
    'Current status of the HCL Workload Automation (TWS) plan: workstations linked or down, jobs by status, failed and critical jobs.';
  readonly parameters: ToolParameters = { type: 'object', properties: {}, additionalProperties: false };

  constructor(private readonly status: TwsStatusService) {}

  async run(): Promise<string> {
    const snapshot = await this.status.getSystemStatus();
    const down = snapshot.workstations.filter((w) => !w.linked);
    const byStatus = [...countBy(snapshot.jobs, (j) => j.status)].sort((a, b) => b[1] - a[1]);
    const failed = snapshot.jobs.filter((j) => FAILED_STATUSES.has(j.status));
    const lines = [
      `TWS plan status as of ${snapshot.as_of}${snapshot.stale ? ` (STALE: HWA is failing — ${snapshot.stale_reason})` : ''}.`,
      `Workstations: ${snapshot.workstations.length} (${snapshot.workstations.length - down.length} linked${down.length ? `; down: ${down.map((w) => `${w.name} [${w.type}]`).join(', ')}` : ''}).`,
      `Jobs: ${snapshot.jobs.length} — ${byStatus.map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}.`,
    ];
    if (failed.length)
      lines.push(
        `Failed jobs: ${failed.map((j) => `${j.job_stream_workstation}#${j.job_stream}.${j.name} (${j.status}${j.return_code !== undefined ? `, rc ${j.return_code}` : ''})`).join('; ')}.`,
      );
    const critical = snapshot.critical_jobs;
    if (critical.length) {
      const late = critical.filter((c) => c.late);
      lines.push(
        `Critical jobs: ${critical.map((c) => `${c.job_stream}.${c.job_name} ${c.status}`).join(', ')}${late.length ? `; LATE: ${late.map((c) => c.job_name).join(', ')}` : ''}.`,
      );
    }
    return lines.join('\n');
  }
}
