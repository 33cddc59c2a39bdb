import type { ReadableDB } from './connection';
import { statement } from './statements';

export interface RunRow {
  id: number;
  kind: string;
  model: string;
  source_id: number | null;
  meta: string;
  created_at: string;
}

export interface PredictionRow {
  sample_id: number;
  output: string | null;
  prediction: string | null;
  accuracy: number | null;
  score: number | null;
  error: string | null;
}

export function listRuns(db: ReadableDB): RunRow[] {
  return statement<[], RunRow>(db, 'SELECT * FROM runs ORDER BY id').all();
}

export function getRun(db: ReadableDB, id: number): RunRow | undefined {
  return statement<[number], RunRow>(db, 'SELECT * FROM runs WHERE id = ?').get(id);
}

export function predictionsOfRun(db: ReadableDB, runId: number): PredictionRow[] {
  return statement<[number], PredictionRow>(
    db,
    'SELECT sample_id, output, prediction, accuracy, score, error FROM predictions WHERE run_id = ? ORDER BY sample_id',
  ).all(runId);
}

/** A Frustum inference run's frozen sample order (migration 9); empty for an imported run. */
export function runSampleOrder(db: ReadableDB, runId: number): number[] {
  return statement<[number], { sample_id: number }>(db, 'SELECT sample_id FROM run_samples WHERE run_id = ? ORDER BY position')
    .all(runId)
    .map((row) => row.sample_id);
}
