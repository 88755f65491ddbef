import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { JobTarget, JobVerb, StreamVerb } from './execute/command-grammar';
import { type ActionResult, ITWSClient, type JobStatus, type JobStreamStatus } from './tws-client.port';
import { TwsStatusService } from './tws-status.service';
import { TwsError } from './tws.errors';

export interface JobActionOutcome {
  job: JobStatus;
  result: ActionResult;
}

/** Keeps the last `lines` lines of a log (a trailing newline does not count as a line). */
export function tailLines(text: string, lines: number): string {
  const all = text.replace(/\n$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

/** Finding plan jobs by id or conman name, reading their logs, and acting on them. */
@Injectable()
export class TwsJobsService {
  constructor(
    @Inject(ITWSClient) private readonly tws: ITWSClient,
    private readonly status: TwsStatusService,
    private readonly config: AppConfig,
  ) {}

  async resolveJob(target: JobTarget): Promise<JobStatus> {
    if (target.kind === 'id') return this.tws.getJob(target.id);
    const name = `${target.workstation}#${target.jobStream}.${target.job}`;
    const matches = await this.tws.getJobsStatus({
      workstation: target.workstation,
      jobStream: target.jobStream,
      name: target.job,
    });
    if (matches.length === 0) throw new TwsError('TWS_NOT_FOUND', `No job ${name} in the current plan`);
    if (matches.length > 1) {
      throw new TwsError(
        'TWS_AMBIGUOUS',
        `${matches.length} jobs in the plan are named ${name}; use one of the plan ids: ${matches.map((m) => m.id).join(', ')}`,
      );
    }
    return matches[0];
  }

  /**
   * A bare job name that only one job in the plan has (as people say "the log of PAY_CALC"), or
   * else a plan id. Names are looked up in the cached plan, so asking costs no HWA call.
   */
  async resolveByIdOrName(token: string): Promise<JobStatus> {
    const name = token.toUpperCase();
    const matches = (await this.status.getJobs()).filter((job) => job.name === name);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      throw new TwsError(
        'TWS_AMBIGUOUS',
        `${matches.length} jobs are named ${name}: ${matches.map((m) => this.label(m)).join(', ')}; name one as WORKSTATION#JOBSTREAM.JOB`,
      );
    }
    try {
      return await this.tws.getJob(token);
    } catch (error) {
      if (error instanceof TwsError && error.code === 'TWS_NOT_FOUND')
        throw new TwsError('TWS_NOT_FOUND', `No job with the id or name ${token} in the current plan`);
      throw error;
    }
  }

  async resolveJobStream(workstation: string, name: string): Promise<JobStreamStatus> {
    const matches = await this.tws.getJobStreamsByName(workstation, name);
    if (matches.length === 0)
      throw new TwsError('TWS_NOT_FOUND', `No job stream ${workstation}#${name} in the current plan`);
    if (matches.length > 1)
      throw new TwsError('TWS_AMBIGUOUS', `${matches.length} job streams in the plan are named ${workstation}#${name}`);
    return matches[0];
  }

  /** The tail of the job's last run log (TWS_LOG_TAIL_LINES lines unless told otherwise). */
  async logTail(job: JobStatus, lines = this.config.tws.logTailLines): Promise<string> {
    if (!job.run_id)
      throw new TwsError('TWS_NOT_FOUND', `The job ${this.label(job)} has not run yet: there is no job log`);
    return tailLines(await this.status.getJobLog(job.run_id), lines);
  }

  async actOnJob(job: JobStatus, verb: Exclude<JobVerb, 'status' | 'log'>): Promise<ActionResult> {
    let result: ActionResult;
    if (verb === 'rerun') {
      if (!job.run_id)
        throw new TwsError('TWS_REJECTED', `The job ${this.label(job)} has not run yet: there is nothing to rerun`);
      result = await this.tws.rerunJob(job.run_id);
    } else {
      result = await this.tws.jobAction(job.id, verb);
    }
    await this.status.invalidate(job.run_id);
    return result;
  }

  async actOnJobStream(stream: JobStreamStatus, verb: StreamVerb): Promise<ActionResult> {
    const result = await this.tws.jobStreamAction(stream.id, verb);
    await this.status.invalidate();
    return result;
  }

  label(job: JobStatus): string {
    return `${job.job_stream_workstation}#${job.job_stream}.${job.name}`;
  }
}
