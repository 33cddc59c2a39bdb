// The built-in reasoner's network in TensorFlow.js ops, written out rather than with tf.layers so
// that training (teacher-forced over whole chains), sampling (one token at a time with a carried
// state) and the ONNX export (../onnx) share one set of weights under one set of equations:
//
//   encoder:  seen = relu(evidence · enc_w1 + enc_b1)                                [B, C]
//             motion = tanh(seen · enc_w2 + enc_b2)                                   [B, C − 2·C/4]
//             asked = tanh(question · enc_wq + enc_bq)                                [B, C/4]
//             match = tanh(relu(seen · enc_wm + question · enc_wmq + enc_bm) · enc_wm2 + enc_bm2)
//                                                                                     [B, C/4]
//             context = [motion ; asked ; match]                                      [B, C]
//             Motion and question each have a part of their own: mixed in one layer, the
//             clip's 470 evidence features drowned the question's dozen words, and SFT chains
//             restated the wrong question. The match part sees both through a hidden layer,
//             because the answer is their comparison ("moves left" is Yes to one question and
//             No to another), which a sum inside one tanh cannot express.
//             h₀ = tanh(context · init_w + init_b)                              [B, H]
//   decoder:  x_t = [emb[token_t] ; context]                                   (context at EVERY step:
//             without it the answers stay at chance; with it 82–92 % on templated data, issue 11)
//             a GRU, gates in ONNX's order z, r, h and its linear_before_reset = 0 form:
//               z = σ(x W_z + h R_z + b_z),  r = σ(x W_r + h R_r + b_r)
//               ĥ = tanh(x W_h + (r ⊙ h) R_h + b_h),  h' = (1 − z) ⊙ ĥ + z ⊙ h
//             with W = [gru_w_token ; gru_w_context] and R = gru_r, each [·, 3H] as z | r | h
//             logits_t = h'_t · out_w + out_b                                   [B, V]
//
// The input projection of every step is one matrix product before the loop (the context's share is
// computed once per chain), so the loop holds only the recurrent product and the gates.
import type * as tfjs from '@tensorflow/tfjs';
import { recurrence } from './gruRecurrence';

export type TF = typeof tfjs;
type Tensor = tfjs.Tensor;
type Tensor1D = tfjs.Tensor1D;
type Tensor2D = tfjs.Tensor2D;

export interface NetworkShape {
  evidenceWidth: number;
  questionWidth: number;
  vocabulary: number;
  /** Context width C. */
  context: number;
  /** Token embedding width E. */
  embedding: number;
  /** GRU state width H. */
  hidden: number;
}

export const DEFAULT_SIZES = { context: 128, embedding: 64, hidden: 128 } as const;

/** Every weight, by the name the checkpoint and the ONNX export use, with its shape. */
export function parameterShapes(shape: NetworkShape): Record<string, number[]> {
  const { evidenceWidth, questionWidth, vocabulary, context, embedding, hidden } = shape;
  return {
    enc_w1: [evidenceWidth, context],
    enc_b1: [context],
    enc_w2: [context, context - 2 * partWidth(context)],
    enc_b2: [context - 2 * partWidth(context)],
    enc_wq: [questionWidth, partWidth(context)],
    enc_bq: [partWidth(context)],
    enc_wm: [context, context],
    enc_wmq: [questionWidth, context],
    enc_bm: [context],
    enc_wm2: [context, partWidth(context)],
    enc_bm2: [partWidth(context)],
    init_w: [context, hidden],
    init_b: [hidden],
    emb: [vocabulary, embedding],
    gru_w_token: [embedding, 3 * hidden],
    gru_w_context: [context, 3 * hidden],
    gru_r: [hidden, 3 * hidden],
    gru_b: [3 * hidden],
    out_w: [hidden, vocabulary],
    out_b: [vocabulary],
    // SFT's auxiliary head, training only (not exported): which pieces the chain holds, from the
    // context alone. Without it the decoder first fits the chains' template, and the context's
    // small share of the gradient (the few tokens that depend on the clip or the question) leaves
    // it ignored: on the demo, SFT then answers "No" to everything.
    aux_w: [context, vocabulary],
    aux_b: [vocabulary],
  };
}

/** The width of the context's question part and of its match part. */
export function partWidth(context: number): number {
  return Math.floor(context / 4);
}

export type Weights<T = Tensor> = Record<string, T>;

/** Glorot-uniform matrices, zero biases, embeddings ±0.05; seeded so a run is repeatable. */
export function initialWeights(tf: TF, shape: NetworkShape, seed: number): Weights<tfjs.Variable> {
  const weights: Weights<tfjs.Variable> = {};
  let index = 0;
  for (const [name, dims] of Object.entries(parameterShapes(shape))) {
    index += 1;
    let value: Tensor;
    if (dims.length === 1) value = tf.zeros(dims);
    else if (name === 'emb') value = tf.randomUniform(dims, -0.05, 0.05, 'float32', seed + index);
    else {
      const limit = Math.sqrt(6 / ((dims[0] as number) + (dims[1] as number)));
      value = tf.randomUniform(dims, -limit, limit, 'float32', seed + index);
    }
    // Unnamed: tfjs names variables globally, and a reference model and its policy coexist.
    weights[name] = tf.variable(value, true);
    value.dispose();
  }
  return weights;
}

export interface Encoded {
  context: Tensor2D;
  state: Tensor2D;
  /** The context's share of every step's gate inputs, bias included: [B, 3H]. */
  contextGates: Tensor2D;
}

export function encode(tf: TF, weights: Weights, evidence: Tensor2D, question: Tensor2D): Encoded {
  const dense = (input: Tensor2D, weight: string, bias: string) => tf.add(tf.matMul(input, weights[weight] as Tensor2D), weights[bias] as Tensor1D) as Tensor2D;
  const seen = tf.relu(dense(evidence, 'enc_w1', 'enc_b1')) as Tensor2D;
  const motion = tf.tanh(dense(seen, 'enc_w2', 'enc_b2'));
  const asked = tf.tanh(dense(question, 'enc_wq', 'enc_bq'));
  const both = tf.relu(tf.add(dense(seen, 'enc_wm', 'enc_bm'), tf.matMul(question, weights['enc_wmq'] as Tensor2D))) as Tensor2D;
  const match = tf.tanh(dense(both, 'enc_wm2', 'enc_bm2'));
  const context = tf.concat([motion, asked, match], 1) as Tensor2D;
  const state = tf.tanh(tf.add(tf.matMul(context, weights['init_w'] as Tensor2D), weights['init_b'] as Tensor1D)) as Tensor2D;
  const contextGates = tf.add(tf.matMul(context, weights['gru_w_context'] as Tensor2D), weights['gru_b'] as Tensor1D) as Tensor2D;
  return { context, state, contextGates };
}

/** The recurrent weights split once per call: R_zr [H, 2H] and R_h [H, H]. */
function recurrent(tf: TF, weights: Weights): { zr: Tensor2D; h: Tensor2D; hidden: number } {
  const gruR = weights['gru_r'] as Tensor2D;
  const hidden = gruR.shape[0];
  const [zr, h] = tf.split(gruR, [2 * hidden, hidden], 1) as [Tensor2D, Tensor2D];
  return { zr, h, hidden };
}

/**
 * One GRU step from this step's gate inputs x W + b (the context's share included), given split
 * as the z|r part [B, 2H] and the h part [B, H]. Decoding runs it; training runs the same
 * equations in ./gruRecurrence.ts.
 */
function cell(tf: TF, rec: { zr: Tensor2D; h: Tensor2D; hidden: number }, gatesZR: Tensor2D, gatesH: Tensor2D, state: Tensor2D): Tensor2D {
  const zr = tf.sigmoid(tf.add(gatesZR, tf.matMul(state, rec.zr)));
  const [z, r] = tf.split(zr, 2, 1) as [Tensor2D, Tensor2D];
  const candidate = tf.tanh(tf.add(gatesH, tf.matMul(tf.mul(r, state), rec.h)));
  // (1 − z) ĥ + z h = ĥ + z (h − ĥ): one product fewer.
  return tf.add(candidate, tf.mul(z, tf.sub(state, candidate))) as Tensor2D;
}

/**
 * Teacher-forced logits, time-major: tokens [T, B] int32 (row 0 all BOS) → logits [T·B, V], row
 * t·B + b predicting the token after tokens[t, b]. Time-major end to end, so the recurrence reads
 * its steps without a transpose of the gate inputs, and the two gate parts come from two products
 * instead of a split of one (each a copy of T·B·3H values, forward and back).
 */
export function decodeSequence(tf: TF, weights: Weights, encoded: Encoded, tokens: tfjs.Tensor2D): Tensor2D {
  const [steps, batch] = tokens.shape;
  const rec = recurrent(tf, weights);
  const { hidden } = rec;
  const embedded = tf.gather(weights['emb'] as Tensor2D, tokens.reshape([steps * batch])) as Tensor2D;
  const [tokenZR, tokenH] = tf.split(weights['gru_w_token'] as Tensor2D, [2 * hidden, hidden], 1) as [Tensor2D, Tensor2D];
  const [contextZR, contextH] = tf.split(encoded.contextGates, [2 * hidden, hidden], 1) as [Tensor2D, Tensor2D];
  const gatesZR = tf.add(tf.matMul(embedded, tokenZR).reshape([steps, batch, 2 * hidden]), contextZR.reshape([1, batch, 2 * hidden])) as tfjs.Tensor3D;
  const gatesH = tf.add(tf.matMul(embedded, tokenH).reshape([steps, batch, hidden]), contextH.reshape([1, batch, hidden])) as tfjs.Tensor3D;
  // The same equations as `cell`, with a backward written by hand (./gruRecurrence.ts): autograd
  // through T steps of small kernels was most of a training step.
  const states = recurrence(tf, gatesZR, gatesH, encoded.state, rec.zr, rec.h);
  const all = states.reshape([steps * batch, hidden]) as Tensor2D;
  return tf.add(tf.matMul(all, weights['out_w'] as Tensor2D), weights['out_b'] as Tensor1D) as Tensor2D;
}

/** One decoding step for every row: previous tokens [B] int32 and state [B, H] → logits [B, V] and the next state. */
export function decodeStep(tf: TF, weights: Weights, encoded: Pick<Encoded, 'contextGates'>, previous: tfjs.Tensor1D, state: Tensor2D): { logits: Tensor2D; state: Tensor2D } {
  const embedded = tf.gather(weights['emb'] as Tensor2D, previous) as Tensor2D;
  const gates = tf.add(tf.matMul(embedded, weights['gru_w_token'] as Tensor2D), encoded.contextGates) as Tensor2D;
  const rec = recurrent(tf, weights);
  const [gatesZR, gatesH] = tf.split(gates, [2 * rec.hidden, rec.hidden], 1) as [Tensor2D, Tensor2D];
  const next = cell(tf, rec, gatesZR, gatesH, state);
  const logits = tf.add(tf.matMul(next, weights['out_w'] as Tensor2D), weights['out_b'] as Tensor1D) as Tensor2D;
  return { logits, state: next };
}
