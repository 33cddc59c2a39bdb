// NumPy's float64 summation order, so that sums, means and standard deviations match the Python
// evaluators to the last bit, not merely to a tolerance. `np.sum`, `np.mean` and `np.std` on a
// contiguous 1-D float64 array reduce with pairwise summation (numpy/_core/src/umath/
// loops_utils.h.src, `@TYPE@_pairwise_sum`): below 8 values a plain loop, up to 128 values eight
// interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the leftover
// values one by one, above that the array split in two at a multiple of 8 and each half summed
// the same way. The reduction starts from the identity 0.0, which changes nothing but -0.0.

const PAIRWISE_BLOCK_SIZE = 128;

function pairwiseSum(values: readonly number[], offset: number, count: number): number {
  if (count < 8) {
    let sum = 0;
    for (let index = 0; index < count; index += 1) sum += values[offset + index] ?? 0;
    return sum;
  }
  if (count <= PAIRWISE_BLOCK_SIZE) {
    const partial = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let lane = 0; lane < 8; lane += 1) partial[lane] = values[offset + lane] ?? 0;
    let index = 8;
    for (; index < count - (count % 8); index += 8) {
      for (let lane = 0; lane < 8; lane += 1) {
        partial[lane] = (partial[lane] ?? 0) + (values[offset + index + lane] ?? 0);
      }
    }
    const [r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0] = partial;
    let sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; index < count; index += 1) sum += values[offset + index] ?? 0;
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, offset, half) + pairwiseSum(values, offset + half, count - half);
}

/** `np.sum(values)` for float64, bit for bit. */
export function numpySum(values: readonly number[]): number {
  return 0 + pairwiseSum(values, 0, values.length);
}

/** `np.mean(values)`: the pairwise sum divided by the count; NaN for no values, as NumPy. */
export function numpyMean(values: readonly number[]): number {
  return numpySum(values) / values.length;
}

/**
 * `np.std(values)` (population, ddof = 0) as numpy/_core/_methods.py `_var` computes it: the
 * mean, the squared deviations `x * x`, their pairwise sum divided by the count, the root.
 */
export function numpyStd(values: readonly number[]): number {
  const mean = numpyMean(values);
  const squaredDeviations = values.map((value) => (value - mean) * (value - mean));
  return Math.sqrt(numpySum(squaredDeviations) / values.length);
}
