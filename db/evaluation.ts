// Reads for scoring a run as each benchmark scores it (backend/evaluation): a run's benchmark
// items with what the model said about each, the binary questions of projects imported before
// benchmark items existed, and where an imported run came from. The items themselves are
// written by the import (db/imports.ts) and read in general by db/benchmarks.ts.
import type { ReadableDB } from './connection';
import { statement } from './statements';

/** One benchmark item of a run, with its sample, its clip and the run's prediction (null columns when pending). */
export interface RunItemRow {
  /** benchmark_items.id; null for a legacy binary question (no item row). */
  item_id: number | null;
  item_key: string | null;
  sample_id: number;
  split: string;
  task: string | null;
  group_key: string | null;
  role: string | null;
  reference: string | null;
  /** benchmark_items.meta, parsed ({} for a legacy binary question). */
  meta: Record<string, unknown>;
  question: string;
  /** A JSON array, as stored. */
  options: string;
  problem_type: string;
  answer: string | null;
  problem_id: string | null;
  primitive: string | null;
  clip_id: number | null;
  clip_name: string | null;
  output: string | null;
  prediction: string | null;
  accuracy: number | null;
  /** P(Yes) at the answer token (Frustum's runs with log-probs), or a score file's score. */
  score: number | null;
  error: string | null;
  /** 1 when the run holds a prediction for the sample (answered or failed). */
  has_prediction: number;
}

type StoredRunItemRow = Omit<RunItemRow, 'meta'> & { meta: string };

// A run's samples: its frozen order (Frustum's runs) and its predictions (imported runs, which
// have no frozen order). The union of the two, so that either kind reads the same way.
const RUN_SET = `run_set(sample_id) AS (
  SELECT sample_id FROM run_samples WHERE run_id = $run
  UNION SELECT sample_id FROM predictions WHERE run_id = $run)`;

const SAMPLE_AND_PREDICTION = `s.question, s.options, s.problem_type, s.answer, s.problem_id, s.primitive, s.clip_id, c.name AS clip_name,
       p.output, p.prediction, p.accuracy, p.score, p.error, p.sample_id IS NOT NULL AS has_prediction`;

/**
 * Whether a sample is a binary Yes/No question about a primitive: a primitive, and exactly two
 * options whose texts are Yes and No (the test of migration 1's clip_primitive_labels view).
 */
export const YES_NO_PRIMITIVE_SQL = `(s.primitive IS NOT NULL AND json_array_length(s.options) = 2
   AND (SELECT count(*) FROM json_each(s.options) o WHERE lower(trim(substr(o.value, 3))) IN ('yes', 'no')) = 2)`;

/** The run's items of one benchmark in import order (a VQA pair's four roles in sequence), each with the run's prediction. */
export function runItemsOfBenchmark(db: ReadableDB, runId: number, benchmark: string): RunItemRow[] {
  return statement<[{ run: number; benchmark: string }], StoredRunItemRow>(
    db,
    `WITH ${RUN_SET}
     SELECT b.id AS item_id, b.item_key, b.sample_id, b.split, b.task, b.group_key, b.role, b.reference, b.meta,
            ${SAMPLE_AND_PREDICTION}
       FROM benchmark_items b
       JOIN run_set r ON r.sample_id = b.sample_id
       JOIN samples s ON s.id = b.sample_id
       LEFT JOIN clips c ON c.id = s.clip_id
       LEFT JOIN predictions p ON p.run_id = $run AND p.sample_id = b.sample_id
      WHERE b.benchmark = $benchmark
      ORDER BY b.id`,
  ).all({ run: runId, benchmark }).map((row) => ({ ...row, meta: JSON.parse(row.meta) as Record<string, unknown> }));
}

/**
 * The run's binary Yes/No questions about a primitive that are no benchmark's item (projects
 * imported before migration 10, the demo's synthetic clips): CameraBench binary questions in all
 * but name, their split the primitive. In sample order.
 */
export function runLegacyBinaryItems(db: ReadableDB, runId: number): RunItemRow[] {
  return statement<[{ run: number }], Omit<RunItemRow, 'meta'>>(
    db,
    `WITH ${RUN_SET}
     SELECT NULL AS item_id, NULL AS item_key, s.id AS sample_id, s.primitive AS split, NULL AS task, NULL AS group_key, NULL AS role,
            NULL AS reference, ${SAMPLE_AND_PREDICTION}
       FROM run_set r
       JOIN samples s ON s.id = r.sample_id
       LEFT JOIN clips c ON c.id = s.clip_id
       LEFT JOIN predictions p ON p.run_id = $run AND p.sample_id = s.id
      WHERE ${YES_NO_PRIMITIVE_SQL}
        AND NOT EXISTS (SELECT 1 FROM benchmark_items b WHERE b.sample_id = s.id)
      ORDER BY s.id`,
  ).all({ run: runId }).map((row) => ({ ...row, meta: {} }));
}

/** How many items of each benchmark the run holds, benchmarks in name order. */
export function runBenchmarkCounts(db: ReadableDB, runId: number): Array<{ benchmark: string; items: number }> {
  return statement<[{ run: number }], { benchmark: string; items: number }>(
    db,
    `WITH ${RUN_SET}
     SELECT b.benchmark, count(*) AS items FROM benchmark_items b JOIN run_set r ON r.sample_id = b.sample_id
      GROUP BY b.benchmark ORDER BY b.benchmark`,
  ).all({ run: runId });
}

/** Whether the run holds any binary question that is no benchmark's item (see runLegacyBinaryItems). */
export function hasLegacyBinaryItems(db: ReadableDB, runId: number): boolean {
  return statement<[{ run: number }], { found: number }>(
    db,
    `WITH ${RUN_SET}
     SELECT EXISTS (SELECT 1 FROM run_set r JOIN samples s ON s.id = r.sample_id
                     WHERE ${YES_NO_PRIMITIVE_SQL} AND NOT EXISTS (SELECT 1 FROM benchmark_items b WHERE b.sample_id = s.id)) AS found`,
  ).get({ run: runId })?.found === 1;
}

/** The project's binary questions that are no benchmark's item, per primitive (primitive order by name). */
export function legacyBinarySummary(db: ReadableDB): Array<{ split: string; items: number }> {
  return statement<[], { split: string; items: number }>(
    db,
    `SELECT s.primitive AS split, count(*) AS items FROM samples s
      WHERE ${YES_NO_PRIMITIVE_SQL} AND NOT EXISTS (SELECT 1 FROM benchmark_items b WHERE b.sample_id = s.id)
      GROUP BY s.primitive ORDER BY s.primitive`,
  ).all();
}

/** The file an imported run came from (runs.source_id → sources.path); null for Frustum's own runs. */
export function sourcePathOfRun(db: ReadableDB, runId: number): string | null {
  return statement<[number], { path: string }>(db, 'SELECT so.path FROM runs r JOIN sources so ON so.id = r.source_id WHERE r.id = ?').get(runId)?.path ?? null;
}
