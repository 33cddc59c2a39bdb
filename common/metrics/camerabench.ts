// CameraBench binary classification, scored the way the official evaluator does it
// (linzhiqiu/t2v_metrics: camerabench/binary_classification_evaluation.py): one score file per
// split (primitive), average precision and ROC AUC per split, then mean and standard deviation
// over the splits, and the paper's Table-1 layout (CamReasoner, Table 1).
import { PRIMITIVES, primitiveInfo } from '../camerabench/primitives';
import type { Primitive } from '../camerabench/primitives';
import { numpyMean, numpyStd } from './numpySummation';
import { averagePrecision, rocAuc } from './ranking';
import type { BinaryLabel } from './ranking';

/** One row of a score file as binary_classification_vlm_scores.py writes it. */
export interface CameraBenchScoreRow {
  sample_id?: string | number;
  video_path: string;
  question: string;
  /** "Yes" or "No" from the JSONL `label`; compared case-insensitively. */
  ground_truth_label: string;
  method: string;
  /** P("Yes") for a model with probabilities, 1/0 for one that only emits letters. */
  score: number;
  /** Non-null rows (missing video, failed call) are left out; the writer sets their score to 0. */
  error: string | null;
}

export interface CameraBenchScoreMetadata {
  method_type?: string;
  model_name?: string;
  checkpoint?: string | null;
  split_name?: string;
  generation_timestamp?: string;
  [key: string]: unknown;
}

export interface CameraBenchScoreFile {
  metadata?: CameraBenchScoreMetadata;
  scores: readonly CameraBenchScoreRow[];
}

export interface CameraBenchSplitResult {
  average_precision: number;
  roc_auc: number;
  num_samples: number;
  num_positive: number;
  num_negative: number;
  positive_ratio: number;
  split_name: string;
}

/** compute_binary_classification_metrics maps NaN and ±inf to this before ranking. */
const NON_FINITE_SCORE = -1e10;

/**
 * `evaluate_single_file` for one parsed score file; null where the evaluator returns None (no row
 * without an error). `fallbackSplitName` stands in for the file stem the evaluator falls back to.
 *
 * Kept from the evaluator on purpose, though they differ from sklearn: a split with one class
 * only scores AP 0 and AUC 0 (sklearn would give AP 0 or 1 and an undefined AUC).
 * Differences, both deliberate: `positive_ratio` is filled in for a one-class split too (the
 * evaluator leaves the key out there), and an explicit `split_name: null` falls back like a
 * missing one (Python's `dict.get` would keep the None).
 */
export function evaluateScoreFile(file: CameraBenchScoreFile, fallbackSplitName: string): CameraBenchSplitResult | null {
  const rows = file.scores.filter((row) => row.error === null);
  if (rows.length === 0) return null;
  const labels = rows.map((row): BinaryLabel => (row.ground_truth_label.toLowerCase() === 'yes' ? 1 : 0));
  const scores = rows.map((row) => (Number.isFinite(row.score) ? row.score : NON_FINITE_SCORE));
  const numPositive = labels.filter((label) => label === 1).length;
  const numNegative = labels.length - numPositive;
  const isOneClass = numPositive === 0 || numNegative === 0;
  return {
    average_precision: isOneClass ? 0 : averagePrecision(labels, scores),
    roc_auc: isOneClass ? 0 : (rocAuc(labels, scores) ?? 0),
    num_samples: rows.length,
    num_positive: numPositive,
    num_negative: numNegative,
    positive_ratio: numPositive / rows.length,
    split_name: file.metadata?.split_name ?? fallbackSplitName,
  };
}

export interface SplitMetrics {
  average_precision: number;
  roc_auc: number;
}

export interface SplitSummary {
  mean_average_precision: number;
  std_average_precision: number;
  mean_roc_auc: number;
  std_roc_auc: number;
  evaluated_splits: number;
}

/**
 * `save_evaluation_results`' overall_statistics: np.mean and np.std (population, ddof 0) over
 * the evaluated splits, std 0 for a single split; null for none (the evaluator writes null).
 * Null entries (splits that could not be evaluated) are skipped, as the evaluator skips None.
 */
export function summarizeSplits(results: readonly (SplitMetrics | null)[]): SplitSummary | null {
  const evaluated = results.filter((result): result is SplitMetrics => result !== null);
  if (evaluated.length === 0) return null;
  const precisions = evaluated.map((result) => result.average_precision);
  const aucs = evaluated.map((result) => result.roc_auc);
  return {
    mean_average_precision: numpyMean(precisions),
    std_average_precision: evaluated.length > 1 ? numpyStd(precisions) : 0,
    mean_roc_auc: numpyMean(aucs),
    std_roc_auc: evaluated.length > 1 ? numpyStd(aucs) : 0,
    evaluated_splits: evaluated.length,
  };
}

export interface Table1Column {
  name: Primitive | 'Mean';
  /** Column heading: the JSONL task ("Move In") or "Mean". */
  heading: string;
  /** Film-grammar label ("dolly in"); "" for the mean. */
  label: string;
  /** Fractions in [0, 1]; null where the primitive has no result. */
  average_precision: number | null;
  roc_auc: number | null;
}

/**
 * Table-1 columns in PRIMITIVES order, then "Mean". The mean is np.mean over the primitives that
 * have a result (the evaluator's mean over evaluated splits), null when none has.
 */
export function table1(resultsByPrimitive: Partial<Record<Primitive, SplitMetrics>>): Table1Column[] {
  const columns = PRIMITIVES.map((primitive): Table1Column => {
    const result = resultsByPrimitive[primitive];
    const info = primitiveInfo(primitive);
    return {
      name: primitive,
      heading: info.task,
      label: info.label,
      average_precision: result?.average_precision ?? null,
      roc_auc: result?.roc_auc ?? null,
    };
  });
  const summary = summarizeSplits(columns.map((column) => (column.average_precision === null || column.roc_auc === null
    ? null
    : { average_precision: column.average_precision, roc_auc: column.roc_auc })));
  columns.push({
    name: 'Mean',
    heading: 'Mean',
    label: '',
    average_precision: summary?.mean_average_precision ?? null,
    roc_auc: summary?.mean_roc_auc ?? null,
  });
  return columns;
}

/**
 * A fraction as a percentage with one decimal, rounded like Python's `format(x * 100, '.1f')`:
 * to the nearest, exact ties to even. `toFixed` resolves exact ties upwards, so ties are
 * detected on the exact decimal expansion of the double (toFixed(100) prints it whole).
 */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  const [whole = '', decimals = ''] = percent.toFixed(100).split('.');
  const isTie = decimals[1] === '5' && /^0*$/.test(decimals.slice(2));
  const tenths = Number(decimals[0]);
  if (isTie && percent >= 0 && tenths % 2 === 0) return `${whole}.${tenths}`;
  return percent.toFixed(1);
}

/**
 * Table 1 as fixed-width text: a heading row and one row of percentages (12.2, 78.4), each column
 * right-aligned to its widest cell, columns two spaces apart; "-" where a primitive is missing.
 */
export function formatTable1(table: readonly Table1Column[], metric: 'ap' | 'auc'): string {
  const cells = table.map((column) => {
    const value = metric === 'ap' ? column.average_precision : column.roc_auc;
    return { heading: column.heading, value: value === null ? '-' : formatPercent(value) };
  });
  const widths = cells.map((cell) => Math.max(cell.heading.length, cell.value.length));
  const row = (pick: (cell: { heading: string; value: string }) => string): string =>
    cells.map((cell, index) => pick(cell).padStart(widths[index] ?? 0)).join('  ');
  return `${row((cell) => cell.heading)}\n${row((cell) => cell.value)}\n`;
}
