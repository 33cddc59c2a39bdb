// The hand-written sparse cross-entropy against the same quantity built from tfjs ops (logSoftmax,
// a one-hot and a product) with autograd through them, on the CPU backend.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { seededRandom } from '../../common/random';
import { loadTensorflow } from '../tensorflow';
import type { TF } from './network';
import { targetLogProbs } from './targetLogProbs';

let tf: TF;
beforeAll(async () => {
  tf = (await loadTensorflow({ only: '@tensorflow/tfjs' })).tf;
});

describe('targetLogProbs', () => {
  it('gives log p(target) and its gradient as logSoftmax with autograd does', () => {
    const random = seededRandom(3);
    const [rows, vocabulary] = [9, 7];
    const logits = tf.tensor2d(Array.from({ length: rows * vocabulary }, () => (random() - 0.5) * 20), [rows, vocabulary]);
    const targets = Int32Array.from({ length: rows }, () => Math.floor(random() * vocabulary));
    // A weight per row, zero for one (a padded position): its gradient must be zero too.
    const weights = tf.tensor1d(Array.from({ length: rows }, (_, row) => (row === 4 ? 0 : random() - 0.5)));
    const reference = (input: tfjs.Tensor) => tf.sum(tf.mul(tf.logSoftmax(input as tfjs.Tensor2D), tf.oneHot(tf.tensor1d(targets, 'int32'), vocabulary)), 1);
    const ours = (input: tfjs.Tensor) => targetLogProbs(tf, input as tfjs.Tensor2D, targets);
    const values = (compute: (input: tfjs.Tensor) => tfjs.Tensor) => [...tf.tidy(() => compute(logits).dataSync())];
    const gradient = (compute: (input: tfjs.Tensor) => tfjs.Tensor) => [...tf.tidy(() => tf.grad((input: tfjs.Tensor) => tf.sum(tf.mul(compute(input), weights)))(logits).dataSync())];
    const expectedValues = values(reference);
    values(ours).forEach((value, index) => expect(value).toBeCloseTo(expectedValues[index] as number, 5));
    const expectedGradient = gradient(reference);
    const actualGradient = gradient(ours);
    actualGradient.forEach((value, index) => expect(value).toBeCloseTo(expectedGradient[index] as number, 6));
    expect(actualGradient.slice(4 * vocabulary, 5 * vocabulary).every((value) => value === 0)).toBe(true);
    expect(() => targetLogProbs(tf, logits, new Int32Array(3))).toThrow(/3 targets for 9 rows/);
  });
});
