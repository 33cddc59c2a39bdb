// TensorBoard's scalar smoothing: an exponential moving average debiased for its zero start
// (tensorboard/plugins/scalar/tf_scalar_dashboard, vz_line_chart2 `smoothingWeight`), so the
// first points are not dragged towards 0 the way a plain EMA drags them. Kept resumable: a
// chart extends the smoothed column by the points that arrived instead of smoothing 100k again.

export interface EmaState {
  /** The running (biased) average. */
  last: number;
  /** Finite values folded in so far (the debias exponent). */
  count: number;
  /** The first finite value, and whether every finite value so far equals it. */
  first: number;
  isConstant: boolean;
}

export function emptyEma(): EmaState {
  return { last: 0, count: 0, first: Number.NaN, isConstant: true };
}

/** 0 shows the raw line; TensorBoard's slider tops out below 1 (1 would never move). */
export const MAX_SMOOTHING = 0.999;

export function clampWeight(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 0;
  return Math.min(weight, MAX_SMOOTHING);
}

/**
 * Smooths values[from, to) into out[from, to), continuing `state`, which must have seen exactly
 * values[0, from). Non-finite values pass through unsmoothed and leave the average alone. A
 * constant series stays exactly constant (TensorBoard's #786: debiasing a constant in floating
 * point wobbles in the last digits, which a log scale magnifies into visible noise).
 */
export function emaExtend(values: ArrayLike<number>, from: number, to: number, weight: number, state: EmaState, out: Float64Array | number[]): void {
  const factor = clampWeight(weight);
  for (let index = from; index < to; index++) {
    const value = values[index] as number;
    if (!Number.isFinite(value)) {
      out[index] = value;
      continue;
    }
    if (state.count === 0) state.first = value;
    else if (value !== state.first) state.isConstant = false;
    state.last = state.last * factor + (1 - factor) * value;
    state.count++;
    out[index] = state.isConstant ? value : factor === 0 ? value : state.last / (1 - Math.pow(factor, state.count));
  }
}

/** The whole column smoothed at once. */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  emaExtend(values, 0, values.length, weight, emptyEma(), out);
  return out;
}
