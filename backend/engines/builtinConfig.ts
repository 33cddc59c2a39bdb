// builtin.yaml: the built-in trainer's (training/trainer) settings, in the run folder beside the frozen data. Key names
// follow EasyR1's where the idea is the same (data.rollout_batch_size, worker.rollout.n,
// worker.actor.global_batch_size, algorithm.kl_coef, trainer.save_freq…), so a person who knows
// one knows the other; `frustum train --set key=value` overrides any of them.
import { boolean, number, object, string, type infer as Infer } from 'zod';

const positive = () => number().int().positive();

export const builtinConfig = object({
  model: object({
    context: positive(),
    embedding: positive(),
    hidden: positive(),
    /** Where GRPO starts from (and its KL reference): an SFT checkpoint folder. Null for SFT. */
    init_checkpoint: string().nullable(),
  }).strict(),
  data: object({
    /** Longest chain the model writes, in tokens; longer training chains are cut (and said so). */
    max_response_length: positive(),
    /** GRPO: prompts per step. */
    rollout_batch_size: positive(),
    /** Pieces seen fewer times than this are spelled out by characters. */
    min_piece_count: positive(),
    /**
     * Records (SFT) and prompts (GRPO) whose answer is rarer are repeated in each epoch, (most common answer's count /
     * this answer's count) ^ this times, rounded (0: never). CameraBench's binary questions are
     * 1 Yes to 14 No per clip; without it both objectives learn to answer No.
     */
    answer_balance: number().min(0).max(1),
  }).strict(),
  worker: object({
    actor: object({
      /** Sequences per gradient step (SFT: records per batch). */
      global_batch_size: positive(),
      lr: number().positive(),
      max_grad_norm: number().positive(),
      /** PPO's clip range ε (EasyR1: clip_ratio_low / clip_ratio_high). */
      clip_ratio_low: number().positive(),
      clip_ratio_high: number().positive(),
      /** GRPO: passes over each step's rollouts. */
      ppo_epochs: positive(),
    }).strict(),
    rollout: object({
      /** GRPO: responses per prompt (G). */
      n: positive(),
      temperature: number().positive(),
    }).strict(),
  }).strict(),
  algorithm: object({
    /** k3 KL to the reference, weighted (EasyR1: use_kl_loss with kl_coef). */
    kl_coef: number().nonnegative(),
    /** Drop groups whose mean accuracy is ≤ filter_low or ≥ filter_high (EasyR1's online_filtering). */
    online_filtering: boolean(),
    filter_low: number(),
    filter_high: number(),
  }).strict(),
  trainer: object({
    /** SFT: passes over the records. GRPO: ignored (max_steps counts). */
    total_epochs: positive(),
    /** GRPO: steps (0: one pass over the RL records). */
    max_steps: number().int().nonnegative(),
    save_freq: positive(),
    /** Steps between validation passes (greedy chains on the held-out records); 0: only at the end. */
    val_freq: number().int().nonnegative(),
    seed: number().int(),
    /** Cap on wall time, seconds (0: none): the demo's trainer stops here, with a checkpoint. */
    max_seconds: number().nonnegative(),
  }).strict(),
}).strict();
export type BuiltinConfig = Infer<typeof builtinConfig>;

export const BUILTIN_YAML = 'builtin.yaml';

/**
 * Defaults sized for two CPU cores: an SFT epoch of the demo's 240 records takes seconds. SFT's
 * rate is high for Adam because runs are short: on the demo, 1e-2 reaches a loss of 0.17 in 12
 * epochs where 3e-3 needs 30.
 */
export function builtinDefaults(objective: 'sft' | 'grpo', records: number, initCheckpoint: string | null): BuiltinConfig {
  return {
    model: { context: 128, embedding: 64, hidden: 128, init_checkpoint: objective === 'grpo' ? initCheckpoint : null },
    data: { max_response_length: 320, rollout_batch_size: Math.min(16, Math.max(1, records)), min_piece_count: 2, answer_balance: 0.5 },
    worker: {
      actor: { global_batch_size: objective === 'sft' ? 32 : 64, lr: objective === 'sft' ? 1e-2 : 3e-4, max_grad_norm: 1, clip_ratio_low: 0.2, clip_ratio_high: 0.28, ppo_epochs: 1 },
      rollout: { n: 8, temperature: 1 },
    },
    algorithm: { kl_coef: 0.01, online_filtering: false, filter_low: 0.01, filter_high: 0.99 },
    trainer: { total_epochs: 12, max_steps: 0, save_freq: objective === 'sft' ? 50 : 10, val_freq: objective === 'sft' ? 0 : 5, seed: 1, max_seconds: 0 },
  };
}
