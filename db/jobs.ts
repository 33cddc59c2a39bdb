// The jobs table (migration 6): one row per piece of long work, written by whichever process
// runs it (backend/jobs). A job leaves queued/running exactly once: every final write is
// guarded by its current state, so a cancel racing a finish cannot be overwritten.
import type { ReadableDB, WritableDB } from './connection';
import { now, statement } from './statements';
import { writeTransaction } from './writers';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export type FinalJobState = Exclude<JobState, 'queued' | 'running'>;

export interface JobRow {
  id: number;
  kind: string;
  title: string;
  params: string;
  state: JobState;
  progress_done: number;
  progress_total: number;
  message: string;
  result: string | null;
  error: string | null;
  pid: number | null;
  log_path: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

const COLUMNS = 'id, kind, title, params, state, progress_done, progress_total, message, result, error, pid, log_path, created_at, started_at, finished_at, updated_at';

/** Adds a queued job; its log file's path is made from the id the row gets. */
export function insertJob(db: WritableDB, job: { kind: string; title: string; params: string; logPathOf: (id: number) => string }): JobRow {
  const timestamp = now();
  // One transaction: the row never exists without its log path.
  return writeTransaction(db, () => {
    const id = Number(
      statement(db, "INSERT INTO jobs(kind, title, params, state, log_path, created_at, updated_at) VALUES (?, ?, ?, 'queued', '', ?, ?)")
        .run(job.kind, job.title, job.params, timestamp, timestamp).lastInsertRowid,
    );
    statement(db, 'UPDATE jobs SET log_path = ? WHERE id = ?').run(job.logPathOf(id), id);
    return jobById(db, id) as JobRow;
  });
}

export function jobById(db: ReadableDB, id: number): JobRow | undefined {
  return statement<[number], JobRow>(db, `SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id);
}

/** Newest first. */
export function listJobs(db: ReadableDB, limit: number): JobRow[] {
  return statement<[number], JobRow>(db, `SELECT ${COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?`).all(limit);
}

/** Jobs that are queued or running, oldest first. */
export function openJobs(db: ReadableDB): JobRow[] {
  return statement<[], JobRow>(db, `SELECT ${COLUMNS} FROM jobs WHERE state IN ('queued', 'running') ORDER BY id`).all();
}

/** The process that will run (or runs) the job. */
export function setJobPid(db: WritableDB, id: number, pid: number): void {
  statement(db, "UPDATE jobs SET pid = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'running')").run(pid, now(), id);
}

/** queued → running, by the process that runs it. False when the job was cancelled first. */
export function markJobRunning(db: WritableDB, id: number, pid: number): boolean {
  const timestamp = now();
  return statement(db, "UPDATE jobs SET state = 'running', pid = ?, started_at = ?, updated_at = ? WHERE id = ? AND state = 'queued'")
    .run(pid, timestamp, timestamp, id).changes > 0;
}

export function setJobProgress(db: WritableDB, id: number, done: number, total: number, message: string): void {
  statement(db, "UPDATE jobs SET progress_done = ?, progress_total = ?, message = ?, updated_at = ? WHERE id = ? AND state = 'running'")
    .run(done, total, message, now(), id);
}

/** The one final write of a job. False when it had already ended (a cancel got there first). */
export function finishJob(db: WritableDB, id: number, state: FinalJobState, outcome: { result?: string | null; error?: string | null; message?: string }): boolean {
  const timestamp = now();
  return statement(
    db,
    `UPDATE jobs SET state = ?, result = ?, error = ?, message = coalesce(?, message), finished_at = ?, updated_at = ?
      WHERE id = ? AND state IN ('queued', 'running')`,
  ).run(state, outcome.result ?? null, outcome.error ?? null, outcome.message ?? null, timestamp, timestamp, id).changes > 0;
}

/** The newest updated_at among jobs: pollers compare it to notice another process's writes. */
export function jobsVersion(db: ReadableDB): string {
  return statement<[], { v: string | null }>(db, 'SELECT max(updated_at) || \'/\' || count(*) AS v FROM jobs').get()?.v ?? '';
}
