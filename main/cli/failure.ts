// Exit codes scripts can trust (README: Exit codes), and how failures are shown: one clear
// line per problem for people, one JSON object for scripts, a stack trace only for bugs.
import { CancelledError, damagedProjectError, describeProblem, InputError, ProjectError, UsageError } from '../../common/errors';

export const EXIT = {
  ok: 0,
  /** Bad input or project file: nothing was changed. */
  input: 1,
  /** Wrong command line. */
  usage: 2,
  /** `validate` found errors in the data. */
  findings: 3,
  /** A bug in Frustum. */
  internal: 70,
  /** The command's job was cancelled (Ctrl+C, or `frustum cancel` from elsewhere): 128 + SIGINT, as shells report an interrupted command. */
  cancelled: 130,
} as const;

const SHOWN_PROBLEMS = 20;

export function reportFailure(thrown: unknown, isJson: boolean): number {
  // A damaged project file is reported by whichever query first read a bad page, as a bare
  // SqliteError: it is the file's fault, not ours, so it gets the project's message and exit 1.
  const error = damagedProjectError(thrown) ?? thrown;
  if (error instanceof InputError) {
    if (isJson) {
      process.stdout.write(JSON.stringify({ ok: false, error: 'input', message: error.message, problems: error.problems }) + '\n');
    } else {
      const shown = error.problems.slice(0, SHOWN_PROBLEMS).map((problem) => `  ${describeProblem(problem)}`);
      const more = error.problems.length > SHOWN_PROBLEMS ? [`  … and ${error.problems.length - SHOWN_PROBLEMS} more`] : [];
      const head = error.problems.length === 1 ? 'error:' : `error: ${error.problems.length} problems; nothing was changed:`;
      process.stderr.write(error.problems.length === 1 ? `${head} ${describeProblem(error.problems[0]!)}\n` : [head, ...shown, ...more].join('\n') + '\n');
    }
    return EXIT.input;
  }
  if (error instanceof CancelledError) {
    if (isJson) process.stdout.write(JSON.stringify({ ok: false, error: 'cancelled', message: error.message }) + '\n');
    else process.stderr.write(`cancelled: ${error.message}\n`);
    return EXIT.cancelled;
  }
  if (error instanceof ProjectError || error instanceof UsageError) {
    if (isJson) process.stdout.write(JSON.stringify({ ok: false, error: error instanceof UsageError ? 'usage' : 'project', message: error.message }) + '\n');
    else process.stderr.write(`error: ${error.message}\n`);
    return error instanceof UsageError ? EXIT.usage : EXIT.input;
  }
  // A single statement outside a transaction (db/writers.ts covers transactions) that found the
  // project locked for longer than the CLI waits (a minute): another program's doing, not a bug.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^SQLITE_BUSY(?:_|$)/.test(code)) {
    const message = 'the project is busy: another program (an import, the studio, a job) kept it locked; this command stopped where it was; try again when it finishes';
    if (isJson) process.stdout.write(JSON.stringify({ ok: false, error: 'project', message }) + '\n');
    else process.stderr.write(`error: ${message}\n`);
    return EXIT.input;
  }
  process.stderr.write(`frustum: internal error (please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.internal;
}
