// Inference runs that Frustum asks itself (migration 9): a run row with its settings in `meta`,
// its samples frozen in order (run_samples), and one prediction per sample, written as answers
// arrive. Reading a run's work goes a page at a time, so a 100k-sample run never sits in memory.
import type { ReadableDB, WritableDB } from './connection';
import { insertRows, now, statement } from './statements';
import { YES_NO_PRIMITIVE_SQL } from './evaluation';
import { writeTransaction } from './writers';

export interface NewInferenceRun {
  model: string;
  /** JSON: settings, snapshot hash, filter, concurrency… (backend/inference/runMeta.ts). */
  meta: string;
  sampleIds: readonly number[];
}

/** Adds the run and its frozen sample order in one transaction; returns its id. */
export function insertInferenceRun(db: WritableDB, run: NewInferenceRun): number {
  return writeTransaction(db, () => {
    const id = Number(
      statement(db, "INSERT INTO runs(kind, model, source_id, meta, created_at) VALUES ('inference', ?, NULL, ?, ?)").run(run.model, run.meta, now()).lastInsertRowid,
    );
    const values: number[] = [];
    run.sampleIds.forEach((sampleId, position) => values.push(id, position, sampleId));
    insertRows(db, 'INSERT INTO run_samples(run_id, position, sample_id)', 3, values);
    return id;
  });
}

export function setRunMeta(db: WritableDB, runId: number, meta: string): void {
  statement(db, 'UPDATE runs SET meta = ? WHERE id = ?').run(meta, runId);
}

/** A sample still to ask: no prediction, or one that failed (a resume asks those again). */
export interface PendingSample {
  position: number;
  sample_id: number;
  /** 0 for a sample without a clip. */
  clip: number;
}

/**
 * The next `limit` samples without an answer after `after`, clip by clip (then in run order): a
 * clip's questions are asked together, so its frames are extracted once (backend/inference/frameMemo.ts).
 */
export function pendingSamples(db: ReadableDB, runId: number, after: { clip: number; position: number } | null, limit: number): PendingSample[] {
  const from = after ?? { clip: -1, position: -1 };
  return statement<[number, number, number, number], PendingSample>(
    db,
    `SELECT rs.position, rs.sample_id, coalesce(s.clip_id, 0) AS clip FROM run_samples rs
       JOIN samples s ON s.id = rs.sample_id
       LEFT JOIN predictions p ON p.run_id = rs.run_id AND p.sample_id = rs.sample_id
      WHERE rs.run_id = ? AND (coalesce(s.clip_id, 0), rs.position) > (?, ?) AND (p.sample_id IS NULL OR p.error IS NOT NULL)
      ORDER BY coalesce(s.clip_id, 0), rs.position LIMIT ?`,
  ).all(runId, from.clip, from.position, limit);
}

export interface RunCounts {
  samples: number;
  done: number;
  errors: number;
  /** Mean accuracy over answered predictions; null before any. */
  accuracy: number | null;
  completion_tokens: number;
}

export function runCounts(db: ReadableDB, runId: number): RunCounts {
  const frozen = statement<[number], { n: number }>(db, 'SELECT count(*) AS n FROM run_samples WHERE run_id = ?').get(runId)?.n ?? 0;
  const stored = statement<[number], { n: number; errors: number; accuracy: number | null; tokens: number | null }>(
    db,
    `SELECT count(*) AS n, count(error) AS errors, avg(CASE WHEN error IS NULL THEN accuracy END) AS accuracy,
            sum(completion_tokens) AS tokens FROM predictions WHERE run_id = ?`,
  ).get(runId);
  return {
    // An imported run has no frozen order: its samples are its predictions.
    samples: frozen > 0 ? frozen : (stored?.n ?? 0),
    done: stored?.n ?? 0,
    errors: stored?.errors ?? 0,
    accuracy: stored?.accuracy ?? null,
    completion_tokens: stored?.tokens ?? 0,
  };
}

export interface StoredPrediction {
  sample_id: number;
  output: string | null;
  prediction: string | null;
  accuracy: number | null;
  /** P(Yes) at the answer token. */
  score: number | null;
  error: string | null;
  /** JSON [{timestamp, width, height}]. */
  frames: string | null;
  completion_tokens: number | null;
  first_token_ms: number | null;
  duration_ms: number | null;
  finish_reason: string | null;
}

const PREDICTION_COLUMNS = 'sample_id, output, prediction, accuracy, score, error, frames, completion_tokens, first_token_ms, duration_ms, finish_reason';

/** Stores answers (replacing a sample's earlier one in the run), in one transaction. */
export function savePredictions(db: WritableDB, runId: number, predictions: readonly StoredPrediction[]): void {
  if (predictions.length === 0) return;
  const timestamp = now();
  const values: unknown[] = [];
  for (const row of predictions) {
    values.push(runId, row.sample_id, row.output, row.prediction, row.accuracy, row.score, row.error, row.frames, row.completion_tokens, row.first_token_ms, row.duration_ms, row.finish_reason, timestamp);
  }
  writeTransaction(db, () => {
    insertRows(db, `INSERT OR REPLACE INTO predictions(run_id, ${PREDICTION_COLUMNS}, created_at)`, 13, values);
  });
}

export interface StoredPredictionRow extends StoredPrediction {
  run_id: number;
  created_at: string | null;
}

export function predictionsOfSample(db: ReadableDB, sampleId: number): StoredPredictionRow[] {
  return statement<[number], StoredPredictionRow>(
    db,
    `SELECT run_id, ${PREDICTION_COLUMNS}, created_at FROM predictions WHERE sample_id = ? ORDER BY run_id DESC`,
  ).all(sampleId);
}

export interface RunSampleRow {
  sample_id: number;
  clip_name: string | null;
  clip_id: number | null;
  question: string;
  options: string;
  primitive: string | null;
  answer: string | null;
  output: string | null;
  prediction: string | null;
  accuracy: number | null;
  score: number | null;
  error: string | null;
  /** 1 when the sample has a prediction row in the run. */
  has_prediction: number;
}

/**
 * Only the run's items of one benchmark (and split), for an Evaluate cell opened in Inspect. A
 * sample that is several items (CameraBench VQA) is listed once. `isLegacyBinary`: the run's
 * binary questions that are no benchmark's item stand in for CameraBench binary items, their
 * primitive for the split (backend/evaluation scores such a run that way, db/evaluation.ts).
 */
export interface RunRowsBenchmark {
  benchmark: string;
  split?: string;
  isLegacyBinary?: boolean;
}

function runRowsSql(isFrozen: boolean, onlyWrong: boolean, benchmark: RunRowsBenchmark | undefined, select: string, tail: string): string {
  // A frozen run lists its samples in order, pending ones too; an imported run lists its predictions.
  const from = isFrozen
    ? `FROM run_samples rs JOIN samples s ON s.id = rs.sample_id
       LEFT JOIN predictions p ON p.run_id = rs.run_id AND p.sample_id = rs.sample_id
       LEFT JOIN clips c ON c.id = s.clip_id WHERE rs.run_id = $run`
    : `FROM predictions p JOIN samples s ON s.id = p.sample_id LEFT JOIN clips c ON c.id = s.clip_id WHERE p.run_id = $run`;
  const wrong = onlyWrong ? ' AND p.sample_id IS NOT NULL AND (p.error IS NOT NULL OR p.accuracy IS NULL OR p.accuracy < 1)' : '';
  let items = '';
  if (benchmark?.isLegacyBinary === true) {
    items = ` AND ${YES_NO_PRIMITIVE_SQL} AND ($split IS NULL OR s.primitive = $split)
      AND NOT EXISTS (SELECT 1 FROM benchmark_items b WHERE b.sample_id = s.id)`;
  } else if (benchmark !== undefined) {
    items = ' AND EXISTS (SELECT 1 FROM benchmark_items b WHERE b.sample_id = s.id AND b.benchmark = $benchmark AND ($split IS NULL OR b.split = $split))';
  }
  return `SELECT ${select} ${from}${wrong}${items} ${tail}`;
}

export function isFrozenRun(db: ReadableDB, runId: number): boolean {
  return statement<[number], { n: number }>(db, 'SELECT EXISTS(SELECT 1 FROM run_samples WHERE run_id = ?) AS n').get(runId)?.n === 1;
}

/** A page of the run's samples with what the model said, in run order; only one benchmark's items when `benchmark` is given. */
export function runSampleRows(
  db: ReadableDB,
  runId: number,
  options: { offset: number; limit: number; onlyWrong: boolean; benchmark?: RunRowsBenchmark },
): { total: number; rows: RunSampleRow[] } {
  const isFrozen = isFrozenRun(db, runId);
  const order = isFrozen ? 'ORDER BY rs.position' : 'ORDER BY p.sample_id';
  const { benchmark } = options;
  // better-sqlite3 ignores named parameters a statement does not use.
  const filter = { benchmark: benchmark?.benchmark ?? null, split: benchmark?.split ?? null };
  const total = statement<[Record<string, unknown>], { n: number }>(db, runRowsSql(isFrozen, options.onlyWrong, benchmark, 'count(*) AS n', ''))
    .get({ run: runId, ...filter })?.n ?? 0;
  const rows = statement<[Record<string, unknown>], RunSampleRow>(
    db,
    runRowsSql(
      isFrozen,
      options.onlyWrong,
      benchmark,
      `s.id AS sample_id, c.name AS clip_name, s.clip_id, s.question, s.options, s.primitive, s.answer,
       p.output, p.prediction, p.accuracy, p.score, p.error, p.sample_id IS NOT NULL AS has_prediction`,
      `${order} LIMIT $limit OFFSET $offset`,
    ),
  ).all({ run: runId, ...filter, limit: options.limit, offset: options.offset });
  return { total, rows };
}

export interface SnapshotRow {
  id: number;
  question: string;
  options: string;
  answer: string | null;
  /** The clip file's sha256; null without a clip or before it was probed. */
  content_hash: string | null;
  clip_id: number | null;
  problem_type: string;
}

/** What a run's snapshot hash covers, per sample (undefined: no such sample). */
export function snapshotRowOfSample(db: ReadableDB, sampleId: number): SnapshotRow | undefined {
  return statement<[number], SnapshotRow>(
    db,
    'SELECT s.id, s.question, s.options, s.answer, c.content_hash, s.clip_id, s.problem_type FROM samples s LEFT JOIN clips c ON c.id = s.clip_id WHERE s.id = ?',
  ).get(sampleId);
}

export function clipIdsOfRun(db: ReadableDB, runId: number): number[] {
  return statement<[number], { clip_id: number }>(
    db,
    'SELECT DISTINCT s.clip_id FROM run_samples rs JOIN samples s ON s.id = rs.sample_id WHERE rs.run_id = ? AND s.clip_id IS NOT NULL',
  ).all(runId).map((row) => row.clip_id);
}

/** Adds a sample at the end of a run's order (the Inspect view's asked-in-Inspect run); no-op when it is in already. */
export function appendRunSample(db: WritableDB, runId: number, sampleId: number): void {
  statement(
    db,
    'INSERT OR IGNORE INTO run_samples(run_id, position, sample_id) SELECT ?, coalesce(max(position) + 1, 0), ? FROM run_samples WHERE run_id = ?',
  ).run(runId, sampleId, runId);
}

/** The newest job that asked this run, if any: the run's state in the studio. */
export function latestJobOfRun(db: ReadableDB, runId: number): { id: number; state: string } | undefined {
  return statement<[number], { id: number; state: string }>(
    db,
    "SELECT id, state FROM jobs WHERE kind = 'infer' AND json_extract(params, '$.runId') = ? ORDER BY id DESC LIMIT 1",
  ).get(runId);
}

/** The run an 'infer' job asks. */
export function runOfJob(db: ReadableDB, jobId: number): number | null {
  const row = statement<[number], { run_id: number | null }>(db, "SELECT json_extract(params, '$.runId') AS run_id FROM jobs WHERE id = ? AND kind = 'infer'").get(jobId);
  return typeof row?.run_id === 'number' ? row.run_id : null;
}

export function predictionOfRunSample(db: ReadableDB, runId: number, sampleId: number): StoredPredictionRow | undefined {
  return statement<[number, number], StoredPredictionRow>(
    db,
    `SELECT run_id, ${PREDICTION_COLUMNS}, created_at FROM predictions WHERE run_id = ? AND sample_id = ?`,
  ).get(runId, sampleId);
}
