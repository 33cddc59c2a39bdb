// The cases tests/reference/evalBenchOracle.py ran through CamReasoner's eval_bench.py, and the
// file it wrote for each (tests/reference/eval-bench-results/<name>.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REFERENCE = join(__dirname, '..', 'reference');

export interface EvalBenchCase {
  name: string;
  about: string;
  input_json: string;
  model_path: string;
  batch_size: number;
  records: Array<Record<string, unknown>>;
  /** Each batch's generated texts, or "fail" for a batch whose generation raised. */
  batches: Array<string[] | 'fail'>;
}

export const EVAL_BENCH_CASES = JSON.parse(readFileSync(join(REFERENCE, 'eval-bench-cases.json'), 'utf8')) as EvalBenchCase[];

/** The model's text for each record; null where its batch failed (eval_bench then writes "<answer>ERROR</answer>"). */
export function caseTexts(entry: EvalBenchCase): Array<string | null> {
  return entry.batches.flatMap((batch) => (batch === 'fail' ? new Array<null>(entry.batch_size).fill(null) : batch)).slice(0, entry.records.length);
}

/** The file eval_bench wrote for the case, as text. */
export function caseExpected(entry: EvalBenchCase): string {
  return readFileSync(join(REFERENCE, 'eval-bench-results', `${entry.name}.json`), 'utf8');
}
