import { describe, expect, it } from 'vitest';
import { emaExtend, emaSmooth, emptyEma } from './smoothing';

/** TensorBoard's smoothing as written in vz_line_chart2 (data.forEach over the whole series). */
function tensorBoard(values: number[], factor: number): number[] {
  let last = values.length > 0 ? 0 : Number.NaN;
  let numAccum = 0;
  const isConstant = values.every((value) => value === values[0]);
  return values.map((value) => {
    if (isConstant || !Number.isFinite(value)) return value;
    last = last * factor + (1 - factor) * value;
    numAccum++;
    const debias = factor === 1 ? 1 : 1 - Math.pow(factor, numAccum);
    return last / debias;
  });
}

describe('emaSmooth', () => {
  const noisy = Array.from({ length: 500 }, (_, index) => Math.exp(-index / 120) + 0.1 * Math.sin(index * 1.7));

  it('matches TensorBoard\'s debiased EMA', () => {
    for (const weight of [0.3, 0.6, 0.9, 0.99]) {
      const ours = emaSmooth(noisy, weight);
      const theirs = tensorBoard(noisy, weight);
      theirs.forEach((value, index) => expect(ours[index]).toBeCloseTo(value, 12));
    }
  });

  it('starts at the first value, not dragged towards zero', () => {
    expect(emaSmooth([5, 5.2, 4.8], 0.9)[0]).toBe(5);
  });

  it('leaves the raw values at weight 0 and keeps a constant series exactly constant', () => {
    expect([...emaSmooth([3, 1, 2], 0)]).toEqual([3, 1, 2]);
    expect([...emaSmooth(Array(200).fill(0.1), 0.95)].every((value) => value === 0.1)).toBe(true);
  });

  it('passes non-finite values through without disturbing the average', () => {
    const smoothed = emaSmooth([1, Number.NaN, 3], 0.5);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeCloseTo(tensorBoard([1, 3], 0.5)[1] as number, 12);
  });

  it('extends in pieces to the same values as all at once', () => {
    const whole = emaSmooth(noisy, 0.8);
    const state = emptyEma();
    const out = new Float64Array(noisy.length);
    for (const [from, to] of [[0, 1], [1, 77], [77, 78], [78, 500]] as const) emaExtend(noisy, from, to, 0.8, state, out);
    expect([...out]).toEqual([...whole]);
  });
});
