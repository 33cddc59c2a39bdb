import { describe, expect, it } from 'vitest';
import { createRunMetrics, mergeSeries } from './metrics';
import { buildPlotData, decimate, indexAtOrAfter, nearestIndex, smoothColumn, unionSteps } from './plotData';
import { emaSmooth } from './smoothing';

const f64 = (values: number[]) => Float64Array.from(values);

describe('buildPlotData', () => {
  it('shares the buffers of lines logged at the same steps', () => {
    const steps = f64([1, 2, 3]);
    const raw = f64([3, 2, 1]);
    const data = buildPlotData([{ steps, lines: [raw, raw] }, { steps: f64([1, 2, 3]), lines: [f64([1, 1, 1])] }], false);
    expect(data.xs).toBe(steps);
    expect(data.ys[0]).toBe(raw);
    expect(data.counts).toEqual([3, 3, 3]);
  });

  it('merges different steps, leaving nulls where a line has no point', () => {
    const data = buildPlotData([{ steps: f64([1, 2, 3, 4]), lines: [f64([4, 3, 2, 1])] }, { steps: f64([2, 4, 6]), lines: [f64([3.5, 1.5, 1])] }], false);
    expect([...data.xs]).toEqual([1, 2, 3, 4, 6]);
    expect(data.ys).toEqual([[4, 3, 2, 1, null], [null, 3.5, null, 1.5, 1]]);
    expect(data.counts).toEqual([4, 3]);
  });

  it('gaps values a log axis cannot show', () => {
    const data = buildPlotData([{ steps: f64([1, 2, 3]), lines: [f64([1, 0, -2])] }], true);
    expect(data.ys).toEqual([[1, null, null]]);
    expect(data.counts).toEqual([1]);
  });

  it('unions sorted steps without repeats', () => {
    expect([...unionSteps([f64([0, 5, 10]), f64([5, 7]), f64([])])]).toEqual([0, 5, 7, 10]);
  });
});

describe('smoothColumn', () => {
  it('extends its smoothing as points arrive and starts over when a past point changes', () => {
    const run = createRunMetrics(1);
    mergeSeries(run, [{ key: 'loss', steps: [1, 2, 3], values: [3, 2, 4] }]);
    const column = run.columns.get('loss');
    if (!column) throw new Error('no column');
    let cache = smoothColumn(column, 0.6, undefined);
    mergeSeries(run, [{ key: 'loss', steps: [4, 5], values: [1, 2] }]);
    cache = smoothColumn(column, 0.6, cache);
    expect([...cache.out.subarray(0, 5)]).toEqual([...emaSmooth([3, 2, 4, 1, 2], 0.6)]);
    mergeSeries(run, [{ key: 'loss', steps: [2], values: [9] }]);
    cache = smoothColumn(column, 0.6, cache);
    expect([...cache.out.subarray(0, 5)]).toEqual([...emaSmooth([3, 9, 4, 1, 2], 0.6)]);
    cache = smoothColumn(column, 0.2, cache);
    expect([...cache.out.subarray(0, 5)]).toEqual([...emaSmooth([3, 9, 4, 1, 2], 0.2)]);
  });
});

describe('decimate', () => {
  const series = (count: number) => {
    const xs = new Float64Array(count);
    const ys = new Float64Array(count);
    for (let index = 0; index < count; index++) {
      xs[index] = index + 1;
      ys[index] = Math.sin(index * 0.01) + (index === 5000 ? 10 : 0);
    }
    return { xs, ys: [ys], counts: [count] };
  };

  it('keeps each column\'s extremes, in order, in at most two points a column', () => {
    const data = series(100_000);
    const reduced = decimate(data, 0, data.xs.length, 500);
    expect(reduced.xs.length).toBeLessThanOrEqual(1000);
    expect(reduced.ys[0]).toBeInstanceOf(Float64Array);
    const values = [...(reduced.ys[0] as Float64Array)];
    expect(Math.max(...values)).toBe(Math.max(...(data.ys[0] as Float64Array)));
    expect(Math.min(...values)).toBe(Math.min(...(data.ys[0] as Float64Array)));
    expect(reduced.xs[0]).toBe(1);
    expect(reduced.xs[reduced.xs.length - 1]).toBe(100_000);
    for (let index = 1; index < reduced.xs.length; index++) expect(reduced.xs[index]).toBeGreaterThan(reduced.xs[index - 1] as number);
  });

  it('returns a range of few points whole, and keeps gaps of sparse lines', () => {
    const data = series(1000);
    const whole = decimate(data, 100, 300, 500);
    expect([...whole.xs]).toEqual([...data.xs.subarray(100, 300)]);
    const sparse = buildPlotData([{ steps: f64(Array.from({ length: 5000 }, (_, index) => index)), lines: [f64(Array.from({ length: 5000 }, () => 1))] }, { steps: f64([0, 2500, 4999]), lines: [f64([3, 2, 1])] }], false);
    const reduced = decimate(sparse, 0, sparse.xs.length, 100);
    const column = reduced.ys[1] as Array<number | null>;
    expect(column.filter((value) => value !== null)).toEqual([3, 2, 1]);
  });

  it('puts every point in one column where rounding puts it on its column\'s far edge', () => {
    // Steps 62…100,061 over 81, 87 or 147 columns: (x − first) / width lands a hair below a whole
    // number for some point, whose column's limit then equals it (a loop comparing with the
    // limit once stood still there, and then made more rows than columns and lost the end).
    const count = 100_000;
    const xs = new Float64Array(count);
    for (let index = 0; index < count; index++) xs[index] = 62 + index;
    for (const buckets of [81, 87, 147, 1000]) {
      const reduced = decimate({ xs, ys: [xs], counts: [count] }, 0, count, buckets);
      expect(reduced.xs.length).toBeLessThanOrEqual(buckets * 2);
      expect(reduced.xs[reduced.xs.length - 1]).toBe(100_061);
    }
  });

  it('keeps the ends, the extremes and the order for any steps and width', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 40; round++) {
      const count = 500 + Math.floor(random() * 20_000);
      const xs = new Float64Array(count);
      const ys = new Float64Array(count);
      let step = random() * 100;
      for (let index = 0; index < count; index++) {
        step += random() < 0.1 ? random() * 50 : 1;
        xs[index] = Math.round(step);
        ys[index] = random() * 10 - 5;
      }
      // Steps strictly increase (one value per step), as the columns keep them.
      for (let index = 1; index < count; index++) if ((xs[index] as number) <= (xs[index - 1] as number)) xs[index] = (xs[index - 1] as number) + 1;
      const buckets = 50 + Math.floor(random() * 900);
      const reduced = decimate({ xs, ys: [ys], counts: [count] }, 0, count, buckets);
      expect(reduced.xs.length).toBeLessThanOrEqual(Math.max(buckets * 2, count));
      expect(reduced.xs[0]).toBe(xs[0]);
      expect(reduced.xs[reduced.xs.length - 1]).toBe(xs[count - 1]);
      const values = [...(reduced.ys[0] as Float64Array)];
      expect(Math.max(...values)).toBe(Math.max(...ys));
      expect(Math.min(...values)).toBe(Math.min(...ys));
      for (let index = 1; index < reduced.xs.length; index++) expect(reduced.xs[index]).toBeGreaterThan(reduced.xs[index - 1] as number);
    }
  });

  it('finds the nearest step', () => {
    const xs = f64([0, 10, 20]);
    expect(nearestIndex(xs, 4)).toBe(0);
    expect(nearestIndex(xs, 16)).toBe(2);
    expect(nearestIndex(xs, 99)).toBe(2);
    expect(indexAtOrAfter(xs, 10)).toBe(1);
    expect(nearestIndex(f64([]), 1)).toBe(-1);
  });
});
