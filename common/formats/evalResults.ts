// CamReasoner's evaluator output file, written as its evaluator writes it: Inference/infer/
// eval_bench.py (wuhang03/CamReasoner @ 8b71188, the blob last changed in 6b931c7;
// ../shared/data/evaluation.md §4.4; tests/reference/evalBenchOracle.py runs it). Each
// result is the input record (`sample_out = dict(example)`) with "output", "prediction" and
// "accuracy" assigned in that order: a key the record already has (the evaluation files carry
// `"output": []`) keeps its place, as in a Python dict; the others are appended. The file is
// `json.dump({"results", "metrics", "meta"}, f, indent=2, ensure_ascii=False)`, with no newline
// at the end.
import { multipleChoiceAccuracy, predictionOf } from '../ota/evalAccuracy';
import { pyLower, pyStrip } from '../python';
import { objectMembers } from './jsonText';
import { PyFloat, pyDumps, pyString, type PyJsonStyle, type PyJsonValue } from './pyjson';

/** What eval_bench writes as the text of every sample of a batch whose generation failed. */
export const ERROR_OUTPUT = '<answer>ERROR</answer>';

const RESULTS_STYLE: PyJsonStyle = { indent: 2, ensureAscii: false };

/** Spaces before a result's members: the record sits in "results" (level 1), in the file's object. */
const RESULT_MEMBER_INDENT = ' '.repeat(6);

/** The keys eval_bench sets on a result, in the order it sets them. */
export interface EvaluatorFields {
  /** Absent: keep the record's own "output" (an imported result whose output was not text). */
  output?: string;
  prediction: string;
  /** Only for problem type "segmentation": eval_bench copies the prediction here. */
  predicted_answer_norm?: string;
  accuracy: PyFloat;
}

/** `(problem_type or "").strip().lower()`, as accuracy_only dispatches on it. */
function problemTypeKey(record: Readonly<Record<string, unknown>>): string {
  return pyLower(pyStrip(problemTypeOf(record)));
}

function problemTypeOf(record: Readonly<Record<string, unknown>>): string {
  const value = record['problem_type'];
  return typeof value === 'string' ? value : '';
}

/** accuracy_only's problem types that Frustum does not score (camera-motion questions are multiple choice). */
const UNPORTED_TYPES: ReadonlySet<string> = new Set([
  'numerical',
  'regression',
  'ocr',
  'open-ended',
  'math',
  'temporal grounding',
  'spatial grounding',
  'spatial-temporal grounding',
  'tracking',
]);

/**
 * The fields eval_bench adds to `record` for the model's text `output`: `prediction =
 * extract_answer(output)` and `accuracy_only`'s score as a float: for multiple choice the
 * first-letter match against the record's own "solution"; 0.0 for "segmentation" and for a type
 * it does not know. Its other types (numerical, OCR, grounding…) are not ported: for those
 * `unportedAccuracy`, the accuracy the run stored, is written. A failed generation is passed as
 * ERROR_OUTPUT and scored like any other text, as eval_bench scores it ("E" matches a solution E).
 */
export function evaluatorFields(record: Readonly<Record<string, unknown>>, output: string, unportedAccuracy: number): EvaluatorFields {
  const prediction = predictionOf(output);
  const solution = record['solution'];
  const type = problemTypeKey(record);
  const accuracy =
    type === 'multiple choice' ? multipleChoiceAccuracy(output, typeof solution === 'string' ? solution : '') : UNPORTED_TYPES.has(type) ? unportedAccuracy : 0;
  return { output, prediction, ...(type === 'segmentation' ? { predicted_answer_norm: prediction } : {}), accuracy: new PyFloat(accuracy) };
}

/** Fields for a result whose output is kept as the record holds it, with the run's own prediction and accuracy. */
export function keptOutputFields(record: Readonly<Record<string, unknown>>, prediction: string, accuracy: number): EvaluatorFields {
  return { prediction, ...(problemTypeKey(record) === 'segmentation' ? { predicted_answer_norm: prediction } : {}), accuracy: new PyFloat(accuracy) };
}

/**
 * finalize_metrics over the results in file order: "overall/acc" is the float sum of the
 * accuracies divided by max(1, count), unrounded; then "<problem type>/acc" per
 * `(problem_type or "").strip()`, in the order the types first appear. The per-component means
 * and recalls it adds for grounding tasks never arise for multiple choice and are not written.
 */
export function resultsMetrics(results: ReadonlyArray<{ record: Readonly<Record<string, unknown>>; accuracy: number }>): Record<string, PyFloat> {
  let sum = 0;
  const perType = new Map<string, { sum: number; count: number }>();
  for (const { record, accuracy } of results) {
    sum += accuracy;
    const key = pyStrip(problemTypeOf(record));
    const type = perType.get(key) ?? { sum: 0, count: 0 };
    type.sum += accuracy;
    type.count += 1;
    perType.set(key, type);
  }
  const metrics: Record<string, PyFloat> = { 'overall/acc': new PyFloat(sum / Math.max(1, results.length)) };
  // Assignment, as Python's `out[...] = …`: a type named "overall" overwrites the value in place.
  for (const [key, type] of perType) metrics[`${key}/acc`] = new PyFloat(type.sum / Math.max(1, type.count));
  return metrics;
}

/** A result's text at its place in the file, from the record's value. */
export function dumpResult(record: Readonly<Record<string, unknown>>, fields: EvaluatorFields): string {
  return nested(pyDumps({ ...(record as Record<string, PyJsonValue>), ...fields }, RESULTS_STYLE), 2);
}

/**
 * A result's text from the record's text as imported, every other byte kept (a float written
 * 2.0 stays 2.0): `raw` must be written with indent=2 and Python's separators, at `depth` (1 in
 * an evaluation file's array, 2 in a results file). The fields' values are replaced where the
 * record has the key and appended after its last member otherwise. Null when the text is not
 * laid out as json.dump lays it out, so the caller dumps the value instead.
 */
export function spliceResult(raw: string, depth: number, fields: EvaluatorFields): string | null {
  if (depth !== 1 && depth !== 2) return null;
  // JSON text holds no raw newline inside a string, so every newline starts an indented line.
  const text = nested(raw, 2 - depth);
  const members = objectMembers(text);
  const last = members?.at(-1);
  if (!members || last === undefined) return null;
  let previousEnd = 0;
  for (const member of members) {
    const expected = `${previousEnd === 0 ? '{' : ','}\n${RESULT_MEMBER_INDENT}`;
    if (text.slice(previousEnd, member.keyStart) !== expected) return null;
    previousEnd = member.valueEnd;
  }
  if (text.slice(last.valueEnd) !== '\n    }') return null;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let appended = '';
  for (const [key, value] of Object.entries(fields) as Array<[string, PyJsonValue | undefined]>) {
    if (value === undefined) continue;
    const valueText = typeof value === 'string' ? pyString(value, false) : pyDumps(value, RESULTS_STYLE);
    const member = members.find((candidate) => candidate.key === key);
    if (member) edits.push({ start: member.valueStart, end: member.valueEnd, text: valueText });
    else appended += `,\n${RESULT_MEMBER_INDENT}${pyString(key, false)}: ${valueText}`;
  }
  edits.push({ start: last.valueEnd, end: last.valueEnd, text: appended });
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The whole file from its results' texts (each at its place, see spliceResult) and meta's text (at level 1). */
export function resultsFileText(resultTexts: readonly string[], metrics: Record<string, PyFloat>, metaText: string): string {
  const results = resultTexts.length === 0 ? '[]' : `[\n    ${resultTexts.join(',\n    ')}\n  ]`;
  return `{\n  "results": ${results},\n  "metrics": ${nested(pyDumps(metrics, RESULTS_STYLE), 1)},\n  "meta": ${metaText}\n}`;
}

/** A meta object's text at level 1 of the file. */
export function dumpMeta(meta: Readonly<Record<string, unknown>>): string {
  return nested(pyDumps(meta as Record<string, PyJsonValue>, RESULTS_STYLE), 1);
}

/** Text dumped with indent=2 at level 0, moved `levels` deeper. */
function nested(text: string, levels: number): string {
  return levels === 0 ? text : text.replace(/\n/g, `\n${'  '.repeat(levels)}`);
}
