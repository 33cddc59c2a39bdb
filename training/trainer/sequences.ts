// Chains as token rows, padded batches, and the per-token log-probabilities both objectives need:
// SFT's cross-entropy is their negated mean, GRPO's ratios and KL are built from them.
import type * as tfjs from '@tensorflow/tfjs';
import { decodeSequence, encode, type TF, type Weights } from '../model/network';
import { inputTensors, type ModelInput, type Reasoner } from '../model/reasoner';
import { targetLogProbs } from '../model/targetLogProbs';
import { BOS, PAD } from '../model/tokenizer';

/**
 * A batch of token rows padded to one length, time-major as the decoder reads them: position
 * t·batch + b is row b's step t.
 */
export interface PaddedBatch {
  batch: number;
  steps: number;
  /** BOS then each row but its last token: what the decoder reads. */
  inputs: Int32Array;
  /** Each row: what the decoder should write at each step. */
  targets: Int32Array;
  /** 1 where a target is real, 0 on padding. */
  mask: Float32Array;
}

export function padRows(rows: readonly (readonly number[])[]): PaddedBatch {
  const steps = Math.max(1, ...rows.map((row) => row.length));
  const batch = rows.length;
  const inputs = new Int32Array(batch * steps).fill(PAD);
  const targets = new Int32Array(batch * steps).fill(PAD);
  const mask = new Float32Array(batch * steps);
  rows.forEach((row, index) => {
    inputs[index] = BOS;
    row.forEach((token, step) => {
      targets[step * batch + index] = token;
      mask[step * batch + index] = 1;
      if (step + 1 < steps) inputs[(step + 1) * batch + index] = token;
    });
  });
  return { batch, steps, inputs, targets, mask };
}

/** The row of a position in a padded batch's arrays. */
export function rowOfPosition(padded: PaddedBatch, position: number): number {
  return position % padded.batch;
}

export interface TokenScores {
  /** log p(target) per position of the padded batch: [T·B], time-major. */
  logProbs: tfjs.Tensor1D;
  /** Entropy of each position's distribution: [T·B] (when asked for: it costs an exp over every logit). */
  entropy: tfjs.Tensor1D | null;
  /** The encoder's context [B, C] (SFT's auxiliary loss reads it). */
  context: tfjs.Tensor2D;
}

/** Teacher-forced scores of the batch's targets under these weights (differentiable). */
export function scoreTokens(tf: TF, weights: Weights, reasoner: Reasoner, examples: readonly ModelInput[], padded: PaddedBatch, options: { entropy?: boolean } = {}): TokenScores {
  const { evidence, question } = inputTensors(tf, reasoner, examples);
  const encoded = encode(tf, weights, evidence, question);
  const tokens = tf.tensor2d(padded.inputs, [padded.steps, padded.batch], 'int32');
  const logits = decodeSequence(tf, weights, encoded, tokens);
  const logProbs = targetLogProbs(tf, logits, padded.targets);
  let entropy: tfjs.Tensor1D | null = null;
  if (options.entropy === true) {
    const logSoftmax = tf.logSoftmax(logits);
    entropy = tf.neg(tf.sum(tf.mul(tf.exp(logSoftmax), logSoftmax), 1)) as tfjs.Tensor1D;
  }
  return { logProbs, entropy, context: encoded.context };
}

/** Mean over the real tokens (EasyR1's loss_avg_mode "token"). */
export function tokenMean(tf: TF, values: tfjs.Tensor, mask: tfjs.Tensor1D): tfjs.Scalar {
  return tf.div(tf.sum(tf.mul(values, mask)), tf.maximum(tf.sum(mask), 1)) as tfjs.Scalar;
}

export interface StepResult {
  loss: number;
  gradNorm: number;
}

/**
 * One optimiser step on `lossOf` with the gradients' global norm clipped to `maxNorm`
 * (EasyR1's and the HF Trainer's max_grad_norm). Variables in a fixed order: Adam's moments are
 * matched to them by position when a checkpoint's optimiser state is restored.
 */
export function optimizerStep(tf: TF, optimizer: tfjs.Optimizer, variables: tfjs.Variable[], lossOf: () => tfjs.Scalar, maxNorm: number): StepResult {
  const { value, grads } = tf.variableGrads(lossOf, variables);
  const result = tf.tidy(() => {
    // A variable the loss does not reach (SFT's auxiliary head under GRPO) has no gradient.
    const names = variables.map((variable) => variable.name).filter((name) => grads[name] !== undefined && grads[name] !== null);
    const squares = names.map((name) => tf.sum(tf.square(grads[name] as tfjs.Tensor)));
    const norm = tf.sqrt(tf.addN(squares)).dataSync()[0] as number;
    const scale = Number.isFinite(norm) && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
    const clipped: Record<string, tfjs.Tensor> = {};
    for (const name of names) clipped[name] = scale === 1 ? (grads[name] as tfjs.Tensor) : tf.mul(grads[name] as tfjs.Tensor, scale);
    if (Number.isFinite(norm)) optimizer.applyGradients(clipped);
    return { loss: value.dataSync()[0] as number, gradNorm: norm };
  });
  value.dispose();
  for (const gradient of Object.values(grads)) gradient.dispose();
  return result;
}
