// What every host does with jobs, whoever started them: where their logs live, whether their
// process is alive, cancelling (the whole process tree), reconciling jobs whose process died
// with nobody to record it, and reading logs. The studio's supervisor and the CLI's `frustum
// jobs / logs / cancel` both call these, so a job behaves the same from either.
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, isAbsolute } from 'node:path';
import { InputError } from '../../common/errors';
import type { WritableDB, ReadableDB } from '../../db/connection';
import { finishJob, jobById, openJobs, type JobRow } from '../../db/jobs';

/** `<folder>/<project name>.jobs/`: beside the project, named after it (two projects may share a folder). */
export function jobsFolder(projectPath: string): string {
  return join(dirname(projectPath), `${basename(projectPath, extname(projectPath))}.jobs`);
}

export function jobLogPath(projectPath: string, jobId: number): string {
  return join(jobsFolder(projectPath), `${jobId}.log`);
}

/**
 * Whether `pid` still runs this project's job. A pid is reused once its process is gone, so on
 * Linux the process's command line must name the project too (a job process is started with
 * the project's path; a CLI job's command line holds it as an argument).
 */
export function isJobProcessAlive(pid: number, projectPath: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, owned by someone else — not ours, but alive; ESRCH: gone.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // A zombie (exited, not yet reaped by its parent) has an empty command line: it runs nothing.
    return commandLine.includes(basename(projectPath));
  } catch {
    return false;
  }
}

/** Signals the job's process group (a detached job leads its own: ffmpeg and workers go with it); a process that leads none gets the signal alone. */
export function signalJobTree(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // not a group leader (a CLI job run in its own command): signal the process itself
  }
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** The last lines of a job's log, for the error of a job whose process died. */
export function logTail(path: string, lines = 15, maxBytes = 16 * 1024): string {
  try {
    const size = statSync(path).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    const descriptor = openSync(path, 'r');
    try {
      readSync(descriptor, buffer, 0, buffer.length, start);
    } finally {
      closeSync(descriptor);
    }
    return buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function diedMessage(row: JobRow, why: string): string {
  const tail = logTail(row.log_path);
  return tail === '' ? why : `${why}; the end of its log:\n${tail}`;
}

/** How long a job may sit queued with no process before it counts as never started. */
const START_GRACE_MS = 30_000;

/**
 * Marks failed every open job whose process is gone (killed, crashed, the machine restarted),
 * with its log's tail. Returns the ids it changed.
 */
export function reconcileJobs(db: WritableDB, projectPath: string, nowMs = Date.now()): number[] {
  const changed: number[] = [];
  for (const row of openJobs(db)) {
    if (row.pid === null) {
      if (nowMs - Date.parse(row.created_at) < START_GRACE_MS) continue;
      if (finishJob(db, row.id, 'failed', { error: diedMessage(row, 'its process never started'), message: 'failed' })) changed.push(row.id);
      continue;
    }
    if (isJobProcessAlive(row.pid, projectPath)) continue;
    if (finishJob(db, row.id, 'failed', { error: diedMessage(row, `its process (${row.pid}) is gone without finishing`), message: 'failed' })) changed.push(row.id);
  }
  return changed;
}

export function requireJob(db: ReadableDB, jobId: number, projectPath: string): JobRow {
  const row = jobById(db, jobId);
  if (!row) throw new InputError([{ file: projectPath, reason: `no job ${jobId} in this project (frustum jobs ${projectPath} lists them)` }]);
  return row;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cancels a job: SIGTERM to its process tree (the job stops and records 'cancelled' itself),
 * then SIGKILL to the tree after `graceMs`, and 'cancelled' recorded here if it could not.
 * A job that already ended is returned as it is.
 */
export async function cancelJob(db: WritableDB, projectPath: string, jobId: number, graceMs = 5000): Promise<JobRow> {
  const row = requireJob(db, jobId, projectPath);
  if (row.state !== 'queued' && row.state !== 'running') return row;
  if (row.pid !== null && isJobProcessAlive(row.pid, projectPath)) {
    signalJobTree(row.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && isJobProcessAlive(row.pid, projectPath)) await wait(50);
    if (isJobProcessAlive(row.pid, projectPath)) signalJobTree(row.pid, 'SIGKILL');
  }
  finishJob(db, jobId, 'cancelled', { message: 'cancelled' });
  return requireJob(db, jobId, projectPath);
}

/**
 * Up to `maxBytes` of a job's log from `offset`. The path comes from the project file, which
 * anyone can edit: it is read only when its real path is inside the project's jobs folder.
 */
export function readJobLog(row: JobRow, projectPath: string, offset: number, maxBytes: number): { text: string; offset: number; size: number } {
  const folder = jobsFolder(projectPath);
  let real: string;
  try {
    real = realpathSync(row.log_path);
  } catch {
    return { text: '', offset, size: 0 }; // no log yet (the process has not started writing)
  }
  const inside = relative(existsSync(folder) ? realpathSync(folder) : folder, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || !statSync(real).isFile()) {
    throw new InputError([{ file: projectPath, reason: `job ${row.id}'s log path is outside ${folder}; not reading it` }]);
  }
  const size = statSync(real).size;
  const start = Math.min(offset, size);
  const length = Math.min(maxBytes, size - start);
  const buffer = Buffer.alloc(length);
  if (length > 0) {
    const descriptor = openSync(real, 'r');
    try {
      readSync(descriptor, buffer, 0, length, start);
    } finally {
      closeSync(descriptor);
    }
  }
  // Never end inside a UTF-8 sequence: the next read starts at the first byte not returned.
  let end = buffer.length;
  if (start + end < size) while (end > 0 && ((buffer[end - 1] ?? 0) & 0xc0) === 0x80) end--;
  if (start + end < size && end > 0 && ((buffer[end - 1] ?? 0) & 0xc0) === 0xc0) end--;
  return { text: buffer.subarray(0, end).toString('utf8'), offset: start + end, size };
}
