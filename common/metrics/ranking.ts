// Ranking metrics for binary labels, computed exactly as scikit-learn computes them (checked
// against scikit-learn 1.6.1 and 1.9.1, sklearn/metrics/_ranking.py), down to the order of the
// floating-point operations, so CameraBench numbers match the official evaluator bit for bit.
//
// Both metrics start from `_binary_clf_curve`: sort the scores in descending order, and put a
// threshold only where the score changes, so tied scores enter together (one threshold per
// distinct score). At threshold i, tps_i = positives with score >= threshold and fps_i = the
// rest of those samples; counts are integers, so they are exact in float64.
import { numpySum } from './numpySummation';

export type BinaryLabel = 0 | 1;

interface ThresholdCounts {
  /** True positives at each distinct threshold, thresholds in descending score order. */
  truePositives: number[];
  /** False positives at the same thresholds. */
  falsePositives: number[];
}

function checkInputs(labels: readonly BinaryLabel[], scores: readonly number[], metric: string): void {
  if (labels.length !== scores.length) {
    throw new RangeError(`${metric}: ${labels.length} labels but ${scores.length} scores`);
  }
  // scikit-learn raises on both (an empty y_true fails inside _binary_clf_curve; check_array
  // rejects NaN and ±Infinity). The CameraBench evaluator maps non-finite scores to -1e10 first.
  if (labels.length === 0) throw new RangeError(`${metric}: no samples`);
  const badIndex = scores.findIndex((score) => !Number.isFinite(score));
  if (badIndex !== -1) throw new RangeError(`${metric}: score ${badIndex} is not finite (${scores[badIndex]})`);
}

function thresholdCounts(labels: readonly BinaryLabel[], scores: readonly number[]): ThresholdCounts {
  // Order inside a group of tied scores does not matter: only the counts at the group's last
  // sample are kept, and they include the whole group.
  const order = scores.map((_, index) => index).sort((left, right) => (scores[right] ?? 0) - (scores[left] ?? 0));
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let positives = 0;
  order.forEach((sampleIndex, rank) => {
    positives += labels[sampleIndex] ?? 0;
    const nextIndex = order[rank + 1];
    // A threshold closes where np.diff(sorted scores) is non-zero, and at the last sample.
    if (nextIndex === undefined || scores[nextIndex] !== scores[sampleIndex]) {
      truePositives.push(positives);
      falsePositives.push(rank + 1 - positives);
    }
  });
  return { truePositives, falsePositives };
}

/**
 * `sklearn.metrics.average_precision_score(labels, scores)` for binary labels:
 * AP = Σ_n (R_n − R_{n−1}) · P_n over the distinct thresholds, a step function with no
 * interpolation.
 *
 * As sklearn evaluates it: precision_recall_curve returns precision P_i = tps_i / (tps_i +
 * fps_i) and recall R_i = tps_i / tps_last, both reversed (lowest threshold first) with a final
 * (R = 0, P = 1) point appended; AP = max(0, −np.sum(np.diff(recall) · precision[:−1])). The
 * terms are summed in that reversed order with NumPy's pairwise summation, as here.
 *
 * One class only (sklearn warns, does not raise):
 * - no positives: recall is set to 1 at every threshold, so the reversed recall is
 *   [1, …, 1, 0] and only the last step is non-zero: (0 − 1) · P at the highest threshold, where
 *   tps = 0, so P = 0 and AP = max(0, −(−1 · 0)) = 0;
 * - no negatives: precision is 1 at every threshold and the recall steps add up to 1, so AP = 1.
 *
 * Throws a RangeError for mismatched lengths, no samples or a non-finite score (sklearn raises).
 */
export function averagePrecision(labels: readonly BinaryLabel[], scores: readonly number[]): number {
  checkInputs(labels, scores, 'averagePrecision');
  const { truePositives, falsePositives } = thresholdCounts(labels, scores);
  const totalPositives = truePositives[truePositives.length - 1] ?? 0;
  const precision = truePositives.map((tps, index) => tps / (tps + (falsePositives[index] ?? 0)));
  const recall = truePositives.map((tps) => (totalPositives === 0 ? 1 : tps / totalPositives));
  const reversedPrecision = [...precision.reverse(), 1];
  const reversedRecall = [...recall.reverse(), 0];
  const terms = reversedPrecision
    .slice(0, -1)
    .map((value, index) => ((reversedRecall[index + 1] ?? 0) - (reversedRecall[index] ?? 0)) * value);
  // max(0.0, -0.0) is 0.0 in Python, as Math.max(0, -0) is 0 here.
  return Math.max(0, -numpySum(terms));
}

/**
 * `sklearn.metrics.roc_auc_score(labels, scores)` for binary labels: the trapezoidal area under
 * the ROC curve, ties grouped into one threshold (so a tie between a positive and a negative
 * counts one half).
 *
 * As sklearn evaluates it: roc_curve drops collinear intermediate points (drop_intermediate,
 * kept where np.diff(fps, 2) or np.diff(tps, 2) is non-zero, plus both ends), prepends (0, 0),
 * divides by the last counts, and `auc` sums (x_{i+1} − x_i) · (y_{i+1} + y_i) / 2 with NumPy's
 * pairwise summation. Dropping points matters for the last bits of the sum, so it is kept.
 *
 * Returns null when only one class is present: the AUC is undefined there (sklearn raised a
 * ValueError up to 1.x and now warns and returns NaN).
 * Throws a RangeError for mismatched lengths, no samples or a non-finite score.
 */
export function rocAuc(labels: readonly BinaryLabel[], scores: readonly number[]): number | null {
  checkInputs(labels, scores, 'rocAuc');
  const positives = labels.reduce<number>((count, label) => count + label, 0);
  if (positives === 0 || positives === labels.length) return null;
  const counts = thresholdCounts(labels, scores);
  const last = counts.truePositives.length - 1;
  const isKept = (index: number): boolean => {
    if (index === 0 || index === last) return true;
    const curvature = (values: number[]): number =>
      (values[index + 1] ?? 0) - 2 * (values[index] ?? 0) + (values[index - 1] ?? 0);
    return curvature(counts.falsePositives) !== 0 || curvature(counts.truePositives) !== 0;
  };
  const keptIndices = counts.truePositives.map((_, index) => index).filter((index) => last < 2 || isKept(index));
  const truePositives = [0, ...keptIndices.map((index) => counts.truePositives[index] ?? 0)];
  const falsePositives = [0, ...keptIndices.map((index) => counts.falsePositives[index] ?? 0)];
  const totalPositives = truePositives[truePositives.length - 1] ?? 1;
  const totalNegatives = falsePositives[falsePositives.length - 1] ?? 1;
  const truePositiveRate = truePositives.map((tps) => tps / totalPositives);
  const falsePositiveRate = falsePositives.map((fps) => fps / totalNegatives);
  const trapezoids = falsePositiveRate.slice(1).map((rate, index) => {
    const width = rate - (falsePositiveRate[index] ?? 0);
    return (width * ((truePositiveRate[index + 1] ?? 0) + (truePositiveRate[index] ?? 0))) / 2;
  });
  return numpySum(trapezoids);
}
