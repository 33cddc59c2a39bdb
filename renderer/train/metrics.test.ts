import { describe, expect, it } from 'vitest';
import { classifyEvent, columnView, createRunMetrics, lowerBound, mergeSeries } from './metrics';

const view = (run: ReturnType<typeof createRunMetrics>, key: string) => {
  const column = run.columns.get(key);
  if (!column) throw new Error(`no column ${key}`);
  const { steps, values } = columnView(column);
  return { steps: [...steps], values: [...values], rewrites: column.rewrites };
};

describe('mergeSeries', () => {
  it('appends batches in order and reports the keys that changed', () => {
    const run = createRunMetrics(1);
    expect([...mergeSeries(run, [{ key: 'loss', steps: [1, 2], values: [2, 1.5] }, { key: 'lr', steps: [1], values: [1e-4] }])].sort()).toEqual(['loss', 'lr']);
    expect([...mergeSeries(run, [{ key: 'loss', steps: [3], values: [1.2] }])]).toEqual(['loss']);
    expect(view(run, 'loss')).toEqual({ steps: [1, 2, 3], values: [2, 1.5, 1.2], rewrites: 0 });
  });

  it('is idempotent: the same points again change nothing', () => {
    const run = createRunMetrics(1);
    mergeSeries(run, [{ key: 'loss', steps: [1, 2, 3], values: [3, 2, 1] }]);
    expect(mergeSeries(run, [{ key: 'loss', steps: [2, 3], values: [2, 1] }]).size).toBe(0);
    expect(view(run, 'loss')).toEqual({ steps: [1, 2, 3], values: [3, 2, 1], rewrites: 0 });
  });

  it('lets a later value win for a step logged twice (a resume), and inserts a missing step in place', () => {
    const run = createRunMetrics(1);
    mergeSeries(run, [{ key: 'loss', steps: [10, 20, 30, 40], values: [4, 3, 2, 1] }]);
    mergeSeries(run, [{ key: 'loss', steps: [30, 35, 40, 50], values: [2.5, 2.2, 1.9, 1.5] }]);
    const merged = view(run, 'loss');
    expect(merged.steps).toEqual([10, 20, 30, 35, 40, 50]);
    expect(merged.values).toEqual([4, 3, 2.5, 2.2, 1.9, 1.5]);
    expect(merged.rewrites).toBeGreaterThan(0);
  });

  it('keeps 100k points in typed arrays, grown by doubling', () => {
    const run = createRunMetrics(1);
    for (let batch = 0; batch < 100; batch++) {
      const steps = Array.from({ length: 1000 }, (_, index) => batch * 1000 + index);
      mergeSeries(run, [{ key: 'reward/overall', steps, values: steps.map((step) => step / 1e5) }]);
    }
    const column = run.columns.get('reward/overall');
    expect(column?.length).toBe(100_000);
    expect(column?.steps).toBeInstanceOf(Float64Array);
    expect(column?.steps[99_999]).toBe(99_999);
    expect(lowerBound(column?.steps ?? [], column?.length ?? 0, 54_321.5)).toBe(54_322);
  });
});

describe('classifyEvent', () => {
  const event = (seq: number, previousSeq: number) => ({ seq, previousSeq });

  it('drops what a fetch already had', () => {
    expect(classifyEvent(10, event(10, 8))).toBe('stale');
    expect(classifyEvent(10, event(7, 3))).toBe('stale');
  });

  it("takes an event that follows this job's points, whatever other jobs stored between", () => {
    expect(classifyEvent(10, event(11, 10))).toBe('next');
    // Another run wrote seq 11–40 meanwhile: still nothing of this job is missing.
    expect(classifyEvent(10, event(45, 9))).toBe('next');
  });

  it('sees points of this job it has not got as a gap to refetch', () => {
    expect(classifyEvent(10, event(15, 12))).toBe('gap');
    expect(classifyEvent(0, event(40, 20))).toBe('gap');
  });
});
