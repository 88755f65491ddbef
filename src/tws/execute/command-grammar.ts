import { DomainError } from '../../common/errors/domain-error';

export const JOB_VERBS = ['rerun', 'hold', 'release', 'kill', 'cancel', 'status', 'log'] as const;
export const STREAM_VERBS = ['hold', 'release', 'cancel'] as const;
export type JobVerb = (typeof JOB_VERBS)[number];
export type StreamVerb = (typeof STREAM_VERBS)[number];

/** A job by plan id, or by its conman name WORKSTATION#JOBSTREAM.JOB. */
export type JobTarget =
  { kind: 'id'; id: string } | { kind: 'name'; workstation: string; jobStream: string; job: string };

export type OperatorCommand =
  | { scope: 'job'; verb: JobVerb; target: JobTarget }
  | { scope: 'stream'; verb: StreamVerb; workstation: string; jobStream: string };

export const COMMAND_MAX_LENGTH = 200;

export const COMMAND_GRAMMAR =
  '<verb> <job> | <hold|release|cancel> stream <WORKSTATION#JOBSTREAM>, where <verb> is one of ' +
  `${JOB_VERBS.join(', ')} and <job> is a plan id or WORKSTATION#JOBSTREAM.JOB ` +
  '(names: letters, digits, _ and -), separated by single spaces';

/** Only these characters can appear at all: nothing a shell, a URL or OQL would treat specially. */
const ALPHABET = /^[A-Za-z0-9_#.\- ]+$/;
const NAME = '[A-Za-z0-9_-]';
const QUALIFIED_JOB = new RegExp(`^(${NAME}{1,16})#(${NAME}{1,16})\\.(${NAME}{1,40})$`);
const QUALIFIED_STREAM = new RegExp(`^(${NAME}{1,16})#(${NAME}{1,16})$`);
const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export class CommandRejectedError extends DomainError {
  constructor(reason: string) {
    super('COMMAND_REJECTED', `Invalid command: ${reason}. Accepted grammar: ${COMMAND_GRAMMAR}`, 'invalid');
  }
}

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

function parseJobTarget(token: string): JobTarget {
  if (token.includes('#')) {
    const match = QUALIFIED_JOB.exec(token);
    if (!match) throw new CommandRejectedError(`"${token}" is not WORKSTATION#JOBSTREAM.JOB`);
    return {
      kind: 'name',
      workstation: match[1].toUpperCase(),
      jobStream: match[2].toUpperCase(),
      job: match[3].toUpperCase(),
    };
  }
  if (!PLAN_ID.test(token))
    throw new CommandRejectedError(`"${token}" is neither a plan id nor WORKSTATION#JOBSTREAM.JOB`);
  return { kind: 'id', id: token };
}

/**
 * The operator command language of `/api/execute`. Strict: one verb, one target, single spaces,
 * a closed alphabet. Anything else is rejected whole; nothing is ever passed to a shell.
 */
export function parseCommand(input: string): OperatorCommand {
  if (input.length === 0 || input.trim().length === 0) throw new CommandRejectedError('the command is empty');
  if (input.length > COMMAND_MAX_LENGTH)
    throw new CommandRejectedError(`the command is longer than ${COMMAND_MAX_LENGTH} characters`);
  if (!ALPHABET.test(input))
    throw new CommandRejectedError('it contains characters outside letters, digits, space, #, ., _ and -');
  const tokens = input.trim().split(' ');
  if (tokens.some((t) => t === '')) throw new CommandRejectedError('words must be separated by single spaces');
  const verb = tokens[0].toLowerCase();
  if (tokens.length === 3 && tokens[1].toLowerCase() === 'stream') {
    if (!isOneOf(STREAM_VERBS, verb)) throw new CommandRejectedError(`"${tokens[0]}" does not apply to a job stream`);
    const match = QUALIFIED_STREAM.exec(tokens[2]);
    if (!match) throw new CommandRejectedError(`"${tokens[2]}" is not WORKSTATION#JOBSTREAM`);
    return { scope: 'stream', verb, workstation: match[1].toUpperCase(), jobStream: match[2].toUpperCase() };
  }
  if (!isOneOf(JOB_VERBS, verb)) throw new CommandRejectedError(`unknown verb "${tokens[0]}"`);
  if (tokens.length !== 2)
    throw new CommandRejectedError(tokens.length < 2 ? `"${verb}" needs a job` : 'too many arguments');
  return { scope: 'job', verb, target: parseJobTarget(tokens[1]) };
}

export function describeTarget(command: OperatorCommand): string {
  if (command.scope === 'stream') return `${command.workstation}#${command.jobStream}`;
  return command.target.kind === 'id'
    ? command.target.id
    : `${command.target.workstation}#${command.target.jobStream}.${command.target.job}`;
}
