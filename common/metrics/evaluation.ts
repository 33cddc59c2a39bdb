// CamReasoner's evaluator aggregation (wuhang03/CamReasoner: Inference/infer/eval_bench.py,
// `accumulate_metrics` and `finalize_metrics`), so that the "metrics" object Frustum writes is
// the one the evaluator would write for the same per-sample accuracies, key order included.
import { PRIMITIVES, primitiveFromProblemId } from '../camerabench/primitives';
import type { Primitive } from '../camerabench/primitives';
import { pyStrip } from '../python';

export interface EvaluatedRow {
  problem_type: string;
  /** Per-sample accuracy in [0, 1] (1/0 for multiple choice). */
  accuracy: number;
  problem_id?: string;
  /** Per-sample components (grounding IoUs…); multiple-choice rows have none. */
  components?: Readonly<Record<string, number>>;
}

/** Keys as the evaluator writes them: "overall/acc", "<type>/acc", "<type>/<component>/mean"… */
export type EvaluationMetrics = Record<string, number>;

// eval_bench.py RECALL_THRESHOLDS; Python prints them as 0.3, 0.5, 0.7 in the keys.
const RECALL_THRESHOLDS = [0.3, 0.5, 0.7] as const;

interface ComponentTally {
  sum: number;
  count: number;
  hits: number[];
}

/**
 * `finalize_metrics` after `accumulate_metrics` over the rows in order. Sums are accumulated
 * left to right in float64 as Python's `+=` does, then divided by max(1, count), so an empty
 * input gives {"overall/acc": 0}. The problem type is stripped (Python `str.strip`); types and
 * components keep the order they are first seen in, as Python dicts (and string-keyed objects
 * whose keys are never array indices: every key here contains "/") do.
 */
export function evaluationMetrics(rows: readonly EvaluatedRow[]): EvaluationMetrics {
  let overallSum = 0;
  let overallCount = 0;
  const perType = new Map<string, { sum: number; count: number }>();
  const components = new Map<string, Map<string, ComponentTally>>();
  for (const row of rows) {
    const typeKey = pyStrip(row.problem_type);
    overallSum += row.accuracy;
    overallCount += 1;
    const tally = perType.get(typeKey) ?? { sum: 0, count: 0 };
    tally.sum += row.accuracy;
    tally.count += 1;
    perType.set(typeKey, tally);
    for (const [name, value] of Object.entries(row.components ?? {})) {
      const byName = components.get(typeKey) ?? new Map<string, ComponentTally>();
      components.set(typeKey, byName);
      const component = byName.get(name) ?? { sum: 0, count: 0, hits: RECALL_THRESHOLDS.map(() => 0) };
      byName.set(name, component);
      component.sum += value;
      component.count += 1;
      component.hits = component.hits.map((hits, index) => (value >= (RECALL_THRESHOLDS[index] ?? Infinity) ? hits + 1 : hits));
    }
  }
  const metrics: EvaluationMetrics = { 'overall/acc': overallSum / Math.max(1, overallCount) };
  for (const [typeKey, tally] of perType) metrics[`${typeKey}/acc`] = tally.sum / Math.max(1, tally.count);
  for (const [typeKey, byName] of components) {
    for (const [name, component] of byName) {
      metrics[`${typeKey}/${name}/mean`] = component.sum / component.count;
      RECALL_THRESHOLDS.forEach((threshold, index) => {
        metrics[`${typeKey}/${name}/R@${threshold}`] = (component.hits[index] ?? 0) / component.count;
      });
    }
  }
  return metrics;
}

export interface PrimitiveAccuracy {
  primitive: Primitive;
  count: number;
  /** Sum of the rows' accuracies (the number right, for multiple choice). */
  correct: number;
  /** correct / count. */
  accuracy: number;
}

export interface PrimitiveAccuracyBreakdown {
  /** Primitives that have at least one row, in Table-1 (PRIMITIVES) order. */
  primitives: PrimitiveAccuracy[];
  /** Rows whose problem_id is missing or names no primitive. */
  unmatchedCount: number;
}

/**
 * CamReasoner accuracy split by CameraBench primitive, read from the problem_id prefix
 * ("Move_Down_12" → Move_Down). Not part of the evaluator's output; sums as it would sum.
 */
export function accuracyByPrimitive(rows: readonly EvaluatedRow[]): PrimitiveAccuracyBreakdown {
  const tallies = new Map<Primitive, { count: number; correct: number }>();
  let unmatchedCount = 0;
  for (const row of rows) {
    const primitive = row.problem_id === undefined ? null : primitiveFromProblemId(row.problem_id);
    if (primitive === null) {
      unmatchedCount += 1;
      continue;
    }
    const tally = tallies.get(primitive) ?? { count: 0, correct: 0 };
    tally.count += 1;
    tally.correct += row.accuracy;
    tallies.set(primitive, tally);
  }
  const primitives = PRIMITIVES.flatMap((primitive): PrimitiveAccuracy[] => {
    const tally = tallies.get(primitive);
    return tally === undefined ? [] : [{ primitive, ...tally, accuracy: tally.correct / tally.count }];
  });
  return { primitives, unmatchedCount };
}
