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

/** The first index in xs[from, to) whose step is ≥ value. */
export function indexAtOrAfter(xs: Float64Array, value: number, from = 0, to = xs.length): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((xs[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The index of the step nearest to `value` (−1 when there are none). */
export function nearestIndex(xs: Float64Array, value: number): number {
  if (xs.length === 0) return -1;
  const after = indexAtOrAfter(xs, value);
  if (after === 0) return 0;
  if (after >= xs.length) return xs.length - 1;
  return value - (xs[after - 1] as number) <= (xs[after] as number) - value ? after - 1 : after;
}

/**
 * The points of xs[from, to) reduced for drawing: the x range cut into `buckets` columns (one a
 * pixel), and in each column every line's lowest and highest value, in the order they came. A
 * line drawn through them covers the same pixels as through every point (uPlot would walk all
 * 100k points of every line on every redraw; this walks them once per change and hands it a
 * few thousand). Ranges that hold few points come back whole.
 */
export function decimate(data: PlotData, from: number, to: number, buckets: number): PlotData {
  const start = Math.max(0, from);
  const end = Math.min(data.xs.length, to);
  const count = end - start;
  if (count <= buckets * 2 || buckets < 1) {
    return {
      xs: data.xs.subarray(start, end),
      ys: data.ys.map((column) => (column instanceof Float64Array ? column.subarray(start, end) : column.slice(start, end))),
      counts: data.counts,
    };
  }
  const { xs, ys } = data;
  const first = xs[start] as number;
  const width = ((xs[end - 1] as number) - first) / buckets || 1;
  const bucketOf = (x: number) => Math.min(buckets - 1, Math.floor((x - first) / width));
  const outXs = new Float64Array(buckets * 2);
  const outYs: PlotColumn[] = ys.map((column) => (column instanceof Float64Array ? new Float64Array(buckets * 2) : new Array<number | null>(buckets * 2).fill(null)));
  const lows = new Float64Array(ys.length);
  const highs = new Float64Array(ys.length);
  const lowAt = new Int32Array(ys.length);
  const highAt = new Int32Array(ys.length);
  let rows = 0;
  let index = start;
  while (index < end) {
    // A point's column, computed the same way for every point: columns never go back (steps are
    // sorted and the arithmetic is monotonic), so each column is one run of points, whatever
    // rounding does at its edges (a limit compared instead once left the loop standing still).
    const bucket = bucketOf(xs[index] as number);
    const bucketStart = index;
    lows.fill(Number.POSITIVE_INFINITY);
    highs.fill(Number.NEGATIVE_INFINITY);
    lowAt.fill(-1);
    highAt.fill(-1);
    while (index < end && bucketOf(xs[index] as number) === bucket) {
      for (let line = 0; line < ys.length; line++) {
        const value = (ys[line] as PlotColumn)[index];
        if (value === null || value === undefined) continue;
        if (value < (lows[line] as number)) {
          lows[line] = value;
          lowAt[line] = index;
        }
        if (value > (highs[line] as number)) {
          highs[line] = value;
          highAt[line] = index;
        }
      }
      index++;
    }
    const bucketEnd = index - 1;
    const isPair = bucketEnd > bucketStart;
    outXs[rows] = xs[bucketStart] as number;
    if (isPair) outXs[rows + 1] = xs[bucketEnd] as number;
    for (let line = 0; line < ys.length; line++) {
      const out = outYs[line] as PlotColumn;
      const low = lowAt[line] as number;
      const high = highAt[line] as number;
      if (low < 0) {
        // No point of this line here: a gap, drawn across (spanGaps). A typed column has none.
        continue;
      }
      const isLowFirst = low <= high;
      out[rows] = isLowFirst ? (lows[line] as number) : (highs[line] as number);
      // One point of a sparse line in the column stays one point; a typed column needs a value in every row.
      if (isPair && (low !== high || out instanceof Float64Array)) out[rows + 1] = isLowFirst ? (highs[line] as number) : (lows[line] as number);
    }
    rows += isPair ? 2 : 1;
  }
  return {
    xs: outXs.subarray(0, rows),
    ys: outYs.map((column) => (column instanceof Float64Array ? column.subarray(0, rows) : column.slice(0, rows))),
    counts: data.counts,
  };
}
