// Chains written by the model in TensorFlow.js, one token at a time for a whole batch: GRPO's
// rollouts (sampled at the rollout temperature) and validation (greedy). Inference outside training
// runs the exported ONNX model instead (../onnx); the parity test keeps the two the same.
import type * as tfjs from '@tensorflow/tfjs';
import type { Random } from '../../common/random';
import { decodeStep, encode, type TF, type Weights } from '../model/network';
import { inputTensors, type ModelInput, type Reasoner } from '../model/reasoner';
import { BOS, EOS } from '../model/tokenizer';

export type Decoding = { mode: 'greedy' } | { mode: 'sample'; temperature: number; random: Random };

/** Each row's tokens, EOS included when the model wrote it within `maxTokens`. */
export function writeChains(tf: TF, weights: Weights, reasoner: Reasoner, examples: readonly ModelInput[], decoding: Decoding, maxTokens = reasoner.maxTokens): number[][] {
  const rows = examples.length;
  const written: number[][] = examples.map(() => []);
  if (rows === 0) return written;
  const vocabulary = reasoner.shape.vocabulary;
  const { contextGates, state: first } = tf.tidy(() => {
    const { evidence, question } = inputTensors(tf, reasoner, examples);
    const encoded = encode(tf, weights, evidence, question);
    return { contextGates: encoded.contextGates, state: encoded.state };
  });
  let state: tfjs.Tensor2D = first;
  const previous = new Int32Array(rows).fill(BOS);
  const done = new Uint8Array(rows);
  let open = rows;
  try {
    for (let step = 0; step < maxTokens && open > 0; step += 1) {
      const { logits, state: next } = tf.tidy(() => decodeStep(tf, weights, { contextGates }, tf.tensor1d(previous, 'int32'), state));
      state.dispose();
      state = next;
      const values = logits.dataSync() as Float32Array;
      logits.dispose();
      for (let row = 0; row < rows; row += 1) {
        if (done[row] === 1) continue;
        const token = choose(values, row * vocabulary, vocabulary, decoding);
        written[row]!.push(token);
        previous[row] = token;
        if (token === EOS) {
          done[row] = 1;
          open -= 1;
        }
      }
    }
  } finally {
    state.dispose();
    contextGates.dispose();
  }
  return written;
}

/** Argmax (first of equals, as ONNX decoding does), or a draw from softmax(logits / temperature). */
export function choose(values: Float32Array, offset: number, size: number, decoding: Decoding): number {
  let best = 0;
  for (let index = 1; index < size; index += 1) if (values[offset + index]! > values[offset + best]!) best = index;
  if (decoding.mode === 'greedy') return best;
  const top = values[offset + best]!;
  let total = 0;
  const weights = new Float64Array(size);
  for (let index = 0; index < size; index += 1) {
    weights[index] = Math.exp((values[offset + index]! - top) / decoding.temperature);
    total += weights[index]!;
  }
  let draw = decoding.random() * total;
  for (let index = 0; index < size; index += 1) {
    draw -= weights[index]!;
    if (draw <= 0) return index;
  }
  return best;
}
