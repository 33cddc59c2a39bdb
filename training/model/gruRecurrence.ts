// The GRU decoder's loop over time (./network.ts, its header's equations) as one differentiable
// op with a backward written by hand. Autograd through the per-step ops ran ~65 kernels a step on
// the tape (about 10 000 for T = 150), each costing ~20 µs of dispatch on the wasm backend, and its
// matMul gradients transposed the same recurrent weight again at every step. Here a step runs two
// matMuls through the backend, forward and backward alike — the only part worth a kernel — and
// the gates are plain loops over Float32Arrays (B·H = 4 096 values: ~0.1 ms a step); the weight
// gradients are one product each over all T·B rows. A whole training step at B = 32, T = 150,
// H = 128 on wasm went from 424 to 294 ms (medians, the two alternating in one process).
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from './network';

type Tensor = tfjs.Tensor;
type Tensor2D = tfjs.Tensor2D;
type Tensor3D = tfjs.Tensor3D;

/**
 * States h_1 … h_T [T, B, H] of a GRU from its gate inputs x·W + b per step (the context's share
 * included) — the z|r part gatesZR [T, B, 2H] and the h part gatesH [T, B, H] — the initial state
 * [B, H] and the recurrent weights split as recurrentZR [H, 2H] and recurrentH [H, H]:
 *   zr = σ(gatesZR_t + h·R_zr),  c = tanh(gatesH_t + (r ⊙ h)·R_h),  h' = c + z ⊙ (h − c)
 * (network.ts's cell). Differentiable in all five inputs.
 */
export function recurrence(tf: TF, gatesZR: Tensor3D, gatesH: Tensor3D, initialState: Tensor2D, recurrentZR: Tensor2D, recurrentH: Tensor2D): Tensor3D {
  const [steps, batch, doubled] = gatesZR.shape;
  const hidden = initialState.shape[1];
  const fits = steps > 0 && doubled === 2 * hidden && gatesH.shape.join() === [steps, batch, hidden].join() && initialState.shape[0] === batch && recurrentZR.shape.join() === [hidden, 2 * hidden].join() && recurrentH.shape.join() === [hidden, hidden].join();
  if (!fits) {
    const shapes = [gatesZR, gatesH, initialState, recurrentZR, recurrentH].map((tensor) => `[${tensor.shape.join(', ')}]`).join(', ');
    throw new Error(`recurrence: the shapes ${shapes} are not [T, B, 2H], [T, B, H], [B, H], [H, 2H], [H, H] with T ≥ 1`);
  }
  const sizes: Sizes = { steps, batch, hidden };
  const run = tf.customGrad((...args: Array<Tensor | ((tensors: Tensor[]) => void)>) => {
    const [zrInputs, hInputs, start, weightsZR, weightsH, save] = args as [Tensor3D, Tensor3D, Tensor2D, Tensor2D, Tensor2D, (tensors: Tensor[]) => void];
    // Saved (kept clones): by the time the backward runs, variableGrads' tidy has disposed the
    // inputs themselves — here split views of gru_r.
    save([weightsZR, weightsH]);
    const forward = forwardPass(tf, sizes, zrInputs.dataSync() as Float32Array, hInputs.dataSync() as Float32Array, start.dataSync() as Float32Array, weightsZR, weightsH);
    return {
      value: tf.tensor3d(forward.states.subarray(batch * hidden), [steps, batch, hidden]),
      gradFunc: (dy: Tensor3D, saved: Tensor[]) => backwardPass(tf, sizes, forward, dy.dataSync() as Float32Array, saved[0] as Tensor2D, saved[1] as Tensor2D),
    };
  });
  return run(gatesZR, gatesH, initialState, recurrentZR, recurrentH);
}

interface Sizes {
  steps: number;
  batch: number;
  hidden: number;
}

/** What the forward pass keeps for the backward, each row-major by [T, B, ·]. */
interface Forward {
  /** z | r per row, as the gate inputs: [T, B, 2H]. */
  zr: Float32Array;
  /** r ⊙ h_{t−1}: the recurrent product's input, and dR_h's left factor. [T, B, H]. */
  gatedState: Float32Array;
  /** The candidate c: [T, B, H]. */
  candidate: Float32Array;
  /** h_0 … h_T: [T + 1, B, H], so that h_{t−1} of every step is one slice (dR_zr's left factor) and h_1 … h_T another (the output). */
  states: Float32Array;
}

// Two traps around these arrays. The CPU backend keeps an array a tensor is made from as its
// storage, uncopied (and dataSync hands back that storage), so nothing here writes to an array after
// a tensor was made of it. And none is returned out of a tf.tidy: tidy searches its result for
// tensors, through every index of a typed array — seconds at these sizes.
function forwardPass(tf: TF, { steps, batch, hidden }: Sizes, gatesZR: Float32Array, gatesH: Float32Array, initialState: Float32Array, recurrentZR: Tensor2D, recurrentH: Tensor2D): Forward {
  const width = batch * hidden;
  const zr = new Float32Array(steps * 2 * width);
  const gatedState = new Float32Array(steps * width);
  const candidate = new Float32Array(steps * width);
  const states = new Float32Array((steps + 1) * width);
  states.set(initialState);
  for (let step = 0; step < steps; step++) {
    const base = step * width;
    const zrProduct = multiply(tf, states.subarray(base, base + width), batch, recurrentZR);
    gatesForward(batch, hidden, base, gatesZR, zrProduct, states, zr, gatedState);
    const hProduct = multiply(tf, gatedState.subarray(base, base + width), batch, recurrentH);
    stateForward(batch, hidden, base, gatesH, hProduct, zr, states, candidate);
  }
  return { zr, gatedState, candidate, states };
}

/** Step t of the forward (base = t·B·H), first half: z | r = σ(gate inputs + h_{t−1}·R_zr), and r ⊙ h_{t−1}. */
function gatesForward(batch: number, hidden: number, base: number, gatesZR: Float32Array, product: Float32Array, states: Float32Array, zr: Float32Array, gatedState: Float32Array): void {
  for (let row = 0; row < batch; row++) {
    const zAt = 2 * base + row * 2 * hidden;
    const productAt = row * 2 * hidden;
    for (let unit = 0; unit < hidden; unit++) zr[zAt + unit] = sigmoid((gatesZR[zAt + unit] as number) + (product[productAt + unit] as number));
    const rAt = zAt + hidden;
    const at = base + row * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const r = sigmoid((gatesZR[rAt + unit] as number) + (product[productAt + hidden + unit] as number));
      zr[rAt + unit] = r;
      gatedState[at + unit] = r * (states[at + unit] as number);
    }
  }
}

/** Second half: c = tanh(gate inputs + (r ⊙ h_{t−1})·R_h), h_t = c + z ⊙ (h_{t−1} − c). */
function stateForward(batch: number, hidden: number, base: number, gatesH: Float32Array, product: Float32Array, zr: Float32Array, states: Float32Array, candidate: Float32Array): void {
  const width = batch * hidden;
  for (let row = 0; row < batch; row++) {
    const zAt = 2 * base + row * 2 * hidden;
    const at = base + row * hidden;
    const productAt = row * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const c = tanh((gatesH[at + unit] as number) + (product[productAt + unit] as number));
      const previous = states[at + unit] as number;
      candidate[at + unit] = c;
      states[width + at + unit] = c + (zr[zAt + unit] as number) * (previous - c);
    }
  }
}

/** Back-propagation through time, t = T−1 … 0: the gradients for the five inputs, in their order. */
function backwardPass(tf: TF, { steps, batch, hidden }: Sizes, forward: Forward, upstream: Float32Array, recurrentZR: Tensor2D, recurrentH: Tensor2D): tfjs.Tensor[] {
  const { zr, gatedState, candidate, states } = forward;
  const width = batch * hidden;
  const dGatesZR = new Float32Array(steps * 2 * width);
  const dGatesH = new Float32Array(steps * width);
  // dL/dh_t from the later steps, in two parts: what the elementwise gates send back, and the last
  // recurrent product (added in when the next loop reads it, not in a pass of its own).
  const carried = new Float32Array(width);
  let fromProduct: Float32Array = new Float32Array(width);
  // Transposed once: each step multiplies by Rᵀ, and a transposed operand costs a transpose per product on wasm.
  const transposedZR = tf.transpose(recurrentZR);
  const transposedH = tf.transpose(recurrentH);
  for (let step = steps - 1; step >= 0; step--) {
    const base = step * width;
    stateBackward(batch, hidden, base, upstream, fromProduct, carried, zr, candidate, states, dGatesH, dGatesZR);
    const dGated = multiply(tf, dGatesH.subarray(base, base + width), batch, transposedH);
    gatesBackward(batch, hidden, base, dGated, zr, states, carried, dGatesZR);
    fromProduct = multiply(tf, dGatesZR.subarray(2 * base, 2 * base + 2 * width), batch, transposedZR);
  }
  tf.dispose([transposedZR, transposedH]);
  for (let at = 0; at < width; at++) carried[at] = (carried[at] as number) + (fromProduct[at] as number);
  const rows = steps * batch;
  return tf.tidy(() => {
    const dZR = tf.tensor2d(dGatesZR, [rows, 2 * hidden]);
    const dH = tf.tensor2d(dGatesH, [rows, hidden]);
    return [
      dZR.reshape([steps, batch, 2 * hidden]),
      dH.reshape([steps, batch, hidden]),
      tf.tensor2d(carried, [batch, hidden]),
      // One product over all T·B rows each, rather than T small ones accumulated.
      tf.matMul(tf.tensor2d(states.subarray(0, steps * width), [rows, hidden]), dZR, true, false),
      tf.matMul(tf.tensor2d(gatedState, [rows, hidden]), dH, true, false),
    ];
  });
}

/**
 * Step t of the backward, through h_t = c + z ⊙ (h_{t−1} − c) and c's tanh: the gradients at the
 * h part's and the z part's gate inputs, and z ⊙ dh_t into `carried` (which held the rest of dh_t).
 */
function stateBackward(batch: number, hidden: number, base: number, upstream: Float32Array, fromProduct: Float32Array, carried: Float32Array, zr: Float32Array, candidate: Float32Array, states: Float32Array, dGatesH: Float32Array, dGatesZR: Float32Array): void {
  for (let row = 0; row < batch; row++) {
    const zAt = 2 * base + row * 2 * hidden;
    const at = row * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const gradient = (upstream[base + at + unit] as number) + (carried[at + unit] as number) + (fromProduct[at + unit] as number);
      const z = zr[zAt + unit] as number;
      const c = candidate[base + at + unit] as number;
      // ∂h_t/∂c = 1 − z, ∂h_t/∂z = h_{t−1} − c, ∂h_t/∂h_{t−1} = z (directly; the gates add more).
      carried[at + unit] = gradient * z;
      dGatesH[base + at + unit] = gradient * (1 - z) * (1 - c * c);
      dGatesZR[zAt + unit] = gradient * ((states[base + at + unit] as number) - c) * z * (1 - z);
    }
  }
}

/** Then through r ⊙ h_{t−1}, given its gradient dGated = dpre_h · R_hᵀ: the r part's gate inputs, and r ⊙ dGated into `carried`. */
function gatesBackward(batch: number, hidden: number, base: number, dGated: Float32Array, zr: Float32Array, states: Float32Array, carried: Float32Array, dGatesZR: Float32Array): void {
  for (let row = 0; row < batch; row++) {
    const rAt = 2 * base + row * 2 * hidden + hidden;
    const at = row * hidden;
    for (let unit = 0; unit < hidden; unit++) {
      const r = zr[rAt + unit] as number;
      const gradient = dGated[at + unit] as number;
      carried[at + unit] = (carried[at + unit] as number) + gradient * r;
      dGatesZR[rAt + unit] = gradient * (states[base + at + unit] as number) * r * (1 - r);
    }
  }
}

/**
 * rows [count, K] · weight [K, N] through the backend: the one part of a step worth a kernel
 * (on wasm, [32, 128]·[128, 256] takes 0.08 ms; a loop in JS 2.8 ms).
 */
function multiply(tf: TF, rows: Float32Array, count: number, weight: Tensor2D): Float32Array {
  const input = tf.tensor2d(rows, [count, weight.shape[0]]);
  const product = tf.matMul(input, weight);
  const values = product.dataSync() as Float32Array;
  tf.dispose([input, product]);
  return values;
}

// σ and tanh from one exp of our own, 2–3× faster here than Math.exp and Math.tanh (calls into V8's
// C library) — the forward takes three per state unit and step. Float64 all through, and
// e^x − 1 kept apart so that tanh of a small x keeps its relative precision: within 1 ulp of
// float32's σ and tanh (see the test).
const LARGEST_POWER = 160;
/** 2^k for k in [−160, 160], by k + 160. */
const POWERS_OF_TWO = Float64Array.from({ length: 2 * LARGEST_POWER + 1 }, (_, index) => 2 ** (index - LARGEST_POWER));

/**
 * e^x − 1 for |x| ≤ 110: e^x = 2^k · e^r with r = x − k ln 2 in [−ln2/2, ln2/2], e^r − 1 by its
 * Taylor series to r⁷ (relative error < 6e-9; float32's ulp is 6e-8).
 */
function exponentMinusOne(value: number): number {
  const power = Math.floor(value * Math.LOG2E + 0.5);
  const r = value - power * Math.LN2;
  // Estrin's scheme, not Horner's: shorter chains of dependent operations, 15 % faster here.
  const r2 = r * r;
  const series = r + r2 * (1 / 2 + r * (1 / 6)) + r2 * r2 * (1 / 24 + r * (1 / 120) + r2 * (1 / 720 + r * (1 / 5040)));
  const scale = POWERS_OF_TWO[power + LARGEST_POWER] as number;
  return series * scale + (scale - 1);
}

export function sigmoid(value: number): number {
  // Clamped where float32's σ is 0 or 1 already (and the table of powers ends).
  return 1 / (2 + exponentMinusOne(value > 110 ? -110 : value < -110 ? 110 : -value));
}

export function tanh(value: number): number {
  // tanh(±20) is ±1 in float32 already.
  const twice = exponentMinusOne(value > 20 ? 40 : value < -20 ? -40 : 2 * value);
  return twice / (twice + 2);
}
