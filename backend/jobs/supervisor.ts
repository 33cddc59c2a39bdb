// The job supervisor of a host that keeps a project open (the studio): starts each job as a
// detached process of its own (its own process group, so a cancel takes its ffmpeg and worker
// children with it; it outlives a window reload), and turns the jobs table into typed events.
// The job's process writes its row; the supervisor only watches: a cheap poll of the table's
// newest update sees progress from its own children, from jobs a previous session left running
// and from the CLI alike. A job whose process died without a word is marked failed with its
// log's tail (./control.ts reconcileJobs), on open and whenever a child of ours exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventName, EventPayload, Job } from '../../common/api/contract';
import type { WritableDB } from '../../db/connection';
import { finishJob, jobById, jobsVersion, listJobs, openJobs, setJobPid, type JobRow } from '../../db/jobs';
import { lastMetricSeqOfJob, metricPointsAfter, metricsSeq } from '../../db/trainerOutput';
import { isBusyError } from '../../db/writers';
import { workerScript } from '../packageRoot';
import { cancelJob, readJobLog, reconcileJobs, requireJob } from './control';
import { insertJobOfKind, type JobKindName, type JobParams } from './kinds';

/** How often the table is looked at while a job is open; when none is, a slower beat still notices the CLI's. */
const BUSY_POLL_MS = 200;
const IDLE_POLL_MS = 1500;
/** While a trainer runs: its metric points reach the charts within the 250 ms budget (issue 10), a line written to a point painted. */
const METRICS_POLL_MS = 50;
/** Points per event: a resumed run re-reading a long log arrives in pieces the page can take. */
const POINTS_PER_EVENT = 20_000;

export interface JobSupervisor {
  /** Adds the job and starts its process; returns the row as queued. */
  start<K extends JobKindName>(kind: K, params: JobParams<K>): Job;
  /** Resolves with the job once it has ended (succeeded, failed or cancelled). */
  finished(jobId: number): Promise<Job>;
  cancel(jobId: number): Promise<Job>;
  get(jobId: number): Job;
  list(limit: number): Job[];
  log(jobId: number, offset: number, maxBytes: number): { text: string; offset: number; size: number; isFinal: boolean };
  /** Stops watching. Running jobs go on: they belong to the project, not to this window. */
  close(): void;
}

export function toJob(row: JobRow): Job {
  let result: unknown = null;
  try {
    result = row.result === null ? null : (JSON.parse(row.result) as unknown);
  } catch {
    result = null;
  }
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    done: row.progress_done,
    total: row.progress_total,
    message: row.message,
    error: row.error,
    result,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

const isOpen = (state: JobRow['state']) => state === 'queued' || state === 'running';

export function createJobSupervisor(options: {
  db: WritableDB;
  projectPath: string;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  log: (line: string) => void;
  /** After job.finished is sent: what the host refreshes. */
  onFinished?: (job: Job) => void;
}): JobSupervisor {
  const { db, projectPath, emit, log } = options;
  const children = new Map<number, ChildProcess>();
  const waiters = new Map<number, Array<(job: Job) => void>>();
  /** What was last told about each open job, so only changes become events. */
  const seen = new Map<number, string>();
  let version = '';
  /** The newest metric point already pushed (db/trainerOutput.ts: storage order). */
  let metricsCursor = metricsSeq(db);
  /** Open jobs that report metrics (trainers): while there are some, the watch looks more often. */
  const metricJobs = new Set<number>();
  /** Per job, the seq its last pushed event ended at: the next event's previousSeq. */
  const lastPushed = new Map<number, number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let isClosed = false;

  function announce(row: JobRow): void {
    const job = toJob(row);
    const fingerprint = `${row.state}\u0000${row.progress_done}\u0000${row.progress_total}\u0000${row.message}`;
    if (seen.get(row.id) === fingerprint) return;
    seen.set(row.id, fingerprint);
    if (isOpen(row.state)) {
      if (row.kind === 'train') metricJobs.add(row.id);
      emit('job.progress', { jobId: row.id, kind: row.kind, state: row.state, done: row.progress_done, total: row.progress_total, message: row.message });
      return;
    }
    seen.delete(row.id);
    // Its last points first: a chart is complete when the job is announced finished.
    pushMetrics();
    metricJobs.delete(row.id);
    lastPushed.delete(row.id);
    emit('job.finished', { jobId: row.id, kind: row.kind, state: row.state as Exclude<Job['state'], 'queued' | 'running'>, error: row.error });
    options.onFinished?.(job);
    for (const resolve of waiters.get(row.id) ?? []) resolve(job);
    waiters.delete(row.id);
  }

  /** New metric points as 'training.metrics' events, one per job, in columns. */
  function pushMetrics(): void {
    for (;;) {
      if (metricsSeq(db) <= metricsCursor) return;
      const first = metricsCursor;
      const points = metricPointsAfter(db, metricsCursor, POINTS_PER_EVENT);
      if (points.length === 0) return;
      metricsCursor = points.at(-1)?.seq ?? metricsCursor;
      const byJob = new Map<number, Map<string, { steps: number[]; values: number[] }>>();
      for (const point of points) {
        const series = byJob.get(point.job_id) ?? new Map<string, { steps: number[]; values: number[] }>();
        const columns = series.get(point.key) ?? { steps: [], values: [] };
        columns.steps.push(point.step);
        columns.values.push(point.value);
        series.set(point.key, columns);
        byJob.set(point.job_id, series);
      }
      for (const [jobId, series] of byJob) {
        const previousSeq = lastPushed.get(jobId) ?? lastMetricSeqOfJob(db, jobId, first);
        emit('training.metrics', { jobId, seq: metricsCursor, previousSeq, series: [...series.entries()].map(([key, columns]) => ({ key, ...columns })) });
        lastPushed.set(jobId, metricsCursor);
      }
      if (points.length < POINTS_PER_EVENT) return;
    }
  }

  function poll(): void {
    timer = null;
    if (isClosed) return;
    try {
      pushMetrics();
      const current = jobsVersion(db);
      if (current !== version) {
        version = current;
        for (const row of openJobs(db)) announce(row);
        // Jobs that ended since the last look (by their own hand, a cancel, or the CLI).
        for (const id of [...seen.keys()]) {
          const row = jobById(db, id);
          if (row && !isOpen(row.state)) announce(row);
        }
      }
    } catch (error) {
      log(`watching jobs failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    schedule();
  }

  function schedule(): void {
    if (isClosed || timer !== null) return;
    timer = setTimeout(poll, metricJobs.size > 0 ? METRICS_POLL_MS : seen.size > 0 || waiters.size > 0 ? BUSY_POLL_MS : IDLE_POLL_MS);
    // The watch never keeps a process alive by itself (a CLI or a test closing the studio exits).
    timer.unref();
  }

  function spawnJob(row: JobRow): void {
    mkdirSync(dirname(row.log_path), { recursive: true });
    const logFile = openSync(row.log_path, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [workerScript('job'), projectPath, String(row.id)], {
        // Its own process group: a cancel signals the group, ffmpeg included; and a window closed
        // or reloaded does not take the job down with it.
        detached: true,
        stdio: ['ignore', logFile, logFile],
        // Inside Electron, process.execPath is the app: this makes it run the script as Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        windowsHide: true,
      });
    } finally {
      closeSync(logFile);
    }
    if (child.pid !== undefined) {
      try {
        setJobPid(db, row.id, child.pid);
      } catch (error) {
        // The process is running and records its pid itself as it starts (markJobRunning). A
        // project busy with another program's write (db/writers.ts) must not fail this start, nor
        // make dispatch retry jobs.start and run the job twice.
        if (!isBusyError(error)) throw error;
      }
    }
    children.set(row.id, child);
    child.once('error', (error) => log(`job ${row.id} could not start: ${error.message}`));
    child.once('exit', () => {
      children.delete(row.id);
      if (isClosed) return;
      // A process that died without recording its end (killed, out of memory, a crash in native
      // code): the row says so, with the log's tail.
      try {
        reconcileJobs(db, projectPath);
      } catch (error) {
        // An event handler: a throw would end the host. A project busy with another program's
        // write (db/writers.ts) is reconciled on the next open instead.
        log(`job ${row.id}: checking its end failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const after = jobById(db, row.id);
      if (after) announce(after);
      schedule();
    });
  }

  // Jobs a previous session or a crash left open: settle the dead ones now.
  for (const id of reconcileJobs(db, projectPath)) log(`job ${id}: its process was gone; marked failed`);
  for (const row of openJobs(db)) announce(row);
  version = jobsVersion(db);
  schedule();

  return {
    start(kind, params) {
      const row = insertJobOfKind(db, projectPath, kind, params);
      announce(row);
      try {
        spawnJob(row);
      } catch (error) {
        const message = `its process could not start: ${error instanceof Error ? error.message : String(error)}`;
        finishJob(db, row.id, 'failed', { error: message, message: 'failed' });
        log(`job ${row.id}: ${message}`);
      }
      schedule();
      return toJob(jobById(db, row.id) ?? row);
    },
    finished(jobId) {
      const row = requireJob(db, jobId, projectPath);
      if (!isOpen(row.state)) return Promise.resolve(toJob(row));
      return new Promise((resolve) => {
        waiters.set(jobId, [...(waiters.get(jobId) ?? []), resolve]);
        seen.set(jobId, seen.get(jobId) ?? '');
        schedule();
      });
    },
    async cancel(jobId) {
      const row = await cancelJob(db, projectPath, jobId);
      announce(row);
      return toJob(row);
    },
    get: (jobId) => toJob(requireJob(db, jobId, projectPath)),
    list: (limit) => listJobs(db, limit).map(toJob),
    log(jobId, offset, maxBytes) {
      const row = requireJob(db, jobId, projectPath);
      return { ...readJobLog(row, projectPath, offset, maxBytes), isFinal: !isOpen(row.state) };
    },
    close() {
      isClosed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      // Detached jobs go on; this process no longer waits for them.
      for (const child of children.values()) child.unref();
      for (const [jobId, list] of waiters) for (const resolve of list) resolve(toJob(jobById(db, jobId) as JobRow));
      waiters.clear();
    },
  };
}
