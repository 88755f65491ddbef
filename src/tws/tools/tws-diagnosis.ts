import type { JobStatus, WorkstationStatus } from '../tws-client.port';

/** Internal statuses that mean a job needs an operator. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['ABEND', 'FAIL', 'ERROR', 'STUCK', 'ABENP']);

const HINTS: Array<{ pattern: RegExp; advice: string }> = [
  {
    pattern: /ORA-01017|invalid username\/password|logon denied|authentication failed/i,
    advice: 'the database credentials were refused: check the password in the job definition or vault, then rerun',
  },
  {
    pattern: /No space left on device|disk full|ENOSPC/i,
    advice: 'the file system is full: free space on the target file system, then rerun',
  },
  {
    pattern: /not found|No such file|FileNotFound/i,
    advice:
      'an input is missing: check that the upstream transfer arrived, then rerun (or cancel if the feed is skipped today)',
  },
  {
    pattern: /Connection refused|ECONNREFUSED|SQLTransientConnection|timed out/i,
    advice: 'a service the job needs did not answer: check it is up, then rerun',
  },
  // Before the out-of-memory hint, whose `Killed` would also match an operator's kill.
  { pattern: /killed by operator/i, advice: 'an operator killed the job: rerun it when the reason is cleared' },
  {
    pattern: /OutOfMemoryError|killed by signal 9|Killed/i,
    advice: 'the job ran out of memory or was killed: raise its memory or move it to a larger agent, then rerun',
  },
  {
    pattern: /threshold exceeded|rejected by validation/i,
    advice: 'the data failed validation: have the data owner check the rejected rows before rerunning',
  },
];

/** The next thing an operator should do about a failed job, from its log and return code. */
export function suggestForJob(job: JobStatus, log: string | undefined, workstations: WorkstationStatus[]): string {
  const ws = workstations.find((w) => w.name === job.workstation);
  if (ws && !ws.linked)
    return `the workstation ${ws.name} is unlinked: link it first (conman "link ${ws.name}"), then rerun ${job.name}`;
  for (const hint of HINTS) if (log && hint.pattern.test(log)) return hint.advice;
  const rc = job.return_code !== undefined ? ` (return code ${job.return_code})` : '';
  return `read the full job log${rc} and rerun once the cause is fixed; cancel it if today's run is not needed`;
}

export function suggestForWorkstation(ws: WorkstationStatus): string {
  if (ws.type === 'AGENT' || ws.type === 'POOL')
    return 'check the agent process and its connection to the broker, then link it again';
  return `check the netman/mailman processes on ${ws.name} and the network path, then "link ${ws.name}" from conman`;
}

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
