import {
  DEFAULT_ABEND_RATE,
  FAILURES,
  type FailureStory,
  generatedName,
  STREAMS,
  type StreamSeed,
  WORKSTATIONS,
} from './plan-catalog';
import { Prng } from './prng';

export type JobState = 'HOLD' | 'READY' | 'EXEC' | 'SUCC' | 'ABEND' | 'CANCL';

export interface SimWorkstation {
  id: string;
  name: string;
  type: string;
  os: string;
  linked: boolean;
  /** Steps until an unlinked workstation links again on its own (0: only by an operator). */
  downSteps: number;
}

export interface SimRun {
  id: string;
  jobNumber: number;
  state: JobState;
  returnCode?: number;
  submittedAt: number;
  startedAt?: number;
  endedAt?: number;
  rerun: boolean;
  attempt: number;
  failure?: FailureStory;
}

export interface SimJob {
  id: string;
  name: string;
  stream: SimStream;
  workstation: SimWorkstation;
  position: number;
  critical: boolean;
  abendRate: number;
  state: JobState;
  /** Held by an operator (or its stream): stays HOLD until released. */
  held: boolean;
  runs: SimRun[];
  /** Jobs it waits for (any stream): each must end SUCC (or be cancelled) before it may start. */
  follows: SimJob[];
  /** Job streams it waits for as a whole: every job of each must be done. */
  followsStreams: SimStream[];
  /** Latest start that keeps the critical path on time. */
  criticalStart?: number;
}

export interface SimStream {
  id: string;
  name: string;
  workstation: SimWorkstation;
  schedTime: number;
  held: boolean;
  jobs: SimJob[];
}

export interface PlanOptions {
  seed: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  clock: () => number;
  stepMs: number;
  jobs: number;
}

/** Outcome of an action: HWA answers 200 with a resource, 400 with a message, or 404. */
export type ActionOutcome =
  { ok: true; id: string; message: string } | { ok: false; status: 400 | 404; message: string };

const WARMUP_STEPS = 24;
const DAY_STEPS = 180;
const START_CHANCE = 0.35;
const FINISH_CHANCE = 0.25;
const UNLINK_CHANCE = 0.01;
const CROSS_STREAM_EVERY = 3;
const NOT_STARTED: ReadonlySet<JobState> = new Set(['HOLD', 'READY']);
const TERMINAL: ReadonlySet<JobState> = new Set(['SUCC', 'ABEND', 'CANCL']);
/** A predecessor in these states releases its successors; ABEND (or a kill) keeps them waiting. */
const RELEASES: ReadonlySet<JobState> = new Set(['SUCC', 'CANCL']);

/** What one dependency step away from a job is: jobs, and job streams waited for as a whole. */
export interface SimDependencies {
  jobs: SimJob[];
  streams: SimStream[];
}

/**
 * A living HWA plan: jobs wait for their predecessor, start when their workstation is linked, run,
 * succeed or ABEND; workstations unlink now and then; every DAY_STEPS a new production day starts.
 * Time moves in steps of `stepMs` on the injected clock, and every random choice comes from the
 * seeded PRNG, so a seed and a clock reading always give the same plan.
 */
export class SimulatedPlan {
  readonly workstations: SimWorkstation[] = [];
  readonly streams: SimStream[] = [];
  readonly jobs: SimJob[] = [];
  private readonly prng: Prng;
  private readonly startMs: number;
  private step = 0;
  private nextJobNumber = 1000;
  private readonly jobsById = new Map<string, SimJob>();
  private readonly runsById = new Map<string, { job: SimJob; run: SimRun }>();
  private readonly successorsOf = new Map<SimJob, SimJob[]>();

  constructor(private readonly options: PlanOptions) {
    this.prng = new Prng(options.seed);
    this.startMs = options.clock() - WARMUP_STEPS * options.stepMs;
    this.build();
    this.advanceTo(WARMUP_STEPS);
  }

  /** Simulated time of the current step. */
  get now(): number {
    return this.startMs + this.step * this.options.stepMs;
  }

  /** Brings the plan up to the clock; call before every read or action. */
  sync(): void {
    const target = Math.floor((this.options.clock() - this.startMs) / this.options.stepMs);
    // A clock that jumped far ahead replays at most two days; the plan is cyclic anyway.
    if (target - this.step > 2 * DAY_STEPS) this.step = target - 2 * DAY_STEPS;
    this.advanceTo(target);
  }

  job(id: string): SimJob | undefined {
    return this.jobsById.get(id);
  }

  run(id: string): { job: SimJob; run: SimRun } | undefined {
    return this.runsById.get(id);
  }

  stream(id: string): SimStream | undefined {
    return this.streams.find((s) => s.id === id);
  }

  workstation(id: string): SimWorkstation | undefined {
    return this.workstations.find((w) => w.id === id);
  }

  /** What the job waits for, up to `depth` steps back (nearest first, each once). */
  predecessors(job: SimJob, depth = 1): SimDependencies {
    return this.walk(
      job,
      depth,
      (j) => j.follows,
      (j) => j.followsStreams,
    );
  }

  /** What waits for the job, up to `depth` steps ahead (nearest first, each once). */
  successors(job: SimJob, depth = 1): SimDependencies {
    return this.walk(
      job,
      depth,
      (j) => this.successorsOf.get(j) ?? [],
      () => [],
    );
  }

  /** Whether everything the job waits for is done (SUCC or cancelled). */
  dependenciesMet(job: SimJob): boolean {
    return (
      job.follows.every((p) => RELEASES.has(p.state)) &&
      job.followsStreams.every((s) => s.jobs.every((p) => RELEASES.has(p.state)))
    );
  }

  lastRun(job: SimJob): SimRun | undefined {
    return job.runs[job.runs.length - 1];
  }

  holdJob(job: SimJob): ActionOutcome {
    if (!NOT_STARTED.has(job.state))
      return this.refuse(`AWSJPL506E The job ${this.key(job)} cannot be held: it is in the ${job.state} state.`);
    job.held = true;
    job.state = 'HOLD';
    return this.done(job.id, `The job ${this.key(job)} has been put on hold.`);
  }

  releaseJob(job: SimJob): ActionOutcome {
    if (!job.held) return this.refuse(`AWSJPL507E The job ${this.key(job)} is not held.`);
    job.held = false;
    return this.done(job.id, `The job ${this.key(job)} has been released.`);
  }

  killJob(job: SimJob): ActionOutcome {
    const run = this.lastRun(job);
    if (job.state !== 'EXEC' || !run)
      return this.refuse(`AWSJPL508E The job ${this.key(job)} cannot be killed: it is not running (${job.state}).`);
    this.finish(job, run, 'ABEND', { returnCode: -1, lines: ['Job killed by operator request (conman kill).'] });
    return this.done(job.id, `The job ${this.key(job)} has been killed.`);
  }

  cancelJob(job: SimJob): ActionOutcome {
    if (job.state === 'EXEC')
      return this.refuse(`AWSJPL509E The job ${this.key(job)} is running: kill it before cancelling.`);
    if (job.state === 'SUCC' || job.state === 'CANCL')
      return this.refuse(`AWSJPL510E The job ${this.key(job)} has already ended (${job.state}).`);
    job.state = 'CANCL';
    job.held = false;
    return this.done(job.id, `The job ${this.key(job)} has been canceled.`);
  }

  rerunJob(job: SimJob, run: SimRun): ActionOutcome {
    if (run !== this.lastRun(job)) return this.refuse(`AWSJPL511E Only the last run of ${this.key(job)} can be rerun.`);
    if (!TERMINAL.has(job.state))
      return this.refuse(`AWSJPL512E The job ${this.key(job)} cannot be rerun: it is in the ${job.state} state.`);
    const next = this.newRun(job, true);
    next.state = 'READY';
    job.state = 'READY';
    job.held = false;
    return this.done(next.id, `A new run of ${this.key(job)} has been submitted.`);
  }

  holdStream(stream: SimStream): ActionOutcome {
    stream.held = true;
    for (const job of stream.jobs) if (NOT_STARTED.has(job.state)) job.state = 'HOLD';
    return this.done(stream.id, `The job stream ${stream.workstation.name}#${stream.name} has been put on hold.`);
  }

  releaseStream(stream: SimStream): ActionOutcome {
    if (!stream.held)
      return this.refuse(`AWSJPL513E The job stream ${stream.workstation.name}#${stream.name} is not held.`);
    stream.held = false;
    return this.done(stream.id, `The job stream ${stream.workstation.name}#${stream.name} has been released.`);
  }

  cancelStream(stream: SimStream): ActionOutcome {
    for (const job of stream.jobs) if (NOT_STARTED.has(job.state) || job.state === 'ABEND') job.state = 'CANCL';
    return this.done(stream.id, `The job stream ${stream.workstation.name}#${stream.name} has been canceled.`);
  }

  setLinked(ws: SimWorkstation, linked: boolean): ActionOutcome {
    ws.linked = linked;
    ws.downSteps = 0;
    return this.done(ws.id, `The workstation ${ws.name} has been ${linked ? 'linked' : 'unlinked'}.`);
  }

  key(job: SimJob): string {
    return `${job.stream.workstation.name}#${job.stream.name}.${job.name}`;
  }

  /** The job log of a run, as HWA prints it (header, output, footer). */
  jobLog(job: SimJob, run: SimRun): string {
    const stamp = (ms: number) => new Date(ms).toISOString();
    const started = run.startedAt ?? this.now;
    const output = [`Starting ${job.name} on ${job.workstation.name} (attempt ${run.attempt})`];
    for (let i = 1; i <= 6; i++)
      output.push(`${stamp(started + i * 1000)} step ${i}/6 of ${job.name.toLowerCase()} ok`);
    if (run.state === 'EXEC') output.push(`${stamp(this.now)} still running`);
    if (run.failure) output.push(...run.failure.lines);
    if (run.state === 'SUCC') output.push(`${job.name} completed successfully`);
    const lines = [
      '===============================================================',
      `= JOB       : ${this.key(job)}`,
      `= USER      : twsuser`,
      `= JCLFILE   : /opt/hwa/scripts/${job.name.toLowerCase()}.sh`,
      `= Job Number: ${run.jobNumber}`,
      `= ${stamp(started)}`,
      '===============================================================',
      ...output,
    ];
    if (run.endedAt !== undefined) {
      lines.push(
        '===============================================================',
        `= Exit Status           : ${run.returnCode ?? 0}`,
        `= Elapsed Time (Minutes) : ${Math.max(1, Math.round((run.endedAt - started) / 60_000))}`,
        `= ${stamp(run.endedAt)}`,
        '===============================================================',
      );
    }
    return `${lines.join('\n')}\n`;
  }

  private walk(
    start: SimJob,
    depth: number,
    jobsOf: (job: SimJob) => SimJob[],
    streamsOf: (job: SimJob) => SimStream[],
  ): SimDependencies {
    const found: SimDependencies = { jobs: [], streams: [] };
    const seen = new Set<SimJob>([start]);
    let frontier = [start];
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const next: SimJob[] = [];
      for (const job of frontier) {
        for (const other of jobsOf(job)) {
          if (seen.has(other)) continue;
          seen.add(other);
          found.jobs.push(other);
          next.push(other);
        }
        for (const stream of streamsOf(job)) if (!found.streams.includes(stream)) found.streams.push(stream);
      }
      frontier = next;
    }
    return found;
  }

  private refuse(message: string): ActionOutcome {
    return { ok: false, status: 400, message };
  }

  private done(id: string, message: string): ActionOutcome {
    return { ok: true, id, message };
  }

  private build(): void {
    for (const seed of WORKSTATIONS) {
      this.workstations.push({
        id: this.prng.id(),
        name: seed.name,
        type: seed.type,
        os: seed.os,
        linked: true,
        downSteps: 0,
      });
    }
    const byName = new Map(this.workstations.map((w) => [w.name, w]));
    const seeds = this.streamSeeds();
    for (const seed of seeds) {
      const stream: SimStream = {
        id: this.prng.id(),
        name: seed.name,
        workstation: byName.get(seed.workstation)!,
        schedTime: this.startMs,
        held: false,
        jobs: [],
      };
      seed.jobs.forEach((spec, position) => {
        const job: SimJob = {
          id: this.prng.id(),
          name: spec.name,
          stream,
          workstation: byName.get(spec.workstation)!,
          position: position + 1,
          critical: spec.critical === true,
          abendRate: spec.abendRate ?? DEFAULT_ABEND_RATE,
          state: 'HOLD',
          held: false,
          runs: [],
          follows: [],
          followsStreams: [],
        };
        if (job.critical) job.criticalStart = this.startMs + (position + 2) * 4 * this.options.stepMs;
        stream.jobs.push(job);
        this.jobs.push(job);
        this.jobsById.set(job.id, job);
      });
      this.streams.push(stream);
    }
    this.link(seeds);
  }

  /** Resolves each job's `follows` (references outside a small plan are dropped). */
  private link(seeds: StreamSeed[]): void {
    const streams = new Map(this.streams.map((s) => [s.name, s]));
    const jobIn = (stream: SimStream | undefined, name: string) => stream?.jobs.find((j) => j.name === name);
    seeds.forEach((seed, s) => {
      const stream = this.streams[s];
      seed.jobs.forEach((spec, position) => {
        const job = stream.jobs[position];
        const refs = spec.follows ?? (position > 0 ? [seed.jobs[position - 1].name] : []);
        for (const ref of refs) {
          const [first, second] = ref.split('.');
          const other = second === undefined ? jobIn(stream, first) : jobIn(streams.get(first), second);
          if (other) job.follows.push(other);
          else if (second === undefined && streams.has(first)) job.followsStreams.push(streams.get(first)!);
        }
        for (const predecessor of job.follows) {
          const list = this.successorsOf.get(predecessor) ?? [];
          list.push(job);
          this.successorsOf.set(predecessor, list);
        }
      });
    });
  }

  /** The catalogue for the default size; generated streams of six jobs beyond it. */
  private streamSeeds(): StreamSeed[] {
    const wanted = this.options.jobs;
    const seeds: StreamSeed[] = [];
    let count = 0;
    for (const seed of STREAMS) {
      if (count >= wanted) break;
      const jobs = seed.jobs.slice(0, wanted - count);
      seeds.push({ ...seed, jobs });
      count += jobs.length;
    }
    const agents = WORKSTATIONS.filter((w) => w.type !== 'MANAGER').map((w) => w.name);
    for (let s = 0; count < wanted; s++) {
      const size = Math.min(6, wanted - count);
      const jobs: StreamSeed['jobs'] = Array.from({ length: size }, (_, j) => ({
        name: generatedName(`J${j + 1}_`, s),
        workstation: agents[(s + j) % agents.length],
      }));
      // Every third generated stream also waits for a job of the one before it.
      if (s % CROSS_STREAM_EVERY === 1)
        jobs[0].follows = [`${generatedName('GEN', s - 1)}.${generatedName('J3_', s - 1)}`];
      seeds.push({ name: generatedName('GEN', s), workstation: agents[s % agents.length], jobs });
      count += size;
    }
    return seeds;
  }

  private advanceTo(target: number): void {
    while (this.step < target) {
      this.step++;
      if (this.step % DAY_STEPS === 0) this.newDay();
      else this.tick();
    }
  }

  private tick(): void {
    for (const ws of this.workstations) {
      if (ws.type === 'MANAGER') continue;
      if (ws.linked && this.prng.chance(UNLINK_CHANCE)) {
        ws.linked = false;
        ws.downSteps = this.prng.int(3, 12);
      } else if (!ws.linked && ws.downSteps > 0 && --ws.downSteps === 0) ws.linked = true;
    }
    for (const stream of this.streams)
      for (const job of stream.jobs) this.tickJob(job, !stream.held && this.dependenciesMet(job));
  }

  private tickJob(job: SimJob, mayStart: boolean): void {
    switch (job.state) {
      case 'HOLD':
        if (mayStart && !job.held) job.state = 'READY';
        break;
      case 'READY':
        if (job.held || !mayStart) job.state = 'HOLD';
        else if (job.workstation.linked && this.prng.chance(START_CHANCE)) this.start(job);
        break;
      case 'EXEC': {
        const run = this.lastRun(job)!;
        if (job.workstation.linked && this.prng.chance(FINISH_CHANCE)) {
          if (this.prng.chance(job.abendRate)) this.finish(job, run, 'ABEND', this.prng.pick(FAILURES));
          else this.finish(job, run, 'SUCC');
        }
        break;
      }
      default:
        break;
    }
  }

  private start(job: SimJob): void {
    const pending = this.lastRun(job);
    const run = pending && pending.state === 'READY' ? pending : this.newRun(job, false);
    run.state = 'EXEC';
    run.startedAt = this.now;
    job.state = 'EXEC';
  }

  private newRun(job: SimJob, rerun: boolean): SimRun {
    const run: SimRun = {
      id: this.prng.id(),
      jobNumber: this.nextJobNumber++,
      state: 'READY',
      submittedAt: this.now,
      rerun,
      attempt: job.runs.length + 1,
    };
    job.runs.push(run);
    this.runsById.set(run.id, { job, run });
    return run;
  }

  private finish(job: SimJob, run: SimRun, state: 'SUCC' | 'ABEND', failure?: FailureStory): void {
    run.state = state;
    run.endedAt = this.now;
    run.returnCode = failure?.returnCode ?? 0;
    run.failure = failure;
    job.state = state;
  }

  /** A new production day: every job back to HOLD with no runs, streams scheduled anew. */
  private newDay(): void {
    for (const stream of this.streams) {
      stream.schedTime = this.now;
      stream.held = false;
      for (const job of stream.jobs) {
        for (const run of job.runs) this.runsById.delete(run.id);
        job.runs = [];
        job.state = 'HOLD';
        job.held = false;
        if (job.critical) job.criticalStart = this.now + (job.position + 1) * 4 * this.options.stepMs;
      }
    }
  }
}
