// Runs for scoring tests: a Frustum inference run stored the way runInference stores one (frozen
// order, predictions with eval_bench's prediction and accuracy), with the answers a test plans,
// so the Evaluate report is tested end to end on a real project without asking a model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalReport, EvalTable } from '../../common/api/contract';
import { multipleChoiceAccuracy, predictionOf } from '../../common/ota/evalAccuracy';
import type { WritableDB } from '../../db/connection';
import { insertInferenceRun, savePredictions } from '../../db/inference';

export interface PlannedAnswer {
  sampleId: number;
  /** The model's whole output; null for a score-only prediction. */
  output?: string | null;
  /** P(Yes) at the answer token. */
  score?: number | null;
  /** A failed request. */
  error?: string;
  /** In the run's order but never answered. */
  isPending?: boolean;
}

/** Stores a run of these answers (in this order) and returns its id. */
export function addRun(db: WritableDB, model: string, answers: readonly PlannedAnswer[], meta: unknown = {}): number {
  const runId = insertInferenceRun(db, { model, meta: JSON.stringify(meta), sampleIds: answers.map((answer) => answer.sampleId) });
  const referenceOf = db.prepare('SELECT answer FROM samples WHERE id = ?');
  savePredictions(db, runId, answers.filter((answer) => answer.isPending !== true).map((answer) => {
    const output = answer.error !== undefined ? null : (answer.output ?? null);
    const reference = (referenceOf.get(answer.sampleId) as { answer: string | null } | undefined)?.answer ?? null;
    return {
      sample_id: answer.sampleId,
      output,
      prediction: output === null ? null : predictionOf(output),
      accuracy: output === null || reference === null ? null : multipleChoiceAccuracy(output, `<answer>${reference}</answer>`),
      score: answer.score ?? null,
      error: answer.error ?? null,
      frames: null,
      completion_tokens: null,
      first_token_ms: null,
      duration_ms: null,
      finish_reason: answer.error !== undefined ? null : 'stop',
    };
  }));
  return runId;
}

/** `<answer>X</answer>` in CamReasoner's O-T-A form. */
export function ota(letter: string): string {
  return `<observation>The frames shift.</observation>\n<think>So it is ${letter}.</think>\n<answer>${letter}</answer>`;
}

/** Writes JSON Lines and returns the path. */
export function writeJsonl(folder: string, name: string, records: readonly unknown[]): string {
  const path = join(folder, name);
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return path;
}

/** The sample ids of a benchmark's items, in import order. */
export function itemSampleIds(db: WritableDB, benchmark: string): number[] {
  return (db.prepare('SELECT sample_id FROM benchmark_items WHERE benchmark = ? ORDER BY id').all(benchmark) as Array<{ sample_id: number }>).map((row) => row.sample_id);
}

/** A report's table by id. */
export function tableOf(report: EvalReport | undefined, id: string): EvalTable {
  const table = report?.tables.find((candidate) => candidate.id === id);
  if (table === undefined) throw new Error(`no table ${id}`);
  return table;
}

/** The cell of the row whose label starts with `label`, in the column `key`. */
export function cellOf(table: EvalTable, label: string, key: string) {
  const row = table.rows.find((candidate) => candidate.label.startsWith(label));
  if (row === undefined) throw new Error(`no row ${label} in ${table.id}: ${table.rows.map((candidate) => candidate.label).join(' | ')}`);
  const column = table.columns.findIndex((candidate) => candidate.key === key);
  if (column === -1) throw new Error(`no column ${key} in ${table.id}`);
  return row.cells[column] ?? null;
}
