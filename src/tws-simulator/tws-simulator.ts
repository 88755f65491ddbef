import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { HWA_API_BASE } from '../tws/hwa-wire';
import { engineInfo, jobStreamView, jobView, workstationView } from './hwa-views';
import { applyOql, OqlError, parseOql } from './oql';
import { type ActionOutcome, SimulatedPlan } from './simulated-plan';

export interface SimulatorOptions {
  seed?: number;
  clock?: () => number;
  stepMs?: number;
  jobs?: number;
  /** Basic credentials it accepts; with `apiKey`, either is enough. Neither: no authentication. */
  user?: string;
  password?: string;
  apiKey?: string;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string; cert: string };
}

/** How the simulator misbehaves, for fault tests: HTTP 500, slow answers, or refused connections. */
export type SimulatorFault =
  { mode: 'none' } | { mode: 'error'; status?: number } | { mode: 'slow'; delayMs: number } | { mode: 'refuse' };

const DEFAULT_PAGE = 10_000;
const MAX_DEPTH = 50;
/** `/plan/job/{job_id}`, but not the collection's own sub-resources. */
const JOB_ID = /^\/plan\/job\/(?!count$|issues$|joblog$)([^/]+)$/;
/** What `grouping_filters` of `/count` may name, and where each is read in a plan object. */
const GROUPING_FIELDS: Record<string, (item: Record<string, unknown>) => string | undefined> = {
  workstation: (item) => item.workstation as string | undefined,
  status: (item) =>
    (item.lastRunCompositeStatus as { status?: string } | undefined)?.status ??
    (item.compositeStatus as { status?: string } | undefined)?.status,
  folder: (item) => item.folder as string | undefined,
};
const MAX_PAGE = 10_000;

interface Route {
  method: string;
  pattern: RegExp;
  name: string;
  handle(req: IncomingMessage, url: URL, params: string[]): Promise<Reply> | Reply;
}

interface Reply {
  status: number;
  body: unknown;
  text?: boolean;
}

const json = (status: number, body: unknown): Reply => ({ status, body });
const notFound = (what: string) => json(404, { message: `AWSJPL404E The ${what} was not found in the current plan.` });

/**
 * An HWA REST API V2 server over a living simulated plan: the paths, shapes, paging, auth and
 * errors of the real master, for the embedded mode (`npm start`) and for tests.
 */
export class TwsSimulator {
  readonly plan: SimulatedPlan;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private fault: SimulatorFault = { mode: 'none' };
  private port = 0;
  private host = '127.0.0.1';
  private readonly counts = new Map<string, number>();
  private readonly routes: Route[];

  constructor(private readonly options: SimulatorOptions = {}) {
    this.plan = new SimulatedPlan({
      seed: options.seed ?? 42,
      clock: options.clock ?? Date.now,
      stepMs: options.stepMs ?? 5_000,
      jobs: options.jobs ?? 36,
    });
    this.routes = this.buildRoutes();
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://${this.host}:${this.port}`;
  }

  /** Requests served per route name (e.g. `jobs.list`), for tests and benches. */
  requestCount(name?: string): number {
    if (name) return this.counts.get(name) ?? 0;
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  resetCounts(): void {
    this.counts.clear();
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    this.host = host;
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res);
    this.server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createHttpServer(handler);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Switches misbehaviour on or off. `refuse` closes the listener (connections are refused) until another mode. */
  async setFault(fault: SimulatorFault): Promise<void> {
    const wasRefusing = this.fault.mode === 'refuse';
    this.fault = fault;
    if (fault.mode === 'refuse' && !wasRefusing) await this.stop();
    if (fault.mode !== 'refuse' && wasRefusing) await this.start(this.port, this.host);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    try {
      const reply = await this.dispatch(req, url);
      const body = reply.text ? String(reply.body) : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'content-type': reply.text ? 'text/plain; charset=utf-8' : 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `AWSJPL500E Internal error: ${(error as Error).message}` }));
    }
  }

  private async dispatch(req: IncomingMessage, url: URL): Promise<Reply> {
    if (this.fault.mode === 'slow')
      await new Promise((resolve) => setTimeout(resolve, (this.fault as { delayMs: number }).delayMs));
    if (this.fault.mode === 'error')
      return json(this.fault.status ?? 500, { message: 'AWSJPL500E The engine is not available (simulated fault).' });
    if (!this.authorized(req))
      return json(401, { message: 'AWSJPL401E Not Authorized: the credentials are missing or not valid.' });
    const path = url.pathname.startsWith(HWA_API_BASE) ? url.pathname.slice(HWA_API_BASE.length) : undefined;
    if (path === undefined) return json(404, { message: `No resource at ${url.pathname}` });
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.method !== req.method) continue;
      this.counts.set(route.name, (this.counts.get(route.name) ?? 0) + 1);
      if (req.method === 'PUT') {
        const body = await readBody(req);
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
          return json(415, { message: 'Unsupported Media Type: send a JSON body with Content-Type: application/json' });
        if (body.trim() !== '') {
          try {
            JSON.parse(body);
          } catch {
            return json(400, { message: 'The request body is not valid JSON.' });
          }
        }
      }
      this.plan.sync();
      return route.handle(req, url, match.slice(1).map(decodeURIComponent));
    }
    return json(404, { message: `No resource at ${url.pathname}` });
  }

  private authorized(req: IncomingMessage): boolean {
    const { user, password, apiKey } = this.options;
    if (user === undefined && apiKey === undefined) return true;
    const header = req.headers.authorization ?? '';
    if (apiKey !== undefined && header.startsWith('Bearer ')) return same(header.slice(7), apiKey);
    if (user !== undefined && header.startsWith('Basic '))
      return same(Buffer.from(header.slice(6), 'base64').toString('utf8'), `${user}:${password ?? ''}`);
    return false;
  }

  /** One page of a plan list; without a filter or order only the page is rendered, so paging a large plan stays linear. */
  private list<T>(url: URL, items: readonly T[], view: (item: T) => Record<string, unknown>): Reply {
    let query;
    try {
      query = parseOql(url.searchParams.get('oql'));
    } catch (error) {
      if (error instanceof OqlError)
        return json(400, { message: `AWSJPL400E The OQL filter is not valid: ${error.message}` });
      throw error;
    }
    const limit = intParam(url, 'limit', DEFAULT_PAGE);
    const offset = intParam(url, 'offset', 0);
    if (limit === undefined || offset === undefined || limit < 1 || limit > MAX_PAGE || offset < 0) {
      return json(400, { message: `AWSJPL400E limit must be 1..${MAX_PAGE} and offset 0 or more.` });
    }
    const plain = query.filters.length === 0 && !query.orderBy;
    const selected = plain ? items : applyOql(items.map(view), query);
    const page = plain ? items.slice(offset, offset + limit).map(view) : selected.slice(offset, offset + limit);
    const link = (at: number) => {
      const next = new URL(url.toString());
      next.searchParams.set('offset', String(at));
      next.searchParams.set('limit', String(limit));
      return `${this.url}${next.pathname}${next.search}`;
    };
    // HCL types `next` and `previous` as strings: at either end of the list they are left out, never null.
    return json(200, {
      count: selected.length,
      results: page,
      ...(offset + limit < selected.length && { next: link(offset + limit) }),
      ...(offset > 0 && { previous: link(Math.max(0, offset - limit)) }),
    });
  }

  /** GroupedCountResponse: how many objects, and how many per `grouping_filters` value (joined by commas). */
  private count<T>(url: URL, items: readonly T[], view: (item: T) => Record<string, unknown>): Reply {
    const fields = (url.searchParams.get('grouping_filters') ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const unknown = fields.filter((f) => !(f in GROUPING_FIELDS));
    if (unknown.length > 0)
      return json(400, {
        message: `AWSJPL400E grouping_filters can name ${Object.keys(GROUPING_FIELDS).join(', ')}; not ${unknown.join(', ')}.`,
      });
    if (fields.length === 0) return json(200, { count: items.length });
    const groupedCount: Record<string, number> = {};
    for (const item of items) {
      const shown = view(item);
      const key = fields.map((f) => GROUPING_FIELDS[f](shown) ?? '').join(',');
      groupedCount[key] = (groupedCount[key] ?? 0) + 1;
    }
    return json(200, { count: items.length, groupedCount });
  }

  /** IssuesResponseV2: the jobs (OQL-filtered) that need an operator — ended in error, or late on the critical path. */
  private issues(url: URL): Reply {
    let query;
    try {
      query = parseOql(url.searchParams.get('oql'));
    } catch (error) {
      if (error instanceof OqlError)
        return json(400, { message: `AWSJPL400E The OQL filter is not valid: ${error.message}` });
      throw error;
    }
    const plan = this.plan;
    const views = new Map(plan.jobs.map((j) => [jobView(plan, j), j]));
    const selected = applyOql([...views.keys()], query);
    const issues = selected.flatMap((shown) => {
      const job = views.get(shown)!;
      const found: Array<{ id: string; issueMessage: string; issueType: string }> = [];
      if (job.state === 'ABEND') {
        const rc = plan.lastRun(job)?.returnCode;
        found.push({
          id: job.id,
          issueType: 'ABEND',
          issueMessage: `The job ${plan.key(job)} ended in error (return code ${rc ?? 'unknown'}).`,
        });
      }
      if ((shown.jobStatusFlags as { jobLate?: boolean }).jobLate)
        found.push({
          id: job.id,
          issueType: 'LATE',
          issueMessage: `The critical job ${plan.key(job)} has not started by its critical start.`,
        });
      if ((job.state === 'READY' || job.state === 'EXEC') && !job.workstation.linked)
        found.push({
          id: job.id,
          issueType: 'WORKSTATION_UNLINKED',
          issueMessage: `The workstation ${job.workstation.name} of ${plan.key(job)} is not linked.`,
        });
      return found;
    });
    return json(200, { issues });
  }

  private act(outcome: ActionOutcome, url: URL): Reply {
    if (!outcome.ok) return json(outcome.status, { message: outcome.message });
    return json(200, { id: outcome.id, url: `${this.url}${url.pathname}`, message: outcome.message });
  }

  private buildRoutes(): Route[] {
    const plan = this.plan;
    const job = (id: string) => plan.job(id);
    const stream = (id: string) => plan.stream(id);
    const jobAction = (name: 'hold' | 'release' | 'kill' | 'cancel') => ({
      method: 'PUT',
      pattern: new RegExp(`^/plan/job/([^/]+)/action/${name}$`),
      name: `job.${name}`,
      handle: (_req: IncomingMessage, url: URL, [id]: string[]) => {
        const target = job(id);
        if (!target) return notFound(`job ${id}`);
        const outcome = {
          hold: () => plan.holdJob(target),
          release: () => plan.releaseJob(target),
          kill: () => plan.killJob(target),
          cancel: () => plan.cancelJob(target),
        }[name]();
        return this.act(outcome, url);
      },
    });
    const streamAction = (name: 'hold' | 'release' | 'cancel') => ({
      method: 'PUT',
      pattern: new RegExp(`^/plan/jobstream/([^/]+)/action/${name}$`),
      name: `jobstream.${name}`,
      handle: (_req: IncomingMessage, url: URL, [id]: string[]) => {
        const target = stream(id);
        if (!target) return notFound(`job stream ${id}`);
        const outcome = {
          hold: () => plan.holdStream(target),
          release: () => plan.releaseStream(target),
          cancel: () => plan.cancelStream(target),
        }[name]();
        return this.act(outcome, url);
      },
    });
    const linkAction = (name: 'link' | 'unlink') => ({
      method: 'PUT',
      pattern: new RegExp(`^/plan/workstation/([^/]+)/action/${name}$`),
      name: `workstation.${name}`,
      handle: (_req: IncomingMessage, url: URL, [id]: string[]) => {
        const ws = plan.workstation(id);
        return ws ? this.act(plan.setLinked(ws, name === 'link'), url) : notFound(`workstation ${id}`);
      },
    });
    const dependencies = (direction: 'predecessors' | 'successors'): Route => ({
      method: 'GET',
      pattern: new RegExp(`^/plan/job/([^/]+)/${direction}$`),
      name: `job.${direction}`,
      handle: (_req, url, [id]) => {
        const target = job(id);
        if (!target) return notFound(`job ${id}`);
        const depth = intParam(url, 'depth', 1);
        if (depth === undefined || depth < 1 || depth > MAX_DEPTH)
          return json(400, { message: `AWSJPL400E depth must be a whole number from 1 to ${MAX_DEPTH}.` });
        const found = direction === 'predecessors' ? plan.predecessors(target, depth) : plan.successors(target, depth);
        const results = [...found.jobs.map((j) => jobView(plan, j)), ...found.streams.map(jobStreamView)];
        return json(200, { count: results.length, results });
      },
    });
    return [
      { method: 'GET', pattern: /^\/engine\/info$/, name: 'engine.info', handle: () => json(200, engineInfo()) },
      {
        method: 'GET',
        pattern: /^\/plan\/workstation$/,
        name: 'workstations.list',
        handle: (_r, url) => this.list(url, plan.workstations, workstationView),
      },
      {
        method: 'GET',
        pattern: /^\/plan\/workstation\/([^/]+)$/,
        name: 'workstation.get',
        handle: (_r, _u, [id]) => {
          const ws = plan.workstation(id);
          return ws ? json(200, workstationView(ws)) : notFound(`workstation ${id}`);
        },
      },
      {
        method: 'GET',
        pattern: /^\/plan\/workstation\/([^/]+)\/action\/health-status$/,
        name: 'workstation.health',
        handle: (_r, url, [id]) => {
          const ws = plan.workstation(id);
          if (!ws) return notFound(`workstation ${id}`);
          return json(200, { id: ws.id, url: `${this.url}${url.pathname}` });
        },
      },
      linkAction('link'),
      linkAction('unlink'),
      {
        method: 'GET',
        pattern: /^\/plan\/job$/,
        name: 'jobs.list',
        handle: (_r, url) => this.list(url, plan.jobs, (j) => jobView(plan, j)),
      },
      {
        method: 'GET',
        pattern: /^\/plan\/job\/count$/,
        name: 'jobs.count',
        handle: (_r, url) => this.count(url, plan.jobs, (j) => jobView(plan, j)),
      },
      {
        method: 'GET',
        pattern: /^\/plan\/job\/issues$/,
        name: 'jobs.issues',
        handle: (_r, url) => this.issues(url),
      },
      {
        method: 'GET',
        pattern: /^\/plan\/job\/run\/([^/]+)\/joblog$/,
        name: 'job.log',
        handle: (_r, _u, [runId]) => {
          const found = plan.run(runId);
          return found
            ? { status: 200, body: plan.jobLog(found.job, found.run), text: true }
            : notFound(`job run ${runId}`);
        },
      },
      {
        method: 'PUT',
        pattern: /^\/plan\/job\/run\/([^/]+)\/action\/rerun$/,
        name: 'job.rerun',
        handle: (_r, url, [runId]) => {
          const found = plan.run(runId);
          return found ? this.act(plan.rerunJob(found.job, found.run), url) : notFound(`job run ${runId}`);
        },
      },
      dependencies('predecessors'),
      dependencies('successors'),
      {
        method: 'GET',
        pattern: JOB_ID,
        name: 'job.get',
        handle: (_r, _u, [id]) => {
          const target = job(id);
          return target ? json(200, jobView(plan, target)) : notFound(`job ${id}`);
        },
      },
      jobAction('hold'),
      jobAction('release'),
      jobAction('kill'),
      jobAction('cancel'),
      {
        method: 'GET',
        pattern: /^\/plan\/jobstream$/,
        name: 'jobstreams.list',
        handle: (_r, url) => this.list(url, plan.streams, jobStreamView),
      },
      {
        method: 'GET',
        pattern: /^\/plan\/jobstream\/count$/,
        name: 'jobstreams.count',
        handle: (_r, url) => this.count(url, plan.streams, jobStreamView),
      },
      {
        method: 'GET',
        pattern: /^\/plan\/jobstream\/(?!count$)([^/]+)$/,
        name: 'jobstream.get',
        handle: (_r, _u, [id]) => {
          const target = stream(id);
          return target ? json(200, jobStreamView(target)) : notFound(`job stream ${id}`);
        },
      },
      streamAction('hold'),
      streamAction('release'),
      streamAction('cancel'),
    ];
  }
}

function intParam(url: URL, name: string, fallback: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
