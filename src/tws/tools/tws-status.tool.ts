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
  readonly parameters: ToolParameters = {
    type: 'object',
    properties: {
      status: {
        type: 'string',
        description: 'Only jobs in this internal status (e.g. ABEND, EXEC, HOLD, SUCC)',
        pattern: '^[A-Za-z]{1,10}$',
      },
      workstation: {
        type: 'string',
        description: 'Only this workstation and its jobs (e.g. MASTER)',
        pattern: '^[A-Za-z0-9_.-]{1,40}$',
      },
    },
    additionalProperties: false,
  };

  constructor(private readonly status: TwsStatusService) {}

  async run(args: Record<string, unknown> = {}): Promise<string> {
    const snapshot = filtered(await this.status.getSystemStatus(), args);
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
    const filters = describeFilters(args);
    if (filters) lines.splice(1, 0, `Filtered to ${filters}.`);
    return lines.join('\n');
  }
}

type Snapshot = Awaited<ReturnType<TwsStatusService['getSystemStatus']>>;

const upper = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim().toUpperCase() : undefined;

/** The plan narrowed to one status and/or one workstation (names are upper case in HWA). */
function filtered(snapshot: Snapshot, args: Record<string, unknown>): Snapshot {
  const status = upper(args.status);
  const workstation = upper(args.workstation);
  if (!status && !workstation) return snapshot;
  const onWorkstation = (name: string) => !workstation || name === workstation;
  return {
    ...snapshot,
    workstations: snapshot.workstations.filter((w) => onWorkstation(w.name)),
    jobs: snapshot.jobs.filter((j) => (!status || j.status === status) && onWorkstation(j.workstation)),
    critical_jobs: snapshot.critical_jobs.filter(
      (c) => (!status || c.status === status) && onWorkstation(c.workstation),
    ),
  };
}

function describeFilters(args: Record<string, unknown>): string {
  return [
    upper(args.status) && `status ${upper(args.status)}`,
    upper(args.workstation) && `workstation ${upper(args.workstation)}`,
  ]
    .filter(Boolean)
    .join(' and ');
}
