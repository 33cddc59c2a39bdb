// Columns → uPlot's aligned data. uPlot draws every series of a chart against one x array; the
// lines of a panel (loss and eval_loss, one run against another) may have been logged at
// different steps, so their steps are merged and a line without a point at a step gets a null
// there (drawn across with spanGaps). Lines logged at the very same steps, the usual case for a
// panel of one run, share the column's own buffers: nothing is copied per frame at 100k points.
import type { MetricColumn } from './metrics';
import { emaExtend, emptyEma, type EmaState } from './smoothing';

export type PlotColumn = Float64Array | Array<number | null>;

export interface PlotSource {
  steps: Float64Array;
  /** Lines drawn over these steps (say the raw values and their smoothed curve). */
  lines: Float64Array[];
}

export interface PlotData {
  xs: Float64Array;
  /** One column per line, sources in order, each source's lines in order. */
  ys: PlotColumn[];
  /** Points each line has (without its nulls): sparse lines get their points drawn. */
  counts: number[];
}

function sameSteps(left: Float64Array, right: Float64Array): boolean {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  if (left.buffer === right.buffer && left.byteOffset === right.byteOffset) return true;
  for (let index = left.length - 1; index >= 0; index--) if (left[index] !== right[index]) return false;
  return true;
}

/** The sorted union of sorted step arrays. */
export function unionSteps(all: readonly Float64Array[]): Float64Array {
  if (all.length === 1) return all[0] as Float64Array;
  const cursors = all.map(() => 0);
  const total = all.reduce((sum, steps) => sum + steps.length, 0);
  const out = new Float64Array(total);
  let length = 0;
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (let source = 0; source < all.length; source++) {
      const steps = all[source] as Float64Array;
      const cursor = cursors[source] as number;
      if (cursor < steps.length && (steps[cursor] as number) < next) next = steps[cursor] as number;
    }
    if (next === Number.POSITIVE_INFINITY) break;
    out[length++] = next;
    for (let source = 0; source < all.length; source++) {
      const steps = all[source] as Float64Array;
      if ((cursors[source] as number) < steps.length && steps[cursors[source] as number] === next) cursors[source] = (cursors[source] as number) + 1;
    }
  }
  return out.subarray(0, length);
}

/**
 * Aligned data for uPlot. With `isLog`, values ≤ 0 (and non-finite ones) become gaps: a log
 * axis has no place for them, and one would stretch the range to −∞.
 */
export function buildPlotData(sources: readonly PlotSource[], isLog: boolean): PlotData {
  const counts: number[] = [];
  if (sources.length === 0) return { xs: new Float64Array(0), ys: [], counts };
  const first = (sources[0] as PlotSource).steps;
  const isShared = sources.every((source) => sameSteps(source.steps, first));
  if (isShared && !isLog) {
    const ys: PlotColumn[] = [];
    for (const source of sources) {
      for (const line of source.lines) {
        ys.push(line);
        counts.push(line.length);
      }
    }
    return { xs: first, ys, counts };
  }
  const xs = isShared ? first : unionSteps(sources.map((source) => source.steps));
  const ys: PlotColumn[] = [];
  for (const source of sources) {
    for (const line of source.lines) {
      const column = new Array<number | null>(xs.length).fill(null);
      let count = 0;
      let cursor = 0;
      for (let index = 0; index < source.steps.length; index++) {
        const step = source.steps[index] as number;
        while ((xs[cursor] as number) < step) cursor++;
        const value = line[index] as number;
        if (isLog ? value > 0 && Number.isFinite(value) : Number.isFinite(value)) {
          column[cursor] = value;
          count++;
        }
      }
      ys.push(column);
      counts.push(count);
    }
  }
  return { xs, ys, counts };
}

/** A column's smoothed values, extended as points arrive; started over when the weight changes or a past point was rewritten. */
export interface SmoothCache {
  weight: number;
  rewrites: number;
  length: number;
  state: EmaState;
  out: Float64Array;
}

export function smoothColumn(column: MetricColumn, weight: number, cache: SmoothCache | undefined): SmoothCache {
  let current = cache;
  if (!current || current.weight !== weight || current.rewrites !== column.rewrites || current.length > column.length) {
    current = { weight, rewrites: column.rewrites, length: 0, state: emptyEma(), out: new Float64Array(Math.max(16, column.steps.length)) };
  }
  if (current.out.length < column.length) {
    const grown = new Float64Array(column.steps.length);
    grown.set(current.out.subarray(0, current.length));
    current.out = grown;
  }
  emaExtend(column.values, current.length, column.length, weight, current.state, current.out);
  current.length = column.length;
  return current;
}
