import { describe, expect, it } from 'vitest';
import { numpyMean, numpyStd, numpySum } from './numpySummation';

// Expected values are NumPy 2.4's (np.sum / np.mean / np.std on float64 lists); the left-to-right
// sums they differ from are Python's built-in sum().
describe('numpySum', () => {
  it('adds fewer than 8 values left to right', () => {
    expect(numpySum([])).toBe(0);
    expect(numpySum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
  });

  it('uses eight accumulators from 8 to 128 values', () => {
    // ((1e16+1)+(1+1)) + ((1+1)+(1+1)) = 1e16 + 6 (1e16 + 1 rounds back to 1e16), then + 1 → 1e16 + 8.
    expect(numpySum([1e16, 1, 1, 1, 1, 1, 1, 1, 1])).toBe(1.0000000000000008e16);
    // Left to right every + 1 is lost: 1e16.
    expect([1e16, 1, 1, 1, 1, 1, 1, 1, 1].reduce((sum, value) => sum + value, 0)).toBe(1e16);
    expect(numpySum(Array.from({ length: 10 }, () => 0.1))).toBe(1);
  });

  it('splits longer arrays in two at a multiple of 8', () => {
    expect(numpySum(Array.from({ length: 200 }, () => 0.1))).toBe(20);
    expect(Array.from({ length: 200 }, () => 0.1).reduce((sum, value) => sum + value, 0)).toBe(20.000000000000014);
  });
});

describe('numpyMean and numpyStd', () => {
  it('match np.mean and np.std (population)', () => {
    expect(numpyMean(Array.from({ length: 10 }, () => 0.1))).toBe(0.1);
    expect(numpyStd(Array.from({ length: 10 }, () => 0.1))).toBe(0);
    expect(numpyMean([0.8, 0.6, 0.7])).toBe(0.6999999999999998);
    expect(numpyStd([0.8, 0.6, 0.7])).toBe(0.08164965809277264);
    expect(numpyStd([5])).toBe(0);
  });

  it('gives NaN for no values, as NumPy does', () => {
    expect(numpyMean([])).toBeNaN();
  });
});
