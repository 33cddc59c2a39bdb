// The hand-written GRU recurrence against autograd through the same equations in plain tfjs ops
// (network.ts's cell), on the pure-JS CPU backend and on wasm (its matMuls are our kernels there).
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { seededRandom } from '../../common/random';
import { loadTensorflow } from '../tensorflow';
import { recurrence, sigmoid, tanh } from './gruRecurrence';

type Tensor = tfjs.Tensor;
type Tensor2D = tfjs.Tensor2D;
type Tensor3D = tfjs.Tensor3D;

let tf: Awaited<ReturnType<typeof loadTensorflow>>['tf'];
beforeAll(async () => {
  // Loads (and selects) wasm; the CPU backend is registered by @tensorflow/tfjs itself.
  tf = (await loadTensorflow({ only: '@tensorflow/tfjs-backend-wasm' })).tf;
});

/** network.ts's cell step by step, stacked: what autograd differentiates op by op. */
function reference(gatesZR: Tensor3D, gatesH: Tensor3D, initialState: Tensor2D, recurrentZR: Tensor2D, recurrentH: Tensor2D): Tensor3D {
  const [steps, batch, doubled] = gatesZR.shape;
  const hidden = doubled / 2;
  let state = initialState;
  const states: Tensor2D[] = [];
  // Slices, not tf.unstack: Unpack's gradient in tfjs 4.22 fails for a single step (it is handed one dy, not a list).
  for (let step = 0; step < steps; step++) {
    const zrInput = tf.reshape(tf.slice(gatesZR, [step, 0, 0], [1, batch, doubled]), [batch, doubled]);
    const hInput = tf.reshape(tf.slice(gatesH, [step, 0, 0], [1, batch, hidden]), [batch, hidden]);
    const zr = tf.sigmoid(tf.add(zrInput, tf.matMul(state, recurrentZR)));
    const [z, r] = tf.split(zr, 2, 1) as [Tensor2D, Tensor2D];
    const candidate = tf.tanh(tf.add(hInput, tf.matMul(tf.mul(r, state), recurrentH)));
    state = tf.add(candidate, tf.mul(z, tf.sub(state, candidate)));
    states.push(state);
  }
  return tf.stack(states) as Tensor3D;
}

type Recurrence = typeof reference;

interface Case {
  steps: number;
  batch: number;
  hidden: number;
  seed: number;
}

/** Fixed random inputs, a random upstream weighting of the states, as plain arrays (backend-free). */
function inputsOf({ steps, batch, hidden, seed }: Case) {
  const random = seededRandom(seed);
  const values = (count: number, scale: number) => Array.from({ length: count }, () => (random() * 2 - 1) * scale);
  return {
    gatesZR: values(steps * batch * 2 * hidden, 1.5),
    gatesH: values(steps * batch * hidden, 1.5),
    initialState: values(batch * hidden, 0.9),
    recurrent: values(hidden * 3 * hidden, 0.6),
    upstream: values(steps * batch * hidden, 1),
  };
}

/** The states and the gradients of sum(states ⊙ upstream) for all five inputs, on the current backend. */
function run(compute: Recurrence, sizes: Case): { states: number[]; gradients: number[][] } {
  const { steps, batch, hidden } = sizes;
  const data = inputsOf(sizes);
  return tf.tidy(() => {
    const recurrent = tf.tensor2d(data.recurrent, [hidden, 3 * hidden]);
    const inputs = [
      tf.tensor3d(data.gatesZR, [steps, batch, 2 * hidden]),
      tf.tensor3d(data.gatesH, [steps, batch, hidden]),
      tf.tensor2d(data.initialState, [batch, hidden]),
      tf.slice(recurrent, [0, 0], [hidden, 2 * hidden]),
      tf.slice(recurrent, [0, 2 * hidden], [hidden, hidden]),
    ] as const;
    const upstream = tf.tensor3d(data.upstream, [steps, batch, hidden]);
    const states = compute(...inputs);
    const gradients = tf.grads((...args: Tensor[]) => tf.sum(tf.mul(compute(...(args as unknown as Parameters<Recurrence>)), upstream)))([...inputs]);
    for (const [index, gradient] of gradients.entries()) expect(gradient.shape).toEqual(inputs[index]?.shape);
    return { states: [...states.dataSync()], gradients: gradients.map((gradient) => [...gradient.dataSync()]) };
  });
}

function expectClose(got: number[], expected: number[], tolerance: number, label: string): void {
  expect(got, label).toHaveLength(expected.length);
  let worst = 0;
  for (const [index, value] of got.entries()) worst = Math.max(worst, Math.abs(value - (expected[index] as number)));
  expect(worst, label).toBeLessThanOrEqual(tolerance);
}

const NAMES = ['gatesZR', 'gatesH', 'initialState', 'recurrentZR', 'recurrentH'];
const CASES: Case[] = [
  { steps: 7, batch: 3, hidden: 5, seed: 1 },
  { steps: 1, batch: 2, hidden: 4, seed: 2 },
  { steps: 12, batch: 4, hidden: 9, seed: 3 },
];

const ours: Recurrence = (...inputs) => recurrence(tf, ...inputs);

describe('recurrence', () => {
  it('gives the states and the five gradients of autograd through the per-step ops (CPU backend)', async () => {
    await tf.setBackend('cpu');
    try {
      for (const sizes of CASES) {
        const expected = run(reference, sizes);
        const got = run(ours, sizes);
        expectClose(got.states, expected.states, 1e-6, `states ${JSON.stringify(sizes)}`);
        for (const [index, name] of NAMES.entries()) expectClose(got.gradients[index] as number[], expected.gradients[index] as number[], 1e-5, `d${name} ${JSON.stringify(sizes)}`);
      }
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('gives the same on wasm as the reference on the CPU backend', async () => {
    for (const sizes of CASES) {
      await tf.setBackend('cpu');
      const expected = run(reference, sizes);
      await tf.setBackend('wasm');
      const got = run(ours, sizes);
      const wasmReference = run(reference, sizes);
      expectClose(got.states, expected.states, 1e-6, `states ${JSON.stringify(sizes)}`);
      expectClose(wasmReference.states, expected.states, 1e-6, `reference states on wasm ${JSON.stringify(sizes)}`);
      for (const [index, name] of NAMES.entries()) {
        expectClose(got.gradients[index] as number[], expected.gradients[index] as number[], 1e-5, `d${name} ${JSON.stringify(sizes)}`);
        expectClose(got.gradients[index] as number[], wasmReference.gradients[index] as number[], 1e-5, `d${name} against wasm's autograd ${JSON.stringify(sizes)}`);
      }
    }
  });

  it('trains weights split inside variableGrads (disposed before the backward runs) and leaks no tensor', async () => {
    const sizes = CASES[0] as Case;
    const { steps, batch, hidden } = sizes;
    const data = inputsOf(sizes);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const recurrent = tf.variable(tf.tensor2d(data.recurrent, [hidden, 3 * hidden]));
      const gatesZR = tf.tensor3d(data.gatesZR, [steps, batch, 2 * hidden]);
      const gatesH = tf.tensor3d(data.gatesH, [steps, batch, hidden]);
      const initialState = tf.tensor2d(data.initialState, [batch, hidden]);
      const upstream = tf.tensor3d(data.upstream, [steps, batch, hidden]);
      const gradientOf = (compute: Recurrence): number[] => {
        const { value, grads } = tf.variableGrads(() => {
          const [recurrentZR, recurrentH] = tf.split(recurrent, [2 * hidden, hidden], 1) as [Tensor2D, Tensor2D];
          return tf.sum(tf.mul(compute(gatesZR, gatesH, initialState, recurrentZR, recurrentH), upstream));
        }, [recurrent]);
        const gradient = grads[recurrent.name] as Tensor;
        const values = [...gradient.dataSync()];
        tf.dispose([value, gradient]);
        return values;
      };
      const expected = gradientOf(reference);
      const before = tf.memory().numTensors;
      const got = gradientOf(ours);
      expect(tf.memory().numTensors, backend).toBe(before);
      tf.tidy(() => {
        ours(gatesZR, gatesH, initialState, ...(tf.split(recurrent, [2 * hidden, hidden], 1) as [Tensor2D, Tensor2D]));
      });
      expect(tf.memory().numTensors, backend).toBe(before);
      expectClose(got, expected, 1e-5, `dR on ${backend}`);
      tf.dispose([recurrent, gatesZR, gatesH, initialState, upstream]);
    }
  });

  it('runs two products a step and no per-step kernel for the gates, forward and backward (autograd ran ~65)', async () => {
    await tf.setBackend('wasm');
    const sizes = { steps: 20, batch: 3, hidden: 5, seed: 4 };
    const profile = await tf.profile(() => {
      run(ours, sizes);
    });
    const products = profile.kernels.filter((kernel) => kernel.name === 'BatchMatMul').length;
    // run() makes the forward twice (once for the states, once under the tape): 3 × 2T, plus the two weight gradients.
    expect(products).toBe(3 * 2 * sizes.steps + 2);
    expect(profile.kernels.length).toBeLessThan(products + 40);
  });

  it('refuses shapes that do not fit one another', () => {
    tf.tidy(() => {
      const [steps, batch, hidden] = [4, 2, 3];
      const good = [tf.zeros([steps, batch, 2 * hidden]), tf.zeros([steps, batch, hidden]), tf.zeros([batch, hidden]), tf.zeros([hidden, 2 * hidden]), tf.zeros([hidden, hidden])] as Parameters<Recurrence>;
      expect(ours(...good).shape).toEqual([steps, batch, hidden]);
      expect(() => ours(good[0], good[1], good[2], good[3], tf.zeros([hidden, 2 * hidden]))).toThrow(/\[3, 6\]/);
      expect(() => ours(good[0], tf.zeros([steps + 1, batch, hidden]), good[2], good[3], good[4])).toThrow(/not \[T, B, 2H\]/);
      expect(() => ours(tf.zeros([0, batch, 2 * hidden]), tf.zeros([0, batch, hidden]), good[2], good[3], good[4])).toThrow(/T ≥ 1/);
    });
  });
});

describe('sigmoid and tanh', () => {
  it('are within 1 ulp of float32 σ and tanh, tiny, large and non-finite arguments included', () => {
    /** float32's spacing at v (at least the smallest subnormal). */
    const ulp = (value: number) => {
      const magnitude = Math.abs(Math.fround(value));
      return magnitude === 0 ? 2 ** -149 : Math.max(2 ** (Math.floor(Math.log2(magnitude)) - 23), 2 ** -149);
    };
    const points = [...Array.from({ length: 240_001 }, (_, index) => -120 + index * 1e-3), 1e-30, -1e-12, 3e-7, 1e3, -1e6];
    let worst = 0;
    for (const value of points) {
      const exactSigmoid = 1 / (1 + Math.exp(-value));
      worst = Math.max(worst, Math.abs(Math.fround(sigmoid(value)) - exactSigmoid) / ulp(exactSigmoid));
      worst = Math.max(worst, Math.abs(Math.fround(tanh(value)) - Math.tanh(value)) / ulp(Math.tanh(value)));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect([sigmoid(Infinity), sigmoid(-Infinity), tanh(Infinity), tanh(-Infinity)]).toEqual([1, expect.closeTo(0, 40), 1, -1]);
    expect(Number.isNaN(sigmoid(Number.NaN)) && Number.isNaN(tanh(Number.NaN))).toBe(true);
  });
});
