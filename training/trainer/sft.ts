// SFT for the built-in reasoner: cross-entropy on the chain tokens given the clip's evidence and
// the question, plus an auxiliary loss on the context (which pieces the chain holds); records with
// the rarer answer repeated in each epoch (data.answer_balance); Adam with warm-up and cosine
// decay, gradients clipped to max_grad_norm. Logged per step as LLaMA-Factory names SFT curves
// (loss, lr, epoch, grad_norm; aux_loss beside them), in EasyR1's file.
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../model/network';
import { freshReasoner, type ModelInput, type Reasoner } from '../model/reasoner';
import { EOS } from '../model/tokenizer';
import { finalCheckpoint, isOutOfTime, learningRateAt, resumePoint, saveCheckpoint, setLearningRate, shuffledOrder, trainedVariables, type TrainerContext } from './context';
import type { Example } from './examples';
import { optimizerStep, padRows, scoreTokens, tokenMean } from './sequences';

/** The auxiliary bag-of-pieces loss's weight against the chain's cross-entropy. */
const AUXILIARY_WEIGHT = 1;

export interface TrainOutcome {
  reasoner: Reasoner;
  lastStep: number;
  checkpoint: string | null;
  stoppedEarly: boolean;
}

export async function trainSft(context: TrainerContext, examples: readonly Example[], evidenceFeatures: string[]): Promise<TrainOutcome> {
  const { tf, config } = context;
  const chains = examples.map((example) => example.chain ?? '');
  const makeOptimizer = () => tf.train.adam(config.worker.actor.lr);
  const resumed = await resumePoint(context, makeOptimizer);
  const reasoner = resumed?.reasoner ?? freshReasoner(tf, {
    chains,
    inputs: examples,
    evidenceFeatures,
    sizes: { context: config.model.context, embedding: config.model.embedding, hidden: config.model.hidden },
    maxTokens: config.data.max_response_length,
    minPieceCount: config.data.min_piece_count,
    seed: config.trainer.seed,
  });
  const optimizer: tfjs.Optimizer = resumed?.optimizer ?? makeOptimizer();
  const encoded = chains.map((chain) => reasoner.tokenizer.encode(chain));
  // Each chain then EOS, cut to max_response_length (a cut chain has no EOS: the model learns to go on).
  const rows = encoded.map((tokens) => [...tokens, EOS].slice(0, reasoner.maxTokens));
  const cut = encoded.filter((tokens) => tokens.length + 1 > reasoner.maxTokens).length;
  context.out(`${examples.length} chains, vocabulary of ${reasoner.shape.vocabulary} pieces, ${Math.round(rows.reduce((sum, row) => sum + row.length, 0) / Math.max(1, rows.length))} tokens per chain on average${cut > 0 ? `; ${cut} longer than data.max_response_length ${reasoner.maxTokens} are cut` : ''}`);

  const epochList = balancedEpoch(examples, config.data.answer_balance);
  if (epochList.length > examples.length) context.out(`data.answer_balance ${config.data.answer_balance}: ${epochList.length - examples.length} repeats of rarer answers per epoch (${epochList.length} records an epoch)`);
  const batchSize = Math.min(config.worker.actor.global_batch_size, epochList.length);
  const perEpoch = Math.ceil(epochList.length / batchSize);
  const total = perEpoch * config.trainer.total_epochs;
  context.out(`Total training steps: ${total}`);
  const variables = trainedVariables(reasoner);
  let step = resumed?.step ?? 0;
  let order: number[] = [];
  let orderEpoch = -1;
  let checkpoint: string | null = null;
  let stoppedEarly = false;
  const started = Date.now();
  let tokensSeen = 0;
  while (step < total) {
    if (isOutOfTime(context, step)) {
      stoppedEarly = true;
      break;
    }
    step += 1;
    const epoch = Math.floor((step - 1) / perEpoch);
    if (epoch !== orderEpoch) {
      order = shuffledOrder(epochList.length, config.trainer.seed, epoch).map((position) => epochList[position] as number);
      orderEpoch = epoch;
    }
    const within = (step - 1) % perEpoch;
    const chosen = order.slice(within * batchSize, (within + 1) * batchSize);
    const batch = chosen.map((index) => examples[index] as Example);
    const rate = learningRateAt(config.worker.actor.lr, step, total);
    setLearningRate(optimizer, rate);
    let auxiliary = 0;
    const result = optimizerStep(tf, optimizer, variables, () => {
      const losses = sftLosses(tf, reasoner, batch, chosen.map((index) => rows[index] as number[]));
      auxiliary = losses.auxiliary.dataSync()[0] as number;
      return losses.total;
    }, config.worker.actor.max_grad_norm);
    tokensSeen += chosen.reduce((sum, index) => sum + (rows[index] as number[]).length, 0);
    const epochs = step / perEpoch;
    context.files.logMetrics(step, { loss: round(result.loss - AUXILIARY_WEIGHT * auxiliary), aux_loss: round(auxiliary), lr: rate, epoch: round(epochs), grad_norm: round(result.gradNorm), 'perf/throughput': Math.round(tokensSeen / Math.max(0.001, (Date.now() - started) / 1000)) });
    context.out(`step ${step}/${total}  epoch ${epochs.toFixed(2)}  loss ${result.loss.toFixed(4)}  lr ${rate.toExponential(2)}`);
    if (step % config.trainer.save_freq === 0 && step < total) checkpoint = await saveCheckpoint(context, reasoner, optimizer, step, 'sft', null);
  }
  checkpoint = await finalCheckpoint(context, reasoner, optimizer, step, 'sft', checkpoint, null);
  optimizer.dispose();
  return { reasoner, lastStep: step, checkpoint, stoppedEarly };
}

/** SFT's loss on one batch: the chain tokens' cross-entropy plus the auxiliary bag-of-pieces loss (differentiable). */
export function sftLosses(tf: TF, reasoner: Reasoner, batch: readonly ModelInput[], rows: readonly (readonly number[])[]): { total: tfjs.Scalar; auxiliary: tfjs.Scalar } {
  const padded = padRows(rows);
  const scores = scoreTokens(tf, reasoner.weights, reasoner, batch, padded);
  const loss = tf.neg(tokenMean(tf, scores.logProbs, tf.tensor1d(padded.mask)));
  const logits = tf.add(tf.matMul(scores.context, reasoner.weights['aux_w'] as tfjs.Tensor2D), reasoner.weights['aux_b'] as tfjs.Tensor1D);
  const bags = tf.tensor2d(piecesPresent(rows, reasoner.shape.vocabulary), [rows.length, reasoner.shape.vocabulary]);
  const auxiliary = tf.losses.sigmoidCrossEntropy(bags, logits) as tfjs.Scalar;
  return { total: tf.add(loss, tf.mul(auxiliary, AUXILIARY_WEIGHT)) as tfjs.Scalar, auxiliary };
}

/** Each example's index, repeated (max count / its answer's count) ^ exponent times, rounded. */
export function balancedEpoch(examples: readonly Example[], exponent: number): number[] {
  const counts = new Map<string, number>();
  for (const example of examples) counts.set(example.groundTruth, (counts.get(example.groundTruth) ?? 0) + 1);
  const most = Math.max(0, ...counts.values());
  return examples.flatMap((example, index) => {
    const times = exponent === 0 ? 1 : Math.max(1, Math.round((most / (counts.get(example.groundTruth) as number)) ** exponent));
    return Array.from({ length: times }, () => index);
  });
}

/** Multi-hot rows: which pieces each chain holds (the auxiliary head's targets). */
function piecesPresent(rows: readonly (readonly number[])[], vocabulary: number): Float32Array {
  const bags = new Float32Array(rows.length * vocabulary);
  rows.forEach((row, index) => {
    for (const token of row) bags[index * vocabulary + token] = 1;
  });
  return bags;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
