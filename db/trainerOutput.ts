// Training jobs' metric points and GRPO rollouts (migration 7), written by the job that runs a
// trainer (backend/engines/trainJob.ts) and read by the studio's charts and rollout inspector.
import type { ReadableDB, WritableDB } from './connection';
import { statement } from './statements';
import { writeTransaction } from './writers';

export interface MetricPoint {
  step: number;
  key: string;
  value: number;
}

export interface StoredMetricPoint extends MetricPoint {
  seq: number;
  job_id: number;
}

/** Stores points; a step logged again (a resumed run repeats steps) replaces the earlier value and moves to the end of the storage order. */
export function storeMetricPoints(db: WritableDB, jobId: number, points: readonly MetricPoint[]): void {
  if (points.length === 0) return;
  writeTransaction(db, () => {
    const insert = statement(db, 'INSERT OR REPLACE INTO job_metric_points(job_id, step, key, value) VALUES (?, ?, ?, ?)');
    for (const point of points) insert.run(jobId, point.step, point.key, point.value);
  });
}

/** The newest seq stored (0: none): pollers compare it to notice new points. */
export function metricsSeq(db: ReadableDB): number {
  return statement<[], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM job_metric_points').get()?.seq ?? 0;
}

/** The job's newest point stored at or before `atOrBefore` (0: none): where a page that fetched then stands. */
export function lastMetricSeqOfJob(db: ReadableDB, jobId: number, atOrBefore: number): number {
  return statement<[number, number], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM job_metric_points WHERE job_id = ? AND seq <= ?').get(jobId, atOrBefore)?.seq ?? 0;
}

/** Points stored after `afterSeq`, of any job, in storage order (at most `limit`). */
export function metricPointsAfter(db: ReadableDB, afterSeq: number, limit: number): StoredMetricPoint[] {
  return statement<[number, number], StoredMetricPoint>(
    db,
    'SELECT seq, job_id, step, key, value FROM job_metric_points WHERE seq > ? ORDER BY seq LIMIT ?',
  ).all(afterSeq, limit);
}

export interface MetricColumns {
  key: string;
  steps: number[];
  values: number[];
}

/**
 * Series of these jobs (a run and its resumes) as columns in step order, built in one pass over
 * rows SQLite sorts: for a step several jobs logged, the newest job's value (a resume re-logs
 * steps after its checkpoint; resumes are always newer jobs). 400k points: no sort in JavaScript.
 */
export function metricSeriesOfJobs(db: ReadableDB, jobIds: readonly number[], afterSeq: number): MetricColumns[] {
  if (jobIds.length === 0) return [];
  const rows = statement<[string, number], { key: string; step: number; value: number }>(
    db,
    `SELECT key, step, value FROM job_metric_points
      WHERE job_id IN (SELECT value FROM json_each(?)) AND seq > ? ORDER BY key, step, job_id`,
  ).raw().iterate(JSON.stringify(jobIds), afterSeq) as IterableIterator<[string, number, number]>;
  const series: MetricColumns[] = [];
  let current: MetricColumns | null = null;
  for (const [key, step, value] of rows) {
    if (current === null || current.key !== key) {
      current = { key, steps: [], values: [] };
      series.push(current);
    }
    const last = current.steps.length - 1;
    if (last >= 0 && current.steps[last] === step) current.values[last] = value;
    else {
      current.steps.push(step);
      current.values.push(value);
    }
  }
  return series;
}

export interface RolloutRow {
  id: number;
  job_id: number;
  step: number;
  sample_id: number | null;
  ground_truth: string;
  responses: string;
}

export interface RolloutGroupInput {
  sampleId: number | null;
  groundTruth: string;
  responses: unknown[];
}

/** A step's groups; a step rolled out again (after a resume) replaces the earlier groups of that job. */
export function storeRollouts(db: WritableDB, jobId: number, step: number, groups: readonly RolloutGroupInput[]): void {
  writeTransaction(db, () => {
    statement(db, 'DELETE FROM job_rollouts WHERE job_id = ? AND step = ?').run(jobId, step);
    const insert = statement(db, 'INSERT INTO job_rollouts(job_id, step, sample_id, ground_truth, responses) VALUES (?, ?, ?, ?, ?)');
    for (const group of groups) insert.run(jobId, step, group.sampleId, group.groundTruth, JSON.stringify(group.responses));
  });
}

/** Steps with rollouts among these jobs, ascending. */
export function rolloutSteps(db: ReadableDB, jobIds: readonly number[]): number[] {
  return statement<[string], { step: number }>(
    db,
    'SELECT DISTINCT step FROM job_rollouts WHERE job_id IN (SELECT value FROM json_each(?)) ORDER BY step',
  ).all(JSON.stringify(jobIds)).map((row) => row.step);
}

/** One step's groups among these jobs; when several jobs rolled the step out, the newest job's. */
export function rolloutsOfStep(db: ReadableDB, jobIds: readonly number[], step: number): RolloutRow[] {
  return statement<[{ jobs: string; step: number }], RolloutRow>(
    db,
    `SELECT id, job_id, step, sample_id, ground_truth, responses FROM job_rollouts
      WHERE step = @step AND job_id = (SELECT max(job_id) FROM job_rollouts WHERE step = @step AND job_id IN (SELECT value FROM json_each(@jobs)))
      ORDER BY id`,
  ).all({ jobs: JSON.stringify(jobIds), step });
}

export interface SampleClipRow {
  sample_id: number;
  id: number;
  name: string;
  file_path: string | null;
  media_root: string | null;
  media_error: string | null;
  media_status: string;
}

/** The clip of each of these samples (samples without one are left out). */
export function clipsOfSamples(db: ReadableDB, sampleIds: readonly number[]): SampleClipRow[] {
  return statement<[string], SampleClipRow>(
    db,
    `SELECT s.id AS sample_id, c.id, c.name, c.file_path, c.media_root, c.media_error, c.media_status
       FROM samples s JOIN clips c ON c.id = s.clip_id
      WHERE s.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(sampleIds));
}

/** Splits in use, with their sample counts. */
export function splitCounts(db: ReadableDB): Map<string, number> {
  const rows = statement<[], { split: string; n: number }>(db, 'SELECT split, count(*) AS n FROM samples GROUP BY split').all();
  return new Map(rows.map((row) => [row.split, row.n]));
}
