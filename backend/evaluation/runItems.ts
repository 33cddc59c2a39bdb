// What every benchmark's scoring reads the same way: a run's item with what the model said
// (pending, failed, answered), the answer CamReasoner's evaluator grades, and the cells a table
// is made of. The benchmark modules beside this file (binary, vqa, captions, shotBench) build
// their reports from these.
import type { BenchmarkName, EvalCellLink, EvalReport, EvalTable } from '../../common/api/contract';
import { letterOfOption, yesNoOfOption } from '../../common/camerabench/primitives';
import { parseStringArray } from '../../common/formats/jsonText';
import { formatPercent } from '../../common/metrics/camerabench';
import { numpyMean } from '../../common/metrics/numpySummation';
import { multipleChoiceAccuracy, predictionOf } from '../../common/ota/evalAccuracy';
import { firstCodePoint, pyStrip, pyUpper } from '../../common/python';
import type { RunItemRow } from '../../db/evaluation';

export type EvalCell = NonNullable<EvalTable['rows'][number]['cells'][number]>;
export type EvalRow = EvalTable['rows'][number];

/** The run being scored, as its rows and cells name it. */
export interface RunInfo {
  id: number;
  model: string;
  /** runs.kind: 'scores' is an imported CameraBench score file, whose scores are whatever its method wrote. */
  kind?: string;
}

/** "Run 3 (CamReasoner-7B)": a long model (a built-in checkpoint's path) keeps its end. */
export function runLabel(run: RunInfo): string {
  const model = run.model.length > 48 ? `…${run.model.slice(-47)}` : run.model;
  return `Run ${run.id} (${model})`;
}

export type ItemState = 'pending' | 'failed' | 'answered';

/** No prediction yet (a run still going or stopped); a prediction with an error (a failed request); else answered. */
export function itemState(row: RunItemRow): ItemState {
  if (row.has_prediction === 0) return 'pending';
  return row.error !== null ? 'failed' : 'answered';
}

export function optionsOf(row: RunItemRow): string[] {
  return parseStringArray(row.options) ?? [];
}

/** The model's text as eval_bench grades it: its whole output, else the stored prediction; null for a score-only prediction. */
export function answerText(row: RunItemRow): string | null {
  return row.output ?? row.prediction;
}

/** eval_bench's `prediction`: the answer tag's text, else the whole output (null without any text). */
export function predictionText(row: RunItemRow): string | null {
  const text = answerText(row);
  return text === null ? null : predictionOf(text);
}

/** The letter the evaluator compares: `prediction.strip()[:1].upper()`; '' without text. */
export function answerLetter(row: RunItemRow): string {
  const prediction = predictionText(row);
  return prediction === null ? '' : pyUpper(firstCodePoint(pyStrip(prediction)));
}

/**
 * CamReasoner's eval_bench accuracy (multiple choice) of the item: 1/0 by the first letter; a
 * failed generation is graded as the "<answer>ERROR</answer>" eval_bench writes for it (so it
 * counts right where the reference is E, as there); null when pending, without a reference
 * letter, or with no text at all (a score file's prediction).
 */
export function evalBenchAccuracy(row: RunItemRow, reference: string | null = row.answer): 0 | 1 | null {
  if (reference === null) return null;
  const solution = `<answer>${reference}</answer>`;
  switch (itemState(row)) {
    case 'pending':
      return null;
    case 'failed':
      return multipleChoiceAccuracy('<answer>ERROR</answer>', solution);
    case 'answered': {
      const text = answerText(row);
      return text === null ? null : multipleChoiceAccuracy(text, solution);
    }
  }
}

/** "yes"/"no" of the reference option (the option whose letter is the sample's answer). */
export function referenceYesNo(row: RunItemRow): 'yes' | 'no' | null {
  const option = optionsOf(row).find((text) => letterOfOption(text) === row.answer);
  return option === undefined ? null : yesNoOfOption(option);
}

/** "yes"/"no" of the option the model chose by letter; null when the letter names no Yes/No option. */
export function chosenYesNo(row: RunItemRow): 'yes' | 'no' | null {
  const letter = answerLetter(row);
  const option = optionsOf(row).find((text) => letterOfOption(text) === letter);
  return option === undefined ? null : yesNoOfOption(option);
}

/** Where an answered item's score comes from, summed over a report's items. */
export function scoreSourceOf(probabilities: number, answers: number): EvalReport['scoreSource'] {
  if (probabilities > 0 && answers > 0) return 'mixed';
  if (probabilities > 0) return 'probabilities';
  if (answers > 0) return 'answers';
  return 'not-applicable';
}

/** How a row says where its scores come from. */
export function scoreSourceText(probabilities: number, answers: number, run?: RunInfo): string {
  const probability = run?.kind === 'scores' ? "the score file's score" : 'P(Yes) at the answer token';
  if (probabilities > 0 && answers > 0) return `score = ${probability} for ${probabilities} items, the answer (Yes 1, No 0) for ${answers} without one`;
  if (probabilities > 0) return `score = ${probability}`;
  if (answers > 0) return 'score = the answer (Yes 1, No 0): the run has no log-probs';
  return 'no scored items';
}

export function linkOf(runId: number, benchmark: BenchmarkName, split?: string): EvalCellLink {
  return split === undefined ? { runId, benchmark } : { runId, benchmark, split };
}

/** A fraction shown as the papers print it (78.4); null stays an empty cell. NaN never reaches the contract. */
export function percentCell(value: number | null | undefined, n?: number, link?: EvalCellLink): EvalCell | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return { value, display: formatPercent(value), ...(n !== undefined ? { n } : {}), ...(link !== undefined ? { link } : {}) };
}

/** A fraction shown with four decimals, as CameraBench's caption evaluator's numbers are read (0.4123). */
export function fractionCell(value: number | null | undefined, n?: number, link?: EvalCellLink): EvalCell | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return { value, display: value.toFixed(4), ...(n !== undefined ? { n } : {}), ...(link !== undefined ? { link } : {}) };
}

export function countCell(value: number, link?: EvalCellLink): EvalCell {
  return { value, display: String(value), n: value, ...(link !== undefined ? { link } : {}) };
}

/** Counts of a report's items by state, for its `items`/`answered` and its notes. */
export function stateCounts(rows: readonly RunItemRow[]): { items: number; answered: number; failed: number; pending: number } {
  let answered = 0;
  let failed = 0;
  let pending = 0;
  for (const row of rows) {
    const state = itemState(row);
    if (state === 'answered') answered += 1;
    else if (state === 'failed') failed += 1;
    else pending += 1;
  }
  return { items: rows.length, answered, failed, pending };
}

/** The notes every report has about items that were not answered. */
export function stateNotes(counts: ReturnType<typeof stateCounts>, failedMeans: string): string[] {
  const notes: string[] = [];
  if (counts.pending > 0) notes.push(`${counts.pending} of ${counts.items} items have no prediction yet (the run is going or was stopped): left out of every number.`);
  if (counts.failed > 0) notes.push(`${counts.failed} items failed (no answer from the model): ${failedMeans}`);
  return notes;
}

/** np.mean of the values (the evaluators' own averaging); null for none. */
export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : numpyMean(values);
}
