import { describe, expect, it } from 'vitest';
import { createRunMetrics, mergeSeries } from './metrics';
import { buildPlotData, smoothColumn, unionSteps } from './plotData';
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
