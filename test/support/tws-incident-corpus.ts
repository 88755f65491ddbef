/**
 * A small, realistic memory of TWS (HCL Workload Automation) incidents: ABEND causes, linking
 * problems, dependency holds, plan and agent troubles. Each question names the memory an operator
 * would want to see first.
 */
export interface CorpusMemory {
  key: string;
  problem: string;
  solution: string;
}

export const TWS_INCIDENTS: CorpusMemory[] = [
  {
    key: 'abend-rc12-missing-file',
    problem: 'Job PAYROLL_CALC on CPU_FIN ABENDed with return code 12: input file /data/payroll/in.dat not found',
    solution:
      'The upstream SFTP transfer had not arrived. Rerun PAYROLL_CALC after the file lands; add a file dependency (OPENS) on in.dat.',
  },
  {
    key: 'abend-ora-01017',
    problem: 'ETL_ORDERS abend, job log shows ORA-01017 invalid username/password; logon denied',
    solution:
      'The database password of the batch user expired. Reset it in Oracle and update the TWS user definition with composer, then rerun.',
  },
  {
    key: 'abend-disk-full',
    problem: 'Several jobs on CPU_BATCH2 abended with "No space left on device" while writing to /var/tws/stdlist',
    solution:
      'The stdlist filesystem was full. Ran rmstdlist -10 to purge old job logs and scheduled a nightly cleanup job.',
  },
  {
    key: 'abend-java-heap',
    problem: 'REPORT_MONTHLY failed with java.lang.OutOfMemoryError: Java heap space after 40 minutes',
    solution: 'Raised -Xmx in the job script from 1g to 4g; the report grew with the new business unit.',
  },
  {
    key: 'abend-rc-8-warning',
    problem: 'BACKUP_DB ends with RC=8 and TWS marks it ABEND, but the backup is actually fine',
    solution:
      'The backup tool returns 8 for warnings. Set the job success condition with RCCONDSUCC "(RC=0) OR (RC=8)".',
  },
  {
    key: 'unlinked-fta-firewall',
    problem: 'Fault-tolerant agent FTA_LONDON shows UNLINKED in conman after the network maintenance window',
    solution: 'The firewall change closed port 31111 (netman). Reopened it and ran conman "link FTA_LONDON".',
  },
  {
    key: 'unlinked-netman-down',
    problem: 'Workstation CPU_PARIS not linked; netman process is not running on the agent',
    solution: 'Started netman with StartUp.sh on the agent, then linked the workstation from the master.',
  },
  {
    key: 'unlinked-ssl-cert',
    problem: 'Agents fail to link after certificate renewal: AWSITA104E SSL handshake failed',
    solution:
      'The new certificate was missing from the agent trust store. Imported the CA certificate with GSKit and restarted the agent.',
  },
  {
    key: 'hold-follows-predecessor',
    problem: 'INVOICE_SEND stays in HOLD with a FOLLOWS dependency on INVOICE_BUILD that never completes',
    solution:
      'INVOICE_BUILD was cancelled in the previous plan. Released the dependency with conman "release INVOICE_SEND" after checking the data.',
  },
  {
    key: 'hold-resource-limit',
    problem: 'Many jobs waiting in READY but not starting: the TAPE_DRIVES resource has no units available',
    solution: 'A hung job held both tape units. Killed the hung job to free the resource; the queue drained.',
  },
  {
    key: 'hold-limit-zero',
    problem: 'No jobs start on CPU_EAST, all jobs stay HOLD; the workstation job limit shows 0',
    solution: 'Someone set the limit to 0 during maintenance. Restored it with conman "limit cpu=CPU_EAST;20".',
  },
  {
    key: 'hold-until-time',
    problem:
      'LATE_FEED did not start at 06:00 and is still waiting; it has an AT 06:00 and an UNTIL 05:30 time restriction',
    solution:
      'UNTIL earlier than AT made the job expire at once. Corrected the UNTIL time in the job stream definition.',
  },
  {
    key: 'plan-jnextplan-failed',
    problem: 'JnextPlan failed overnight: the new production plan was not generated, FINAL stream ABEND',
    solution:
      'The database transaction log was full during planman. Extended the DB2 log, then reran JnextPlan -for 0000.',
  },
  {
    key: 'plan-carryforward',
    problem: 'Yesterday unfinished job streams did not carry forward into the new plan',
    solution:
      'The streams were not CARRYFORWARD and the global option enCarryForward was off. Enabled carry forward for the streams.',
  },
  {
    key: 'mailbox-full',
    problem: 'Mailbox.msg is full on the master; events are delayed and conman shows stale states',
    solution:
      'Batchman was slow because of a stuck writer. Stopped and restarted the processes, and increased the mailbox size with evtsize.',
  },
  {
    key: 'dynamic-agent-offline',
    problem:
      'Dynamic agent DA_LINUX05 is offline in the Dynamic Workload Console; jobs routed to its pool are not dispatched',
    solution:
      'The JobManager service on the agent had stopped after an OS patch. Restarted the agent with ShutDownLwa and StartUpLwa.',
  },
  {
    key: 'jobman-stopped',
    problem: 'Jobs submit but never run on CPU_WEST; jobman is stopped',
    solution: 'Restarted jobman with conman "start CPU_WEST" after clearing the jobmanrc lock.',
  },
  {
    key: 'password-windows-user',
    problem: 'Windows jobs on WIN_APP01 fail to launch: AWSBJW001E the user password is wrong for TWS user svc_batch',
    solution:
      'The service account password was rotated in Active Directory. Updated it with the composer user definition and retried.',
  },
  {
    key: 'time-zone-dst',
    problem: 'After the daylight saving change, jobs in the APAC streams ran one hour early',
    solution:
      'The streams had no timezone set and used the master time zone. Set the timezone option on each APAC job stream.',
  },
  {
    key: 'duplicate-run',
    problem: 'The same job stream ran twice in one day after a manual submit plus the scheduled instance',
    solution:
      'Operators submitted it with sbs while the plan instance was still pending. Cancelled the duplicate and documented to check the plan first.',
  },
];

export interface CorpusQuestion {
  question: string;
  expected: string;
}

export const TWS_QUESTIONS: CorpusQuestion[] = [
  { question: 'PAYROLL_CALC abend return code 12, what happened?', expected: 'abend-rc12-missing-file' },
  { question: 'job failing with ORA-01017 logon denied', expected: 'abend-ora-01017' },
  { question: 'no space left on device in stdlist', expected: 'abend-disk-full' },
  { question: 'java heap space OutOfMemoryError in a report job', expected: 'abend-java-heap' },
  { question: 'backup returns RC 8 but it is only a warning, how to stop the ABEND?', expected: 'abend-rc-8-warning' },
  { question: 'FTA_LONDON is unlinked since the network maintenance', expected: 'unlinked-fta-firewall' },
  { question: 'netman not running on the agent, workstation not linked', expected: 'unlinked-netman-down' },
  { question: 'SSL handshake failed when agents link after certificate renewal', expected: 'unlinked-ssl-cert' },
  { question: 'job stuck in HOLD waiting on a FOLLOWS predecessor', expected: 'hold-follows-predecessor' },
  { question: 'jobs READY but not starting, resource has no units available', expected: 'hold-resource-limit' },
  { question: 'workstation limit is 0 and nothing starts', expected: 'hold-limit-zero' },
  {
    question: 'job expired at once: its UNTIL time restriction is earlier than the AT time',
    expected: 'hold-until-time',
  },
  { question: 'JnextPlan failed and the new plan was not generated', expected: 'plan-jnextplan-failed' },
  { question: 'unfinished streams missing from the new plan, carry forward', expected: 'plan-carryforward' },
  { question: 'Mailbox.msg full on the master, states are stale', expected: 'mailbox-full' },
  { question: 'dynamic agent offline in the console, jobs not dispatched', expected: 'dynamic-agent-offline' },
  { question: 'jobman stopped, jobs never run', expected: 'jobman-stopped' },
  { question: 'Windows job fails: user password wrong for the TWS user', expected: 'password-windows-user' },
  { question: 'jobs ran one hour early after the daylight saving change', expected: 'time-zone-dst' },
  { question: 'job stream ran twice after a manual submit', expected: 'duplicate-run' },
];
