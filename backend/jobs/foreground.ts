// A job run in the process of the command that asked for it (`frustum analyze PROJECT`,
// `frustum demo`): the row is added here and ./runJob.ts runs it in this process, exactly as a
// detached job's process does — so the studio's Jobs panel and `frustum jobs` see it, its log
// lies beside the others, and `frustum cancel` (SIGTERM to this process, SIGKILL after 5 s) or
// Ctrl+C stops it. The command keeps its terminal: it reads the job's stored result back and
// prints it as it always has.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CancelledError, ProjectError } from '../../common/errors';
import { openProject } from '../../db/connection';
import { jobById, type JobRow } from '../../db/jobs';
import { insertJobOfKind, type JobKindName, type JobParams } from './kinds';
import { runJob, type JobOutcome } from './runJob';

export interface ForegroundJobOptions {
  /** Each log line, besides the job's log file (a terminal that wants them). */
  log?: (line: string) => void;
  /** Every progress report, unthrottled (a terminal's progress bar). */
  onProgress?: (done: number, total: number, message: string) => void;
}

export interface ForegroundJob {
  /** The row as the job left it: its state, message, error and result (JSON). */
  row: JobRow;
  outcome: JobOutcome;
}

export async function runForegroundJob<K extends JobKindName>(projectPath: string, kind: K, params: JobParams<K>, options: ForegroundJobOptions = {}): Promise<ForegroundJob> {
  // Absolute: the row's log path is read by `frustum logs` and the studio from other folders.
  const project = resolve(projectPath);
  // Opened as given first: a missing or foreign file is reported under the name the person typed.
  const db = openProject(projectPath);
  let row: JobRow;
  try {
    row = insertJobOfKind(db, project, kind, params);
  } finally {
    db.close();
  }
  const logPath = row.log_path;
  mkdirSync(dirname(logPath), { recursive: true });
  // A new row's log starts empty: a project made anew at the same path may have left a log of that id.
  writeFileSync(logPath, '');
  // The same lines a detached job's process writes to its log (its stdout), timestamped alike.
  const log = (line: string) => {
    appendFileSync(logPath, `${new Date().toISOString()} ${line}\n`);
    options.log?.(line);
  };
  const outcome = await runJob(project, row.id, { log, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const after = openProject(project);
  try {
    return { row: jobById(after, row.id) ?? row, outcome };
  } finally {
    after.close();
  }
}

/**
 * What the job produced (its stored result, as JSON reads it back). A failed job throws what it
 * threw, so the command reports it as it did before it ran as a job (the same message and exit
 * code); a cancelled one throws CancelledError.
 */
export function foregroundJobResult(job: ForegroundJob, projectPath: string): unknown {
  const { row, outcome } = job;
  if (outcome.state === 'succeeded') return row.result === null ? null : (JSON.parse(row.result) as unknown);
  if (outcome.state === 'cancelled') {
    throw new CancelledError(`job ${row.id} (${row.title}) was cancelled (frustum logs ${projectPath} ${row.id} shows its log)`);
  }
  if (outcome.cause !== undefined) throw outcome.cause;
  throw new ProjectError(projectPath, `job ${row.id} (${row.title}) ${outcome.state}: ${outcome.error ?? row.error ?? 'no reason recorded'}`);
}
