// Our wasm kernels (./wasmKernels.ts) against the pure-JS CPU backend's results on the same
// inputs, and the property that made the wasm Slice quadratic: it must not read its whole input.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { seededRandom } from '../common/random';
import { loadTensorflow } from './tensorflow';
import { copyRegion } from './wasmKernels';

let tf: Awaited<ReturnType<typeof loadTensorflow>>['tf'];
beforeAll(async () => {
  tf = (await loadTensorflow({ only: '@tensorflow/tfjs-backend-wasm' })).tf;
});

/** The same computation on wasm and on the CPU backend, as nested arrays. */
async function onBoth<T>(compute: () => T): Promise<{ wasm: T; cpu: T }> {
  await tf.setBackend('wasm');
  const wasm = compute();
  await tf.setBackend('cpu');
  const cpu = compute();
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

describe('copyRegion', () => {
  it('copies a region of a row-major array, joining whole trailing dimensions into one run', () => {
    const source = Float32Array.from({ length: 24 }, (_, index) => index);
    // shape [2, 3, 4]: the middle time step of both batch rows.
    const step = new Float32Array(8);
    copyRegion(source, [2, 3, 4], [0, 1, 0], [2, 1, 4], step);
    expect([...step]).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
    const corner = new Float32Array(4);
    copyRegion(source, [2, 3, 4], [1, 1, 2], [1, 2, 2], corner);
    expect([...corner]).toEqual([18, 19, 22, 23]);
    const scalar = new Float32Array(1);
    copyRegion(Float32Array.of(7), [], [], [], scalar);
    expect(scalar[0]).toBe(7);
  });
});

describe('the wasm kernels', () => {
  it('slice: the CPU backend’s values for random shapes, regions and dtypes', async () => {
    const random = seededRandom(11);
    const pick = (below: number) => Math.floor(random() * below);
    for (let trial = 0; trial < 60; trial++) {
      const rank = 1 + pick(4);
      const shape = Array.from({ length: rank }, () => 1 + pick(5));
      const begin = shape.map((extent) => pick(extent));
      const size = shape.map((extent, dimension) => (pick(3) === 0 ? -1 : 1 + pick(extent - (begin[dimension] as number))));
      const dtype = trial % 3 === 0 ? 'int32' : 'float32';
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (dtype === 'int32' ? pick(100) : random()));
      const { wasm, cpu } = await onBoth(() => tf.tidy(() => tf.slice(tf.tensor(values, shape, dtype), begin, size).arraySync()));
      expect(wasm, JSON.stringify({ shape, begin, size, dtype })).toEqual(cpu);
    }
  });

  it('gather: the CPU backend’s rows for tables of any width, ids in any shape, and an out-of-range id refused', async () => {
    const random = seededRandom(5);
    for (const [rows, width, idsShape] of [[7, 3, [5]], [4, 1, [2, 3]], [10, 16, [40]], [3, 2, [0]]] as Array<[number, number, number[]]>) {
      const table = Array.from({ length: rows * width }, () => random());
      const ids = Array.from({ length: idsShape.reduce((a, b) => a * b, 1) }, () => Math.floor(random() * rows));
      const { wasm, cpu } = await onBoth(() => tf.tidy(() => tf.gather(tf.tensor2d(table, [rows, width]), tf.tensor(ids, idsShape, 'int32')).arraySync()));
      expect(wasm).toEqual(cpu);
    }
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.gather(tf.tensor2d([1, 2], [2, 1]), tf.tensor1d([2], 'int32')).dataSync())).toThrow(/index 2/);
  });

  it('slice reads only its region, not the whole input (the wasm kernel copied it all: O(T²) over T time steps)', async () => {
    await tf.setBackend('wasm');
    const sequence = tf.randomNormal([4, 50, 8]);
    const backend = tf.findBackend('wasm') as unknown as { readSync(dataId: object): unknown };
    const readSync = vi.spyOn(backend, 'readSync');
    const steps = tf.tidy(() => Array.from({ length: 50 }, (_, step) => tf.slice(sequence, [0, step, 0], [4, 1, 8])));
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    expect(steps[7]?.arraySync()).toEqual(tf.tidy(() => tf.gather(sequence, [7], 1).arraySync()));
    tf.dispose([sequence, ...steps]);
  });

  it('unstack: the CPU backend’s values along every axis', async () => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, index) => index * 0.5);
    for (const axis of [0, 1, 2, -1]) {
      const { wasm, cpu } = await onBoth(() => tf.tidy(() => tf.unstack(tf.tensor3d(values, [2, 3, 4]), axis).map((part) => part.arraySync())));
      expect(wasm).toEqual(cpu);
    }
  });

  it('unstack of a long sequence stays right while its outputs grow the wasm heap (views taken before an allocation are detached)', async () => {
    await tf.setBackend('wasm');
    const sequence = tf.randomNormal([32, 800, 128]);
    const steps = tf.unstack(sequence, 1);
    expect(steps).toHaveLength(800);
    for (const step of [0, 399, 799]) expect(steps[step]?.arraySync()).toEqual(tf.tidy(() => tf.squeeze(tf.gather(sequence, [step], 1), [1]).arraySync()));
    tf.dispose([sequence, ...steps]);
  });

  it('matMul with transposed operands, plain and fused with bias and activation, and its gradients: the CPU backend’s values', async () => {
    const random = seededRandom(5);
    const matrix = (rows: number, columns: number) => Array.from({ length: rows * columns }, () => random() - 0.5);
    const [m, k, n] = [5, 7, 3];
    const a = matrix(m, k), aT = matrix(k, m), b = matrix(k, n), bT = matrix(n, k), bias = matrix(1, n);
    const { wasm, cpu } = await onBoth(() => tf.tidy(() => {
      const A = tf.tensor2d(a, [m, k]), AT = tf.tensor2d(aT, [k, m]), B = tf.tensor2d(b, [k, n]), BT = tf.tensor2d(bT, [n, k]);
      const products = [
        tf.matMul(AT, B, true, false), tf.matMul(A, BT, false, true), tf.matMul(AT, BT, true, true),
        tf.matMul(tf.stack([A, A]), tf.stack([BT, BT]), false, true),
        tf.fused.matMul({ a: AT, b: BT, transposeA: true, transposeB: true, bias: tf.tensor1d(bias), activation: 'relu' }),
      ].map((product) => product.arraySync());
      const [gradA, gradB] = tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.square(tf.matMul(x, y, false, true))))([A, BT]);
      return { products, gradients: [gradA?.arraySync(), gradB?.arraySync()] };
    }));
    // Summation order differs between the kernels: equal to float32 rounding, not bit for bit.
    const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value as number]);
    const expected = flat([cpu.products, cpu.gradients]);
    const got = flat([wasm.products, wasm.gradients]);
    expect(got.length).toBeGreaterThan(100);
    expect(got).toHaveLength(expected.length);
    for (const [index, value] of got.entries()) expect(value).toBeCloseTo(expected[index] as number, 5);
  });

  it("gather's gradient (unsorted segment sum) runs on wasm and equals the CPU backend's, repeated and out-of-range ids included", async () => {
    const table = Array.from({ length: 5 * 3 }, (_, index) => index / 10);
    const { wasm, cpu } = await onBoth(() => tf.tidy(() => {
      const gradient = tf.grad((x: Tensor) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d([0, 2, 2, 4], 'int32')), tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]]))));
      return gradient(tf.tensor2d(table, [5, 3])).arraySync();
    }));
    expect(wasm).toEqual(cpu);
    expect(wasm).toEqual([[1, 2, 3], [0, 0, 0], [11, 13, 15], [0, 0, 0], [1, 1, 1]]);
    const sums = await onBoth(() => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 0, 1, 1], 'int32'), 3).arraySync()));
    expect(sums.wasm).toEqual([2, 8, 0]);
    expect(sums.wasm).toEqual(sums.cpu);
  });
});
