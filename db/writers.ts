// Many writers, one file (issue 9). The studio, every `frustum` command, the studio's import
// worker and the job supervisor's processes each open their own connection to a project, and
// SQLite (WAL) lets one of them write at a time while any number read. This module is the one
// place that decides how a writer waits its turn:
//
// 1. Every write transaction begins IMMEDIATE (writeTransaction). better-sqlite3's
//    `db.transaction(fn)()` begins DEFERRED: the transaction starts as a reader, and its first
//    write asks to become the writer. If another connection committed since its first read, its
//    snapshot is stale and SQLite answers SQLITE_BUSY at once, without calling the busy handler
//    (waiting could not help: the snapshot stays stale). That was the "database is locked" of 17
//    of 20 concurrent `frustum import`s and the studio's "project is busy": both read first.
//    BEGIN IMMEDIATE takes the write lock first and waits for it (busy_timeout), so a
//    transaction's reads and its writes see the same, newest project.
// 2. A connection's thread waits for the lock up to busy_timeout (setLockWait): a minute on a
//    thread that has nothing else to do (CLI, workers, jobs), a moment on the studio's event loop,
//    which answers every call and must not sleep for seconds behind a 100,000-record import.
// 3. The studio then retries a call that found the project busy, without blocking, until the
//    call's time limit (retryWhileBusy, used by backend/studio/dispatch.ts). Rerunning is safe
//    because of 1: a transaction that fails with SQLITE_BUSY fails at BEGIN, before it writes
//    (in WAL mode a commit never waits for other connections).
import type Database from 'better-sqlite3';
import { ProjectError } from '../common/errors';
import type { ReadableDB, WritableDB } from './connection';
import { statement } from './statements';

/** How long a connection's own thread sleeps waiting for another writer (SQLite's busy_timeout). */
export const LOCK_WAIT_MS = {
  /**
   * CLI commands, workers and jobs: sleeping is all they would do anyway. A 100,000-record
   * import holds the lock for seconds, and a few queued ones for their sum.
   */
  thread: 60_000,
  /** The studio's connection: its thread answers every call; longer waits go to retryWhileBusy. */
  eventLoop: 100,
} as const;

export function setLockWait(db: Database.Database, wait: keyof typeof LOCK_WAIT_MS): void {
  db.pragma(`busy_timeout = ${LOCK_WAIT_MS[wait]}`);
}

/** The project stayed locked by another connection for longer than this connection waits. */
export class ProjectBusyError extends ProjectError {
  constructor(file: string, waitedMs: number) {
    super(
      file,
      `is busy: another program (a running import, the studio, a job) kept it locked for over ${formatWait(waitedMs)}; ` +
        'nothing was changed here; try again when it finishes',
    );
    this.name = 'ProjectBusyError';
  }
}

function formatWait(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** SQLite's "another connection holds the lock" (extended codes included: SQLITE_BUSY_SNAPSHOT…), raw or as ProjectBusyError. */
export function isBusyError(error: unknown): boolean {
  if (error instanceof ProjectBusyError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_BUSY(?:_|$)/.test(code);
}

/**
 * Runs `work` as one write transaction, begun IMMEDIATE (see the top of this file): it waits
 * for the write lock before its first read, so what it reads is still true when it writes, and
 * a busy project fails here, before anything is written, as a ProjectBusyError naming the file.
 * better-sqlite3 rolls back if `work` throws and commits when it returns; inside another
 * transaction it is a savepoint of that one.
 */
export function writeTransaction<T>(db: WritableDB, work: () => T): T {
  try {
    return db.transaction(work).immediate();
  } catch (error) {
    if (!isBusyError(error) || error instanceof ProjectBusyError || db.inTransaction) throw error;
    throw new ProjectBusyError(db.name, Number(db.pragma('busy_timeout', { simple: true })));
  }
}

/** Backoff between tries of a busy call: short first (most writes take milliseconds), then up to half a second. */
const RETRY_DELAYS_MS = [20, 40, 80, 160, 320, 500] as const;

/**
 * Runs `attempt` until it does not fail with a busy project, waiting between tries without
 * blocking, and gives up (rethrowing the busy error) when the next try would start after
 * `deadline` (a performance.now() time). Only for work that a busy failure leaves unwritten,
 * which every transaction begun by writeTransaction is.
 */
export async function retryWhileBusy<T>(attempt: () => T | Promise<T>, deadline: number): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[Math.min(tries, RETRY_DELAYS_MS.length - 1)] as number;
      if (!isBusyError(error) || performance.now() + delay >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * SQLite's count of commits made by OTHER connections to this file, as this connection last
 * saw it (`PRAGMA data_version`): it changes exactly when someone else wrote, never for this
 * connection's own writes. A cheap query, for polling.
 */
export function dataVersion(db: ReadableDB): number {
  return Number(db.pragma('data_version', { simple: true }));
}

/**
 * What the studio's pages show, in one cheap string: it changes with any sample, chain, clip,
 * reading, label or source another connection writes, and not with a job's bookkeeping (a
 * running job commits its progress a few times a second). Two scans of the samples table at
 * most (~10 ms at 100k samples), and only after data_version said another connection committed.
 */
export function shownDataFingerprint(db: ReadableDB): string {
  return statement<[], { fingerprint: string }>(
    db,
    `SELECT (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM samples)
         || '/' || (SELECT coalesce(max(id), 0) FROM chain_revisions)
         || '/' || (SELECT coalesce(max(id), 0) FROM clip_analyses)
         || '/' || (SELECT count(*) || ':' || total(length(media_status) + length(coalesce(file_path, '')) + length(coalesce(probed_at, ''))) FROM clips)
         || '/' || (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM clip_labels)
         || '/' || (SELECT count(*) FROM sources) AS fingerprint`,
  ).get()?.fingerprint ?? '';
}
