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
