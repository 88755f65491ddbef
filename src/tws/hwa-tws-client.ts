import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  type IPolicy,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { Agent, request } from 'undici';
import type { TwsCredentials } from '../config/sections/tws.section';
import {
  HWA_API_BASE,
  type HwaEngineInfo,
  type HwaFlowNodeList,
  type HwaJob,
  type HwaJobStream,
  type HwaPage,
  type HwaResourceResponse,
  type HwaWorkstation,
} from './hwa-wire';
import { isCritical, mapCriticalJob, mapJob, mapJobStream, mapWorkstation } from './hwa-mapping';
import type {
  ActionResult,
  CriticalJob,
  EngineInfo,
  ITWSClient,
  JobAction,
  JobDependencies,
  JobQuery,
  JobStatus,
  JobStreamAction,
  JobStreamStatus,
  SystemStatus,
  WorkstationStatus,
} from './tws-client.port';
import { TwsError } from './tws.errors';

/** Where HWA is and how to talk to it: from the configuration, or the in-process simulator. */
export interface TwsEndpoint {
  /** `https://master:31116` — no path. */
  baseUrl: string;
  credentials: TwsCredentials;
  /** PEM text of a private CA (TWS_CA_FILE). */
  ca?: string;
  verifyTls: boolean;
}

export interface HwaClientOptions {
  timeoutMs: number;
  retryAttempts: number;
  retryBaseDelayMs: number;
  circuitThreshold: number;
  circuitResetMs: number;
  pageSize: number;
  maxPlanObjects: number;
}

export type UpstreamOutcome =
  'ok' | 'client_error' | 'server_error' | 'timeout' | 'unreachable' | 'tls' | 'bad_response' | 'circuit_open';

/** What the client reports; the metrics module implements it. */
export interface TwsClientObserver {
  call(endpoint: string, outcome: UpstreamOutcome, seconds: number): void;
  circuit(state: 'closed' | 'half_open' | 'open'): void;
}

const NO_OBSERVER: TwsClientObserver = { call: () => undefined, circuit: () => undefined };

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const MAX_RETRY_DELAY_MS = 5_000;

const TLS_CODES =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+|ERR_TLS_\w+|ERR_SSL_\w+|EPROTO)$/;
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

interface Call {
  endpoint: string;
  method: 'GET' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** What the call is about, for error messages ("job 0AAA..."). */
  subject: string;
  accept: 'json' | 'text';
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function outcomeOf(error: TwsError): UpstreamOutcome {
  switch (error.code) {
    case 'TWS_TIMEOUT':
      return 'timeout';
    case 'TWS_UNREACHABLE':
      return 'unreachable';
    case 'TWS_TLS':
      return 'tls';
    case 'TWS_BAD_RESPONSE':
      return 'bad_response';
    case 'TWS_CIRCUIT_OPEN':
      return 'circuit_open';
    case 'TWS_UPSTREAM':
      return 'server_error';
    default:
      return 'client_error';
  }
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * HCL Workload Automation REST API V2 over undici: the only code that knows HWA's URLs.
 * Reads are retried with exponential backoff and jitter; actions never are. Both go through one
 * circuit breaker and a per-call timeout.
 */
export class HwaTwsClient implements ITWSClient {
  private readonly agent: Agent;
  private readonly authorization?: string;
  private readonly breaker;
  private readonly readPolicy: IPolicy<{ signal: AbortSignal }>;
  private readonly actionPolicy: IPolicy<{ signal: AbortSignal }>;

  constructor(
    private readonly endpoint: TwsEndpoint,
    private readonly options: HwaClientOptions,
    private readonly observer: TwsClientObserver = NO_OBSERVER,
  ) {
    this.agent = new Agent({
      connect: { ca: endpoint.ca, rejectUnauthorized: endpoint.verifyTls },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      maxResponseSize: MAX_RESPONSE_BYTES,
    });
    const { apiKey, user, password } = endpoint.credentials;
    if (apiKey) this.authorization = `Bearer ${apiKey}`;
    else if (user !== undefined)
      this.authorization = `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;

    const transient = handleWhen((error) => error instanceof TwsError && error.transient);
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: options.circuitResetMs,
      breaker: new ConsecutiveBreaker(options.circuitThreshold),
    });
    this.breaker.onStateChange((state) =>
      observer.circuit(
        state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half_open' : 'open',
      ),
    );
    const perCall = timeout(options.timeoutMs, TimeoutStrategy.Cooperative);
    const retries = retry(transient, {
      maxAttempts: options.retryAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: options.retryBaseDelayMs, maxDelay: MAX_RETRY_DELAY_MS }),
    });
    this.readPolicy = wrap(retries, this.breaker, perCall);
    this.actionPolicy = wrap(this.breaker, perCall);
    observer.circuit('closed');
  }

  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async checkConnection(): Promise<EngineInfo> {
    const info = await this.read<HwaEngineInfo>({
      endpoint: 'engine_info',
      method: 'GET',
      path: '/engine/info',
      subject: 'engine info',
      accept: 'json',
    });
    return {
      version: info.displayVersion ?? info.fullVersion ?? 'unknown',
      ...(info.timezone && { timezone: info.timezone }),
    };
  }

  async getWorkstationsStatus(): Promise<WorkstationStatus[]> {
    return (await this.readAll<HwaWorkstation>('workstations', '/plan/workstation', 'ORDER BY name ASC')).map(
      mapWorkstation,
    );
  }

  async getJobsStatus(query: JobQuery = {}): Promise<JobStatus[]> {
    const filters = [
      query.workstation && `jobStreamWorkstation = ${quote(query.workstation)}`,
      query.jobStream && `jobStreamName = ${quote(query.jobStream)}`,
      query.name && `name = ${quote(query.name)}`,
    ].filter(Boolean);
    return (await this.readAll<HwaJob>('jobs', '/plan/job', filters.join(' AND '))).map(mapJob);
  }

  async getCriticalPathStatus(): Promise<CriticalJob[]> {
    return (await this.readAll<HwaJob>('jobs', '/plan/job', 'jobOptions.critical = true')).map(mapCriticalJob);
  }

  /** Two reads (workstations, jobs); critical jobs are the plan's jobs flagged critical. */
  async getSystemStatus(): Promise<SystemStatus> {
    const [workstations, jobs] = await Promise.all([
      this.readAll<HwaWorkstation>('workstations', '/plan/workstation', 'ORDER BY name ASC'),
      this.readAll<HwaJob>('jobs', '/plan/job', ''),
    ]);
    return {
      workstations: workstations.map(mapWorkstation),
      jobs: jobs.map(mapJob),
      critical_jobs: jobs.filter(isCritical).map(mapCriticalJob),
    };
  }

  async getJobStreams(): Promise<JobStreamStatus[]> {
    return (await this.readAll<HwaJobStream>('jobstreams', '/plan/jobstream', '')).map(mapJobStream);
  }

  async getJobStreamsByName(workstation: string, name: string): Promise<JobStreamStatus[]> {
    const oql = `workstation = ${quote(workstation)} AND name = ${quote(name)}`;
    return (await this.readAll<HwaJobStream>('jobstreams', '/plan/jobstream', oql)).map(mapJobStream);
  }

  async getJob(id: string): Promise<JobStatus> {
    const job = await this.read<HwaJob>({
      endpoint: 'job',
      method: 'GET',
      path: `/plan/job/${encodeURIComponent(id)}`,
      subject: `job ${id}`,
      accept: 'json',
    });
    return mapJob(job);
  }

  async getJobPredecessors(jobId: string): Promise<JobDependencies> {
    return this.getDependencies(jobId, 'predecessors');
  }

  async getJobSuccessors(jobId: string): Promise<JobDependencies> {
    return this.getDependencies(jobId, 'successors');
  }

  private async getDependencies(jobId: string, direction: 'predecessors' | 'successors'): Promise<JobDependencies> {
    const list = await this.read<HwaFlowNodeList>({
      endpoint: `job_${direction}`,
      method: 'GET',
      path: `/plan/job/${encodeURIComponent(jobId)}/${direction}`,
      subject: `job ${jobId}`,
      accept: 'json',
    });
    if (!Array.isArray(list?.results)) {
      throw new TwsError('TWS_BAD_RESPONSE', `HWA answered the ${direction} of job ${jobId} without a results list`);
    }
    const dependencies: JobDependencies = { jobs: [], job_streams: [] };
    for (const node of list.results) {
      if (node.flowNodeType === 'JOBSTREAM') dependencies.job_streams.push(mapJobStream(node));
      else dependencies.jobs.push(mapJob(node));
    }
    return dependencies;
  }

  async getJobLog(runId: string): Promise<string> {
    return this.read<string>({
      endpoint: 'job_log',
      method: 'GET',
      path: `/plan/job/run/${encodeURIComponent(runId)}/joblog`,
      subject: `job run ${runId}`,
      accept: 'text',
    });
  }

  async rerunJob(runId: string): Promise<ActionResult> {
    return this.act(
      'job_rerun',
      `/plan/job/run/${encodeURIComponent(runId)}/action/rerun`,
      `job run ${runId}`,
      'rerun submitted',
    );
  }

  async jobAction(jobId: string, action: JobAction): Promise<ActionResult> {
    return this.act(
      `job_${action}`,
      `/plan/job/${encodeURIComponent(jobId)}/action/${action}`,
      `job ${jobId}`,
      `${action} accepted`,
    );
  }

  async jobStreamAction(jobStreamId: string, action: JobStreamAction): Promise<ActionResult> {
    return this.act(
      `jobstream_${action}`,
      `/plan/jobstream/${encodeURIComponent(jobStreamId)}/action/${action}`,
      `job stream ${jobStreamId}`,
      `${action} accepted`,
    );
  }

  private async act(endpoint: string, path: string, subject: string, fallbackMessage: string): Promise<ActionResult> {
    const response = await this.run(this.actionPolicy, {
      endpoint,
      method: 'PUT',
      path,
      body: {},
      subject,
      accept: 'json',
    });
    const resource = (response ?? {}) as HwaResourceResponse;
    return { id: resource.id ?? '', message: resource.message ?? fallbackMessage };
  }

  private read<T>(call: Call): Promise<T> {
    return this.run(this.readPolicy, call) as Promise<T>;
  }

  /** Reads a plan list page by page (`limit`/`offset`) until HWA has no more. */
  private async readAll<T>(endpoint: string, path: string, oql: string): Promise<T[]> {
    const { pageSize, maxPlanObjects } = this.options;
    const items: T[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.read<HwaPage<T>>({
        endpoint,
        method: 'GET',
        path,
        query: { limit: pageSize, offset, oql: oql || undefined },
        subject: path,
        accept: 'json',
      });
      const results = Array.isArray(page?.results) ? page.results : undefined;
      if (!results) throw new TwsError('TWS_BAD_RESPONSE', `HWA answered ${path} without a results list`);
      items.push(...results);
      if (items.length > maxPlanObjects) {
        throw new TwsError(
          'TWS_BAD_RESPONSE',
          `The plan holds more than ${maxPlanObjects} objects at ${path}; raise TWS_MAX_PLAN_OBJECTS or filter`,
        );
      }
      const total = typeof page.count === 'number' ? page.count : undefined;
      if (results.length < pageSize || !page.next || (total !== undefined && items.length >= total)) return items;
    }
  }

  private async run(policy: IPolicy<{ signal: AbortSignal }>, call: Call): Promise<unknown> {
    try {
      // A signal of its own per call: without one, every concurrent call hangs its abort listener
      // on the library's one shared signal (and Node warns of a leak past ten of them).
      return await policy.execute(({ signal }) => this.attempt(call, signal), new AbortController().signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        this.observer.call(call.endpoint, 'circuit_open', 0);
        const last = this.breaker.lastFailure;
        const reason = last && 'error' in last && last.error instanceof Error ? `: ${last.error.message}` : '';
        throw new TwsError(
          'TWS_CIRCUIT_OPEN',
          `HWA is failing, calls are paused for up to ${this.options.circuitResetMs} ms${reason}`,
        );
      }
      throw error;
    }
  }

  private async attempt(call: Call, signal: AbortSignal): Promise<unknown> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await this.send(call, signal);
      this.observer.call(call.endpoint, 'ok', seconds());
      return result;
    } catch (raw) {
      const error = this.toTwsError(raw, call, signal);
      this.observer.call(call.endpoint, outcomeOf(error), seconds());
      throw error;
    }
  }

  private async send(call: Call, signal: AbortSignal): Promise<unknown> {
    const url = new URL(`${HWA_API_BASE}${call.path}`, this.endpoint.baseUrl);
    for (const [key, value] of Object.entries(call.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: call.accept === 'json' ? 'application/json' : 'text/plain' };
    if (this.authorization) headers.authorization = this.authorization;
    if (call.query) headers['include-count'] = 'true';
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    const response = await request(url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      dispatcher: this.agent,
      signal,
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw this.httpError(response.statusCode, text, call);
    if (call.accept === 'text') return text;
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new TwsError(
        'TWS_BAD_RESPONSE',
        `HWA answered ${call.subject} with a body that is not JSON (HTTP ${response.statusCode})`,
      );
    }
  }

  private httpError(status: number, body: string, call: Call): TwsError {
    const hwaMessage = extractMessage(body);
    const detail = hwaMessage ? `: ${hwaMessage}` : '';
    if (status === 401)
      return new TwsError(
        'TWS_UNAUTHORIZED',
        'HWA rejected the credentials (401): check TWS_USER/TWS_PASSWORD or TWS_API_KEY',
        status,
      );
    if (status === 403)
      return new TwsError(
        'TWS_FORBIDDEN',
        `HWA refused access to ${call.subject} (403): the TWS user lacks that permission in the HWA security file`,
        status,
      );
    if (status === 404)
      return new TwsError('TWS_NOT_FOUND', `HWA has no ${call.subject} in the current plan${detail}`, status);
    if (status < 500)
      return new TwsError('TWS_REJECTED', `HWA rejected the request on ${call.subject} (${status})${detail}`, status);
    return new TwsError('TWS_UPSTREAM', `HWA failed on ${call.subject} (${status})${detail}`, status);
  }

  private toTwsError(error: unknown, call: Call, signal: AbortSignal): TwsError {
    if (error instanceof TwsError) return error;
    const code = errorCode(error);
    if (signal.aborted || (code && TIMEOUT_CODES.has(code))) {
      return new TwsError(
        'TWS_TIMEOUT',
        `HWA did not answer ${call.subject} within ${this.options.timeoutMs} ms (TWS_TIMEOUT_MS)`,
      );
    }
    if (code && TLS_CODES.test(code)) {
      return new TwsError(
        'TWS_TLS',
        `TLS with HWA at ${this.endpoint.baseUrl} failed (${code}): set TWS_CA_FILE to the master's CA certificate, or check the host name`,
      );
    }
    if (code && UNREACHABLE_CODES.has(code)) {
      return new TwsError(
        'TWS_UNREACHABLE',
        `Cannot reach HWA at ${this.endpoint.baseUrl} (${code}): check TWS_HOST and TWS_PORT and that the master is up`,
      );
    }
    return new TwsError(
      'TWS_UNREACHABLE',
      `Talking to HWA at ${this.endpoint.baseUrl} failed: ${(error as Error)?.message ?? String(error)}`,
    );
  }
}

/** HWA error bodies are JSON with `message` (sometimes `messages`); keep it short and single-line. */
function extractMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; messages?: unknown };
    const message =
      typeof parsed.message === 'string'
        ? parsed.message
        : Array.isArray(parsed.messages)
          ? parsed.messages.join('; ')
          : undefined;
    return message?.replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    return undefined;
  }
}
