import { Injectable } from '@nestjs/common';
import type { AgentTool, ToolParameters } from '../agents/tools/agent-tool';
import { INCIDENT_KINDS, INCIDENT_STATUSES, type Incident, type IncidentKind } from './incident';
import { IncidentService } from './incident.service';

const MAX_LISTED = 20;
const STATUSES = ['active', ...INCIDENT_STATUSES, 'all'] as const;
type Status = (typeof STATUSES)[number];
const DEFAULT_LISTED = 10;

function describe(incident: Incident): string {
  const lines = [
    `- [${incident.kind}, ${incident.status}] ${incident.summary} (opened ${incident.opened_at}, id ${incident.id})`,
  ];
  lines.push(`  Next step: ${incident.next_step}`);
  if (incident.impact.critical_jobs.length > 0)
    lines.push(
      `  Critical jobs at risk: ${incident.impact.critical_jobs
        .map((c) => `${c.job}${c.minutes_left !== null ? ` (${c.minutes_left} min to deadline)` : ''}`)
        .join(', ')}`,
    );
  if (incident.acknowledged_by) lines.push(`  Acknowledged by ${incident.acknowledged_by}`);
  const memory = incident.memories[0];
  if (memory)
    lines.push(
      `  Remembered (${memory.status}${memory.rating ? `, rated ${memory.rating}/5` : ''}): ${memory.content}`,
    );
  return lines.join('\n');
}

/** `list_incidents`: what is broken right now (open and acknowledged incidents), with impact and the next step. */
@Injectable()
export class ListIncidentsTool implements AgentTool {
  readonly name = 'list_incidents';
  readonly description =
    'Lists the incidents the watcher has open right now (failed jobs, late or long-running jobs, workstations down, critical jobs at risk) with what each blocks, the next step and the fix the team remembers. Use it for "what is broken right now?".';
  readonly parameters: ToolParameters = {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: [...INCIDENT_KINDS], description: 'Only incidents of this kind' },
      status: {
        type: 'string',
        enum: [...STATUSES],
        description: 'active (open or acknowledged: what is broken now), open, acknowledged, resolved or all',
        default: 'active',
      },
      limit: { type: 'integer', minimum: 1, maximum: MAX_LISTED, default: DEFAULT_LISTED },
    },
    additionalProperties: false,
  };

  constructor(private readonly incidents: IncidentService) {}

  async run(args: Record<string, unknown>): Promise<string> {
    const status = STATUSES.includes(args.status as Status) ? (args.status as Status) : 'active';
    const kind = INCIDENT_KINDS.includes(args.kind as IncidentKind) ? (args.kind as IncidentKind) : undefined;
    const limit =
      typeof args.limit === 'number' && Number.isFinite(args.limit)
        ? Math.min(Math.max(1, Math.trunc(args.limit)), MAX_LISTED)
        : DEFAULT_LISTED;
    const page = await this.incidents.list({
      status,
      kind,
      limit,
      offset: 0,
    });
    if (page.count === 0)
      return status === 'active'
        ? `No open incidents${kind ? ` of kind ${kind}` : ''}: the watcher sees nothing broken in the plan right now.`
        : `No ${status === 'all' ? '' : `${status} `}incidents${kind ? ` of kind ${kind}` : ''}.`;
    const more = page.count > page.results.length ? ` (showing the ${page.results.length} newest)` : '';
    return [`${page.count} incident(s)${more}:`, ...page.results.map(describe)].join('\n');
  }
}
