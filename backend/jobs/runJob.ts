// Runs one job in the current process: the body of a job's own process (./jobWorker.ts), which
// the supervisor spawns, or of a command that runs its job itself (./foreground.ts). The process
// owns its row: it marks it running, stores progress a few times a second (every window and
// `frustum jobs` read it from there), and writes the outcome.
// SIGTERM (a cancel; ./control.ts) aborts the kind's signal; a kind that does not stop in time is
// killed with its whole process group, and the canceller records 'cancelled'.
import { damagedProjectError, describeProblem, InputError, ProjectError, UsageError } from '../../common/errors';
import { openProject, type WritableDB } from '../../db/connection';
import { finishJob, jobById, markJobRunning, setJobProgress, type FinalJobState } from '../../db/jobs';
import { isJobKind, JOB_KINDS, type JobContext } from './kinds';

/** Progress is stored at most this often: a commit each time, and nobody reads faster. */
const PROGRESS_INTERVAL_MS = 200;

export interface JobOutcome {
  state: FinalJobState;
  error: string | null;
  /** What a failed job threw, for a host that runs the job in its own process (./foreground.ts) and reports it as it always has. */
  cause?: unknown;
}

export interface RunJobOptions {
  log?: (line: string) => void;
  /** Every progress report as the kind makes it (the row gets them throttled): a terminal's progress bar. */
  onProgress?: (done: number, total: number, message: string) => void;
}

/** Why a job failed, as one message: input problems listed, a bug with its stack's first line. */
export function describeFailure(error: unknown): string {
  if (error instanceof InputError) {
    const shown = error.problems.slice(0, 20).map((problem) => describeProblem(problem));
    const more = error.problems.length > shown.length ? [`… and ${error.problems.length - shown.length} more`] : [];
    return [...shown, ...more].join('\n');
  }
  if (error instanceof ProjectError || error instanceof UsageError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export async function runJob(projectPath: string, jobId: number, options: RunJobOptions = {}): Promise<JobOutcome> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const db: WritableDB = openProject(projectPath);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cancelling`);
    controller.abort(new Error(`cancelled (${signal})`));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const job = jobById(db, jobId);
    if (!job) throw new Error(`no job ${jobId} in ${projectPath}`);
    if (!markJobRunning(db, jobId, process.pid)) {
      log(`job ${jobId} is ${job.state}; not running it`);
      return { state: job.state === 'queued' || job.state === 'running' ? 'failed' : job.state, error: job.error };
    }
    log(`job ${jobId} (${job.kind}): ${job.title}; process ${process.pid}`);
    let lastStored = 0;
    let pending: { done: number; total: number; message: string } | null = null;
    const store = () => {
      if (pending === null) return;
      setJobProgress(db, jobId, pending.done, pending.total, pending.message);
      pending = null;
      lastStored = performance.now();
    };
    const context: JobContext = {
      db,
      jobId,
      projectPath,
      signal: controller.signal,
      log,
      progress: (done, total, message) => {
        options.onProgress?.(done, total, message);
        pending = { done, total, message };
        if (performance.now() - lastStored >= PROGRESS_INTERVAL_MS || done >= total) store();
      },
    };
    try {
      if (!isJobKind(job.kind)) throw new Error(`unknown job kind "${job.kind}" (written by another version of Frustum?)`);
      const kind = JOB_KINDS[job.kind];
      const params = kind.params.safeParse(JSON.parse(job.params));
      if (!params.success) throw new Error(`job ${jobId} has unusable parameters: ${params.error.message}`);
      const result = await (kind.run as (params: unknown, context: JobContext) => Promise<unknown>)(params.data, context);
      store();
      finishJob(db, jobId, 'succeeded', { result: JSON.stringify(result ?? null), message: 'done' });
      log(`job ${jobId} succeeded`);
      return { state: 'succeeded', error: null };
    } catch (error) {
      store();
      if (controller.signal.aborted) {
        finishJob(db, jobId, 'cancelled', { message: 'cancelled' });
        log(`job ${jobId} cancelled`);
        return { state: 'cancelled', error: null };
      }
      // A damaged page surfaces from any query: the file's state, not a bug (common/errors.ts).
      const failure = damagedProjectError(error, projectPath) ?? error;
      const message = describeFailure(failure);
      // A usage error reaching a job (a training job resumed on a folder that is gone) is the person's to fix too.
      const isBug = !(failure instanceof InputError || failure instanceof ProjectError || failure instanceof UsageError);
      // The kind of failure travels with the row: an import's bad input is the person's to fix, a bug is ours.
      finishJob(db, jobId, 'failed', { error: message, result: JSON.stringify({ failure: isBug ? 'internal' : 'input' }), message: 'failed' });
      log(`job ${jobId} failed: ${isBug && failure instanceof Error ? (failure.stack ?? message) : message}`);
      return { state: 'failed', error: message, cause: failure };
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    db.close();
  }
}
