import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../../auth/caller';
import { DomainError } from '../../common/errors/domain-error';
import { ITWSClient, type JobStatus, type JobStreamStatus } from '../tws-client.port';
import { TwsJobsService } from '../tws-jobs.service';
import { TwsMetrics } from '../tws-metrics';
import { describeTarget, type OperatorCommand, parseCommand } from './command-grammar';
import { type CommandResult, type OperatorAction, OperatorActionRepository } from './operator-action.repository';

/** What an executed command answers: the record, and the job or job stream as HWA shows it afterwards. */
export interface CommandOutcome {
  action: OperatorAction;
  job?: JobStatus;
  jobStream?: JobStreamStatus;
  /** `log <job>`: the tail of the last run's log. */
  log?: string;
}

interface Executed {
  targetId: string;
  message: string;
  job?: JobStatus;
  jobStream?: JobStreamStatus;
  log?: string;
}

/** The command written back in one canonical form: lower-case verb, upper-case names. */
function canonical(command: OperatorCommand): string {
  return command.scope === 'stream'
    ? `${command.verb} stream ${describeTarget(command)}`
    : `${command.verb} ${describeTarget(command)}`;
}

/**
 * Runs the operator command language of POST /api/execute: parse strictly (a rejected command
 * never reaches HWA nor the record), record it, resolve the target in the plan, act through the
 * HWA client, and settle the record with HWA's answer, whether it accepted the command or not.
 */
@Injectable()
export class OperatorCommandService {
  private readonly logger = new Logger(OperatorCommandService.name);

  constructor(
    @Inject(ITWSClient) private readonly tws: ITWSClient,
    private readonly jobs: TwsJobsService,
    private readonly actions: OperatorActionRepository,
    private readonly metrics: TwsMetrics,
  ) {}

  async execute(input: string, caller: Pick<Caller, 'id' | 'via'>): Promise<CommandOutcome> {
    const command = parseCommand(input);
    // Recorded before anything reaches HWA: if the record cannot be written, nothing is done.
    const pending = await this.actions.begin(caller, {
      command: canonical(command),
      verb: command.verb,
      scope: command.scope,
      target: describeTarget(command),
    });
    let targetId: string | null = null;
    try {
      const executed = await this.run(command, (id) => (targetId = id));
      const action = await this.settle(pending, {
        targetId: executed.targetId,
        outcome: 'ok',
        message: executed.message,
        errorCode: null,
      });
      this.metrics.action(command.verb, 'ok');
      this.logger.log(`${caller.id} ran "${pending.command}" on ${executed.targetId}: ${executed.message}`);
      return { action, job: executed.job, jobStream: executed.jobStream, log: executed.log };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const errorCode = error instanceof DomainError ? error.code : 'INTERNAL';
      await this.settle(pending, { targetId, outcome: 'error', message, errorCode });
      this.metrics.action(command.verb, 'error');
      this.logger.warn(`${caller.id} ran "${pending.command}": ${errorCode} ${message}`);
      throw error;
    }
  }

  /**
   * The operator must see HWA's answer even if its result cannot be written: the command stays
   * recorded as pending, and the failure is logged.
   */
  private settle(pending: OperatorAction, result: CommandResult): Promise<OperatorAction> {
    return this.actions.settle(pending.id, result).catch((error: unknown) => {
      this.logger.error(
        `Could not record the result of "${pending.command}" (${pending.id}) of ${pending.callerId}: ${(error as Error).message}`,
      );
      return { ...pending, ...result };
    });
  }

  private async run(command: OperatorCommand, resolved: (id: string) => void): Promise<Executed> {
    if (command.scope === 'stream') {
      const stream = await this.jobs.resolveJobStream(command.workstation, command.jobStream);
      resolved(stream.id);
      const result = await this.jobs.actOnJobStream(stream, command.verb);
      const after = await this.afterwards(
        async () => (await this.tws.getJobStreamsByName(stream.workstation, stream.name))[0] ?? stream,
        stream,
      );
      return { targetId: stream.id, message: result.message, jobStream: after };
    }
    const job = await this.jobs.resolveJob(command.target);
    resolved(job.id);
    const label = this.jobs.label(job);
    switch (command.verb) {
      case 'status':
        return { targetId: job.id, message: `${label} is ${job.status}`, job };
      case 'log':
        return {
          targetId: job.id,
          message: `last lines of the log of run ${job.run_id ?? '-'}`,
          job,
          log: await this.jobs.logTail(job),
        };
      default: {
        const result = await this.jobs.actOnJob(job, command.verb);
        return {
          targetId: job.id,
          message: result.message,
          job: await this.afterwards(() => this.tws.getJob(job.id), job),
        };
      }
    }
  }

  /** The object as HWA shows it after the action; the action is done even if that read fails. */
  private async afterwards<T>(read: () => Promise<T>, before: T): Promise<T> {
    try {
      return await read();
    } catch (error) {
      this.logger.warn(`Could not read the plan back after an action: ${(error as Error).message}`);
      return before;
    }
  }
}
