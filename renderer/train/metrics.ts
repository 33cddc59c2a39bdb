// A training run's metrics as the Train view keeps them: one column per key, steps and values in
// growable Float64Arrays (100k points per series is two 800 KB buffers, not 100k objects), kept
// in step order with one value per step. Points arrive from training.metrics and from
// 'training.metrics' events; merging is idempotent, so a point seen twice (an event and the
// refetch that closes a gap) changes nothing, and a later value for a step replaces the earlier
// (a resumed job logs again the steps after its checkpoint).
import type { EventPayload, MetricSeries } from '../../common/api/contract';

export interface MetricColumn {
  readonly key: string;
  steps: Float64Array;
  values: Float64Array;
  length: number;
  /** Bumps whenever a point below the previous end changes (a replaced or inserted point): smoothing caches start over. */
  rewrites: number;
}

export interface RunMetrics {
  readonly jobId: number;
  readonly columns: Map<string, MetricColumn>;
  /** The newest seq these columns include (training.metrics' `seq`, or the last event applied). */
  seq: number;
}

export function createRunMetrics(jobId: number): RunMetrics {
  return { jobId, columns: new Map(), seq: 0 };
}

function createColumn(key: string, capacity: number): MetricColumn {
  const size = Math.max(16, capacity);
  return { key, steps: new Float64Array(size), values: new Float64Array(size), length: 0, rewrites: 0 };
}

function reserve(column: MetricColumn, extra: number): void {
  const needed = column.length + extra;
  if (needed <= column.steps.length) return;
  let size = column.steps.length;
  while (size < needed) size *= 2;
  const steps = new Float64Array(size);
  steps.set(column.steps.subarray(0, column.length));
  const values = new Float64Array(size);
  values.set(column.values.subarray(0, column.length));
  column.steps = steps;
  column.values = values;
}

/** The first index whose step is ≥ `step` (binary search over the sorted steps). */
export function lowerBound(steps: ArrayLike<number>, length: number, step: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((steps[middle] as number) < step) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** One point: appended at the end (the usual case), else put in its place. Returns whether anything changed. */
export function putPoint(column: MetricColumn, step: number, value: number): boolean {
  const { length } = column;
  if (length === 0 || step > (column.steps[length - 1] as number)) {
    reserve(column, 1);
    column.steps[length] = step;
    column.values[length] = value;
    column.length = length + 1;
    return true;
  }
  const index = lowerBound(column.steps, length, step);
  if (column.steps[index] === step) {
    if (Object.is(column.values[index], value)) return false;
    column.values[index] = value;
    column.rewrites++;
    return true;
  }
  reserve(column, 1);
  column.steps.copyWithin(index + 1, index, length);
  column.values.copyWithin(index + 1, index, length);
  column.steps[index] = step;
  column.values[index] = value;
  column.length = length + 1;
  column.rewrites++;
  return true;
}

function isStrictlyIncreasing(steps: readonly number[]): boolean {
  for (let index = 1; index < steps.length; index++) if ((steps[index] as number) <= (steps[index - 1] as number)) return false;
  return true;
}

/** Merges series into the run's columns; returns the keys that changed. */
export function mergeSeries(run: RunMetrics, series: readonly MetricSeries[]): Set<string> {
  const changed = new Set<string>();
  for (const { key, steps, values } of series) {
    const count = Math.min(steps.length, values.length);
    if (count === 0) continue;
    let column = run.columns.get(key);
    if (!column) {
      column = createColumn(key, count);
      run.columns.set(key, column);
    }
    const { length } = column;
    // Fast path: a batch that lies wholly after the column's end (every live event, every first fetch).
    if ((length === 0 || (steps[0] as number) > (column.steps[length - 1] as number)) && count === steps.length && count === values.length && isStrictlyIncreasing(steps)) {
      reserve(column, count);
      column.steps.set(steps, length);
      column.values.set(values, length);
      column.length = length + count;
      changed.add(key);
      continue;
    }
    for (let index = 0; index < count; index++) {
      if (putPoint(column, steps[index] as number, values[index] as number)) changed.add(key);
    }
  }
  return changed;
}

/** The column's points as views of its buffers (no copy; valid until the next merge). */
export function columnView(column: MetricColumn): { steps: Float64Array; values: Float64Array } {
  return { steps: column.steps.subarray(0, column.length), values: column.values.subarray(0, column.length) };
}

export type SeqDecision = 'stale' | 'next' | 'gap';

/**
 * Whether a 'training.metrics' event follows on from `currentSeq`: 'stale' when its points are
 * already in (a fetch answered after the event was sent), 'next' when nothing can be missing,
 * 'gap' when events were lost in between (a reconnect, a dropped frame): then the caller merges
 * it and asks training.metrics for everything after `currentSeq`. The seq may count stored
 * batches, rows (one trainer log line, several keys) or single points: a step of exactly one
 * of those is no gap.
 */
export function classifyEvent(currentSeq: number, event: Pick<EventPayload<'training.metrics'>, 'seq' | 'previousSeq'>): SeqDecision {
  if (event.seq <= currentSeq) return 'stale';
  // The job's points before these are all here when we hold everything up to previousSeq.
  return event.previousSeq <= currentSeq ? 'next' : 'gap';
}
