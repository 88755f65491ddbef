/** The names, scripts and failure stories the simulated plan is made of. */

export interface WorkstationSeed {
  name: string;
  type: 'MANAGER' | 'FTA' | 'AGENT' | 'POOL';
  /** HCL's OperatingSystemV2. */
  os: 'UNIX' | 'WINDOWS' | 'LINUX';
}

export const WORKSTATIONS: readonly WorkstationSeed[] = [
  { name: 'MASTER', type: 'MANAGER', os: 'UNIX' },
  { name: 'LNXFTA01', type: 'FTA', os: 'UNIX' },
  { name: 'WINFTA01', type: 'FTA', os: 'WINDOWS' },
  { name: 'AGTETL01', type: 'AGENT', os: 'LINUX' },
  { name: 'AGTDB01', type: 'AGENT', os: 'LINUX' },
  { name: 'POOLBATCH', type: 'POOL', os: 'UNIX' },
];

export interface JobSeed {
  name: string;
  workstation: string;
  critical?: boolean;
  abendRate?: number;
  /**
   * What the job waits for: `JOB` (same stream), `STREAM.JOB` (a job of another stream) or
   * `STREAM` (every job of another stream). Unset: the job before it in its stream.
   */
  follows?: string[];
}

export interface StreamSeed {
  name: string;
  workstation: string;
  jobs: JobSeed[];
}

/**
 * Six job streams, 36 jobs: the default plan. Jobs run in a chain within their stream unless they
 * say otherwise; a few wait across streams, so an ABEND upstream holds work (and critical jobs)
 * elsewhere: ETL_STAGE → BIL_RATE → BIL_INVOICE → EOD_LEDGER, PAY_BANK_FILE → EOD_RECONCILE, and
 * EOD_SWITCH_DATE waits for the whole REPORTS stream. Larger plans repeat generated streams.
 */
export const STREAMS: readonly StreamSeed[] = [
  {
    name: 'DAILY_BILLING',
    workstation: 'MASTER',
    jobs: [
      { name: 'BIL_EXTRACT', workstation: 'AGTDB01' },
      { name: 'BIL_VALIDATE', workstation: 'LNXFTA01' },
      {
        name: 'BIL_RATE',
        workstation: 'POOLBATCH',
        critical: true,
        follows: ['BIL_VALIDATE', 'ETL_NIGHTLY.ETL_STAGE'],
      },
      { name: 'BIL_INVOICE', workstation: 'POOLBATCH', critical: true },
      { name: 'BIL_PUBLISH', workstation: 'LNXFTA01', critical: true },
      { name: 'BIL_ARCHIVE', workstation: 'LNXFTA01' },
    ],
  },
  {
    name: 'PAYROLL',
    workstation: 'MASTER',
    jobs: [
      { name: 'PAY_LOAD_HOURS', workstation: 'WINFTA01' },
      { name: 'PAY_CALC', workstation: 'WINFTA01', critical: true, abendRate: 0.12 },
      { name: 'PAY_TAXES', workstation: 'WINFTA01' },
      { name: 'PAY_BANK_FILE', workstation: 'WINFTA01', critical: true },
      { name: 'PAY_NOTIFY', workstation: 'MASTER' },
      { name: 'PAY_CLEANUP', workstation: 'WINFTA01' },
    ],
  },
  {
    name: 'ETL_NIGHTLY',
    workstation: 'AGTETL01',
    jobs: [
      { name: 'ETL_GET_FILES', workstation: 'AGTETL01', abendRate: 0.2 },
      { name: 'ETL_STAGE', workstation: 'AGTETL01' },
      { name: 'ETL_TRANSFORM', workstation: 'AGTETL01', abendRate: 0.15 },
      { name: 'ETL_LOAD_DW', workstation: 'AGTDB01' },
      { name: 'ETL_STATS', workstation: 'AGTDB01' },
      { name: 'ETL_PURGE', workstation: 'AGTETL01' },
    ],
  },
  {
    name: 'BACKUP_DB',
    workstation: 'AGTDB01',
    jobs: [
      { name: 'BKP_QUIESCE', workstation: 'AGTDB01' },
      { name: 'BKP_FULL', workstation: 'AGTDB01', abendRate: 0.1 },
      { name: 'BKP_VERIFY', workstation: 'AGTDB01' },
      { name: 'BKP_RESUME', workstation: 'AGTDB01' },
      { name: 'BKP_OFFSITE', workstation: 'LNXFTA01', follows: ['BKP_VERIFY'] },
      { name: 'BKP_REPORT', workstation: 'MASTER', follows: ['BKP_RESUME', 'BKP_OFFSITE'] },
    ],
  },
  {
    name: 'REPORTS',
    workstation: 'LNXFTA01',
    jobs: [
      { name: 'RPT_SALES', workstation: 'POOLBATCH' },
      { name: 'RPT_STOCK', workstation: 'POOLBATCH', follows: [] },
      { name: 'RPT_FINANCE', workstation: 'POOLBATCH', follows: [] },
      { name: 'RPT_MERGE', workstation: 'LNXFTA01', follows: ['RPT_SALES', 'RPT_STOCK', 'RPT_FINANCE'] },
      { name: 'RPT_PDF', workstation: 'WINFTA01', abendRate: 0.1 },
      { name: 'RPT_MAIL', workstation: 'LNXFTA01' },
    ],
  },
  {
    name: 'EOD_CLOSE',
    workstation: 'MASTER',
    jobs: [
      { name: 'EOD_CHECK_FEEDS', workstation: 'MASTER' },
      {
        name: 'EOD_LEDGER',
        workstation: 'AGTDB01',
        critical: true,
        follows: ['EOD_CHECK_FEEDS', 'DAILY_BILLING.BIL_INVOICE'],
      },
      {
        name: 'EOD_RECONCILE',
        workstation: 'AGTDB01',
        critical: true,
        abendRate: 0.08,
        follows: ['EOD_LEDGER', 'PAYROLL.PAY_BANK_FILE'],
      },
      { name: 'EOD_POST', workstation: 'LNXFTA01' },
      { name: 'EOD_SWITCH_DATE', workstation: 'MASTER', follows: ['EOD_POST', 'REPORTS'] },
      { name: 'EOD_SIGNOFF', workstation: 'MASTER' },
    ],
  },
];

export const DEFAULT_ABEND_RATE = 0.05;

export interface FailureStory {
  returnCode: number;
  lines: string[];
}

/** What goes wrong in a batch night, as a job log shows it. */
export const FAILURES: readonly FailureStory[] = [
  {
    returnCode: 12,
    lines: ['ORA-01017: invalid username/password; logon denied', 'SQL*Plus: unable to connect to BILLPRD'],
  },
  { returnCode: 1, lines: ['cp: cannot create regular file /data/out/export.dat: No space left on device'] },
  {
    returnCode: 2,
    lines: ['ERROR: input file /data/in/feed_20261122.csv not found', 'Upstream transfer may not have arrived'],
  },
  {
    returnCode: 8,
    lines: [
      'java.sql.SQLTransientConnectionException: Connection refused (dbhost01:5432)',
      '\tat com.acme.etl.Loader.connect(Loader.java:88)',
    ],
  },
  { returnCode: 137, lines: ['java.lang.OutOfMemoryError: Java heap space', 'Process killed by signal 9'] },
  {
    returnCode: 4,
    lines: ['WARNING: 1432 rows rejected by validation (threshold 1000)', 'ERROR: rejection threshold exceeded'],
  },
];

/** A name for generated jobs and streams in large plans: `GEN0042`. */
export const generatedName = (prefix: string, index: number) => `${prefix}${String(index).padStart(4, '0')}`;
