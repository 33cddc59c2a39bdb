// GRPO for the built-in reasoner, as EasyR1 does it (../../../shared/data/engines.md §5.1): per
// step, rollout_batch_size prompts × n sampled chains; CamReasoner's reward from common/ota (the
// editor's code); advantages normalised within each prompt's group, (r − mean) / (std + 1e-6) with
// the unbiased std; optional online filtering of groups all right or all wrong; PPO's clipped
// ratio against the policy that sampled; the k3 ("low_var_kl") KL to the SFT reference, clamped to
// ±10, as a loss weighted by kl_coef; token-mean losses. Metrics under EasyR1's names, rollouts as
// Frustum's reward.py writes them, validation (greedy) as EasyR1's val/ keys.
import type * as tfjs from '@tensorflow/tfjs';
import { deriveSeed, seededRandom } from '../../common/random';
import { camReasonerReward, type RewardScores } from '../../common/ota/reward';
import { readCheckpoint } from '../model/checkpoint';
import { reasonerFromCheckpoint, type Reasoner } from '../model/reasoner';
import { EOS } from '../model/tokenizer';
import { finalCheckpoint, isOutOfTime, resumePoint, saveCheckpoint, setLearningRate, shuffledOrder, trainedVariables, type TrainerContext } from './context';
import type { Example } from './examples';
import { writeChains } from './sampling';
import { optimizerStep, padRows, rowOfPosition, scoreTokens, tokenMean } from './sequences';
import { balancedEpoch, type TrainOutcome } from './sft';

/** compute_grpo_outcome_advantage: per group, (score − mean) / (std + 1e-6), torch.std unbiased; a group of one gets 0. */
export function groupAdvantages(scores: readonly number[]): number[] {
  if (scores.length < 2) return scores.map(() => 0);
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (scores.length - 1));
  return scores.map((score) => (score - mean) / (std + 1e-6));
}

interface Rollout {
  example: Example;
  tokens: number[];
  text: string;
  scores: RewardScores;
  advantage: number;
}

export async function trainGrpo(context: TrainerContext, train: readonly Example[], val: readonly Example[]): Promise<TrainOutcome> {
  const { tf, config } = context;
  const init = config.model.init_checkpoint;
  if (init === null) throw new Error('GRPO starts from an SFT checkpoint: set model.init_checkpoint (frustum train --model CHECKPOINT, or train SFT first)');
  const reference = reasonerFromCheckpoint(tf, readCheckpoint(init), false);
  const makeOptimizer = () => tf.train.adam(config.worker.actor.lr);
  const resumed = await resumePoint(context, makeOptimizer);
  const policy = resumed?.reasoner ?? reasonerFromCheckpoint(tf, readCheckpoint(init));
  if (resumed === null) context.out(`starting from ${init} (also the KL reference)`);
  const optimizer: tfjs.Optimizer = resumed?.optimizer ?? makeOptimizer();
  setLearningRate(optimizer, config.worker.actor.lr);
  const variables = trainedVariables(policy);
  // The rarer answers repeated as in SFT (data.answer_balance): on CameraBench's 1 Yes to 14 No,
  // answering No everywhere earns 0.93 of the reward, and GRPO drifts there.
  const epochList = balancedEpoch(train, config.data.answer_balance);
  const prompts = Math.min(config.data.rollout_batch_size, epochList.length);
  const perEpoch = Math.ceil(epochList.length / prompts);
  const total = config.trainer.max_steps > 0 ? config.trainer.max_steps : perEpoch;
  context.out(`Total training steps: ${total}`);

  let step = resumed?.step ?? 0;
  let checkpoint: string | null = null;
  let stoppedEarly = false;
  let lastValidation: number | null = null;
  if (step === 0 && config.trainer.val_freq > 0 && val.length > 0) {
    // EasyR1 validates before the first step and logs it as step 0.
    const metrics = validate(context, policy, val);
    lastValidation = metrics['val/reward_score'] ?? null;
    context.files.logMetrics(0, metrics);
  }
  while (step < total) {
    if (isOutOfTime(context, step)) {
      stoppedEarly = true;
      break;
    }
    step += 1;
    const began = Date.now();
    const epoch = Math.floor((step - 1) / perEpoch);
    const order = shuffledOrder(epochList.length, config.trainer.seed, epoch).map((position) => epochList[position] as number);
    const within = (step - 1) % perEpoch;
    const chosen = order.slice(within * prompts, (within + 1) * prompts).map((index) => train[index] as Example);
    const rollouts = rollOut(context, policy, chosen, step);
    const generated = Date.now();
    const kept = config.algorithm.online_filtering ? filterGroups(rollouts, config.algorithm.filter_low, config.algorithm.filter_high) : rollouts;
    const update = kept.length > 0 ? updatePolicy(context, policy, reference, optimizer, variables, kept) : null;
    const metrics: Record<string, number> = {
      ...mean3('reward', rollouts.map((rollout) => rollout.scores)),
      ...(update ?? {}),
      'actor/lr': config.worker.actor.lr,
      'actor/kl_coef': config.algorithm.kl_coef,
      ...summary('response_length', rollouts.map((rollout) => rollout.tokens.length)),
      'response_length/clip_ratio': rollouts.filter((rollout) => rollout.tokens.at(-1) !== EOS).length / rollouts.length,
      ...summary('critic/advantages', rollouts.map((rollout) => rollout.advantage)),
      'timing_s/gen': (generated - began) / 1000,
      'timing_s/step': (Date.now() - began) / 1000,
    };
    if (config.algorithm.online_filtering) metrics['online_filtering/kept_ratio'] = kept.length / rollouts.length;
    const isLast = step === total;
    if (config.trainer.val_freq > 0 && val.length > 0 && (step % config.trainer.val_freq === 0 || isLast)) {
      const validation = validate(context, policy, val);
      lastValidation = validation['val/reward_score'] ?? null;
      Object.assign(metrics, validation);
    }
    context.files.logMetrics(step, metrics);
    context.files.logRollouts({ step, groups: groupsOf(rollouts, config.worker.rollout.n) });
    context.out(`step ${step}/${total}  reward ${metrics['reward/overall']?.toFixed(3)}  accuracy ${metrics['reward/accuracy']?.toFixed(3)}  format ${metrics['reward/format']?.toFixed(3)}  kl ${(metrics['actor/kl_loss'] ?? 0).toExponential(2)}  ${((Date.now() - began) / 1000).toFixed(1)} s`);
    if (step % config.trainer.save_freq === 0 && !isLast) checkpoint = await saveCheckpoint(context, policy, optimizer, step, 'grpo', lastValidation);
  }
  checkpoint = await finalCheckpoint(context, policy, optimizer, step, 'grpo', checkpoint, lastValidation);
  optimizer.dispose();
  for (const variable of Object.values(reference.weights)) variable.dispose();
  return { reasoner: policy, lastStep: step, checkpoint, stoppedEarly };
}

function rollOut(context: TrainerContext, policy: Reasoner, prompts: readonly Example[], step: number): Rollout[] {
  const { n, temperature } = context.config.worker.rollout;
  const inputs = prompts.flatMap((example) => Array.from({ length: n }, () => example));
  const random = seededRandom(deriveSeed(context.config.trainer.seed, 'rollout', step));
  const written = writeChains(context.tf, policy.weights, policy, inputs, { mode: 'sample', temperature, random });
  const rollouts = written.map((tokens, index): Rollout => {
    const example = inputs[index] as Example;
    const text = policy.tokenizer.decode(tokens);
    return { example, tokens, text, scores: camReasonerReward(text, example.groundTruth), advantage: 0 };
  });
  for (let group = 0; group < prompts.length; group += 1) {
    const members = rollouts.slice(group * n, (group + 1) * n);
    groupAdvantages(members.map((rollout) => rollout.scores.overall)).forEach((advantage, index) => {
      (members[index] as Rollout).advantage = advantage;
    });
  }
  return rollouts;
}

/** EasyR1's online filtering: keep a prompt's group only when its mean accuracy is strictly between the bounds. */
function filterGroups(rollouts: readonly Rollout[], low: number, high: number): Rollout[] {
  const byExample = new Map<Example, Rollout[]>();
  for (const rollout of rollouts) byExample.set(rollout.example, [...(byExample.get(rollout.example) ?? []), rollout]);
  return [...byExample.values()].filter((group) => {
    const accuracy = group.reduce((sum, rollout) => sum + rollout.scores.accuracy, 0) / group.length;
    return accuracy > low && accuracy < high;
  }).flat();
}

function updatePolicy(context: TrainerContext, policy: Reasoner, reference: Reasoner, optimizer: tfjs.Optimizer, variables: tfjs.Variable[], rollouts: readonly Rollout[]): Record<string, number> {
  const { tf, config } = context;
  const { clip_ratio_low: low, clip_ratio_high: high, global_batch_size: batchSize, ppo_epochs: epochs, max_grad_norm: maxNorm } = config.worker.actor;
  const totals = { pg: 0, kl: 0, entropy: 0, clipfrac: 0, ppoKl: 0, gradNorm: 0, batches: 0 };
  for (let start = 0; start < rollouts.length; start += batchSize) {
    const minibatch = rollouts.slice(start, start + batchSize);
    const examples = minibatch.map((rollout) => rollout.example);
    const padded = padRows(minibatch.map((rollout) => rollout.tokens));
    const steps = padded.steps;
    // The sampling policy's and the reference's log-probs, teacher-forced like the loss (not the
    // sampler's own numbers, which a batched product may round differently).
    const old = tf.tidy(() => scoreTokens(tf, policy.weights, policy, examples, padded).logProbs);
    const ref = tf.tidy(() => scoreTokens(tf, reference.weights, reference, examples, padded).logProbs);
    const mask = tf.tensor1d(padded.mask);
    const advantages = tf.tensor1d(Float32Array.from({ length: padded.batch * steps }, (_, position) => (minibatch[rowOfPosition(padded, position)] as Rollout).advantage));
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      let parts: { pg: number; kl: number; entropy: number; clipfrac: number; ppoKl: number } | null = null;
      const result = optimizerStep(tf, optimizer, variables, () => {
        const scores = scoreTokens(tf, policy.weights, policy, examples, padded, { entropy: true });
        const ratio = tf.exp(tf.sub(scores.logProbs, old));
        const unclipped = tf.neg(tf.mul(advantages, ratio));
        const clipped = tf.neg(tf.mul(advantages, tf.clipByValue(ratio, 1 - low, 1 + high)));
        const pgLoss = tokenMean(tf, tf.maximum(unclipped, clipped), mask);
        const logRatio = tf.sub(ref, scores.logProbs);
        const k3 = tf.clipByValue(tf.sub(tf.sub(tf.exp(logRatio), logRatio), 1), -10, 10);
        const klLoss = tokenMean(tf, k3, mask);
        parts = tf.tidy(() => ({
          pg: pgLoss.dataSync()[0] as number,
          kl: klLoss.dataSync()[0] as number,
          entropy: tokenMean(tf, scores.entropy as tfjs.Tensor1D, mask).dataSync()[0] as number,
          clipfrac: tokenMean(tf, tf.cast(tf.greater(clipped, unclipped), 'float32'), mask).dataSync()[0] as number,
          ppoKl: tokenMean(tf, tf.sub(old, scores.logProbs), mask).dataSync()[0] as number,
        }));
        return tf.add(pgLoss, tf.mul(klLoss, config.algorithm.kl_coef)) as tfjs.Scalar;
      }, maxNorm);
      const measured = parts as unknown as { pg: number; kl: number; entropy: number; clipfrac: number; ppoKl: number };
      totals.pg += measured.pg;
      totals.kl += measured.kl;
      totals.entropy += measured.entropy;
      totals.clipfrac += measured.clipfrac;
      totals.ppoKl += measured.ppoKl;
      totals.gradNorm += result.gradNorm;
      totals.batches += 1;
    }
    tf.dispose([old, ref, mask, advantages]);
  }
  const mean = (value: number) => value / Math.max(1, totals.batches);
  return {
    'actor/pg_loss': mean(totals.pg),
    'actor/kl_loss': mean(totals.kl),
    'actor/entropy_loss': mean(totals.entropy),
    'actor/pg_clipfrac_higher': mean(totals.clipfrac),
    'actor/ppo_kl': mean(totals.ppoKl),
    'actor/grad_norm': mean(totals.gradNorm),
  };
}

/** Greedy chains on the validation records: EasyR1's val/reward_score and val/{key}_reward. */
export function validate(context: TrainerContext, policy: Reasoner, val: readonly Example[]): Record<string, number> {
  const scores: RewardScores[] = [];
  const lengths: number[] = [];
  for (let start = 0; start < val.length; start += 64) {
    const batch = val.slice(start, start + 64);
    const written = writeChains(context.tf, policy.weights, policy, batch, { mode: 'greedy' });
    written.forEach((tokens, index) => {
      scores.push(camReasonerReward(policy.tokenizer.decode(tokens), (batch[index] as Example).groundTruth));
      lengths.push(tokens.length);
    });
  }
  const means = mean3('val', scores);
  return {
    'val/reward_score': means['val/overall'] as number,
    'val/overall_reward': means['val/overall'] as number,
    'val/format_reward': means['val/format'] as number,
    'val/accuracy_reward': means['val/accuracy'] as number,
    'val_response_length/mean': lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length),
  };
}

function mean3(prefix: string, scores: readonly RewardScores[]): Record<string, number> {
  const mean = (key: keyof RewardScores) => scores.reduce((sum, score) => sum + score[key], 0) / Math.max(1, scores.length);
  return { [`${prefix}/overall`]: mean('overall'), [`${prefix}/format`]: mean('format'), [`${prefix}/accuracy`]: mean('accuracy') };
}

function summary(prefix: string, values: readonly number[]): Record<string, number> {
  if (values.length === 0) return {};
  return {
    [`${prefix}/mean`]: values.reduce((sum, value) => sum + value, 0) / values.length,
    [`${prefix}/max`]: Math.max(...values),
    [`${prefix}/min`]: Math.min(...values),
  };
}

/** rollouts.jsonl groups, as reward.py writes them for EasyR1. */
function groupsOf(rollouts: readonly Rollout[], n: number): unknown[] {
  const groups: unknown[] = [];
  for (let start = 0; start < rollouts.length; start += n) {
    const members = rollouts.slice(start, start + n);
    const first = members[0] as Rollout;
    groups.push({
      sample: first.example.sampleId,
      ground_truth: first.example.groundTruth,
      responses: members.map((rollout) => ({ text: rollout.text, length: rollout.tokens.length, ...rollout.scores, advantage: rollout.advantage })),
    });
  }
  return groups;
}
