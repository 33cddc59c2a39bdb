// Percentiles as numpy.percentile computes them by default (method "linear"): the value at
// rank (n - 1) * q / 100, interpolated between the two nearest order statistics.

export function percentile(sortedValues: readonly number[], q: number): number {
  const count = sortedValues.length;
  if (count === 0) return NaN;
  const rank = ((count - 1) * q) / 100;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, count - 1);
  const lower = sortedValues[below] as number;
  const upper = sortedValues[above] as number;
  return lower + (upper - lower) * (rank - below);
}

export interface LengthNorms {
  median: number;
  p05: number;
  p95: number;
}

/** The chain-length norms lint compares each chain against (characters). */
export function lengthNorms(lengths: readonly number[]): LengthNorms | undefined {
  if (lengths.length < 20) return undefined; // too few chains to call anything an outlier
  const sorted = [...lengths].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p05: percentile(sorted, 5), p95: percentile(sorted, 95) };
}
