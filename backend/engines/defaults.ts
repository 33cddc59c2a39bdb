// The configs Frustum writes for the external trainers, before the person's `--set` overrides:
// LLaMA-Factory's train.yaml (SFT of a Qwen2.5-VL model on O-T-A chains) and EasyR1's
// config.yaml (GRPO with CamReasoner's reward). Keys and their meaning are the engines' own
// (../shared/data/engines.md); the values are sized by the model and the GPUs found, each
// choice explained in a note the preview shows.

export const DEFAULT_MODEL = 'Qwen/Qwen2.5-VL-7B-Instruct';

/** What the defaults are sized by. */
export interface Hardware {
  /** GPUs per machine the run uses. */
  gpus: number;
  nodes: number;
  /** The smallest total memory among the GPUs (GiB); null when none were listed (sized as one 80 GiB card). */
  memoryGiB: number | null;
}

/** Billions of parameters, read from the model's name ("Qwen2.5-VL-7B-Instruct" → 7); 7 when the name does not say. */
export function modelBillions(model: string): number {
  const match = /(\d+(?:\.\d+)?)\s*[bB](?![a-zA-Z])/.exec(model.split('/').at(-1) ?? model);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : 7;
}

/** Steps the trainer will take, as both engines count them: ceil(records / global batch) per epoch. */
export function stepsFor(records: number, globalBatch: number, epochs: number): number {
  return Math.max(1, Math.ceil(records / Math.max(1, globalBatch)) * Math.max(1, Math.round(epochs)));
}

export type Config = Record<string, unknown>;

export interface Defaults {
  config: Config;
  notes: string[];
}

/**
 * LLaMA-Factory SFT. Full fine-tuning with DeepSpeed ZeRO-3 needs about 18 bytes per parameter
 * (weights, gradients, Adam states in mixed precision) spread over the GPUs; below that, LoRA
 * on every linear layer with the vision tower frozen.
 */
export function llamaFactoryDefaults(input: { model: string; records: number; hardware: Hardware; runFolder: string; dataset: string }): Defaults {
  const { model, records, hardware, runFolder, dataset } = input;
  const billions = modelBillions(model);
  const perGpuGiB = hardware.memoryGiB ?? 80;
  const totalGiB = perGpuGiB * hardware.gpus * hardware.nodes;
  const isFull = totalGiB >= billions * 18;
  const notes = [
    isFull
      ? `full fine-tuning with DeepSpeed ZeRO-3: ${billions}B parameters need about ${Math.round(billions * 18)} GiB, the ${hardware.gpus * hardware.nodes} GPU(s) have ${Math.round(totalGiB)} GiB`
      : `LoRA (rank 16, every linear layer): full fine-tuning of ${billions}B parameters needs about ${Math.round(billions * 18)} GiB, the ${hardware.gpus * hardware.nodes} GPU(s) have ${Math.round(totalGiB)} GiB`,
  ];
  if (hardware.memoryGiB === null) notes.push('no GPU was listed here: sized as one 80 GiB card per GPU asked for');
  // Video tokens dominate memory: fewer, smaller frames on small cards.
  const isSmallCard = perGpuGiB < 40;
  const batch = 1;
  const accumulation = Math.max(1, Math.round(16 / (hardware.gpus * hardware.nodes)));
  const epochs = 3;
  const steps = stepsFor(records, batch * accumulation * hardware.gpus * hardware.nodes, epochs);
  // About 50 points on the loss curve and 5 checkpoints, whatever the dataset's size.
  const loggingSteps = Math.max(1, Math.min(10, Math.floor(steps / 50)));
  const saveSteps = Math.max(1, Math.ceil(steps / 5));
  notes.push(`${records} records, global batch ${batch * accumulation * hardware.gpus * hardware.nodes}, ${epochs} epochs: about ${steps} steps; a loss point every ${loggingSteps}, a checkpoint every ${saveSteps}`);
  if (isSmallCard) notes.push(`GPUs under 40 GiB: at most 32 frames per video`);
  const config: Config = {
    model_name_or_path: model,
    image_max_pixels: 262144,
    video_max_pixels: 65536,
    video_fps: 2.0,
    video_maxlen: isSmallCard ? 32 : 128,
    trust_remote_code: true,
    stage: 'sft',
    do_train: true,
    finetuning_type: isFull ? 'full' : 'lora',
    ...(isFull
      ? { freeze_vision_tower: true, freeze_multi_modal_projector: true, deepspeed: `${runFolder}/ds_z3_config.json` }
      : { lora_rank: 16, lora_target: 'all' }),
    dataset,
    dataset_dir: `${runFolder}/data`,
    media_dir: `${runFolder}/media`,
    template: 'qwen2_vl',
    cutoff_len: 16384,
    overwrite_cache: true,
    preprocessing_num_workers: 16,
    dataloader_num_workers: 4,
    output_dir: `${runFolder}/output`,
    logging_steps: loggingSteps,
    save_steps: saveSteps,
    plot_loss: true,
    overwrite_output_dir: true,
    save_only_model: false,
    report_to: 'none',
    per_device_train_batch_size: batch,
    gradient_accumulation_steps: accumulation,
    learning_rate: isFull ? 1.0e-5 : 1.0e-4,
    num_train_epochs: epochs,
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.1,
    bf16: true,
    ddp_timeout: 180000000,
  };
  return { config, notes };
}

/** DeepSpeed ZeRO-3 as LLaMA-Factory's examples/deepspeed/ds_z3_config.json sets it ("auto" lets the trainer fill in). */
export const DEEPSPEED_ZERO3 = {
  train_batch_size: 'auto',
  train_micro_batch_size_per_gpu: 'auto',
  gradient_accumulation_steps: 'auto',
  gradient_clipping: 'auto',
  zero_allow_untested_optimizer: true,
  fp16: { enabled: 'auto', loss_scale: 0, loss_scale_window: 1000, initial_scale_power: 16, hysteresis: 2, min_loss_scale: 1 },
  bf16: { enabled: 'auto' },
  zero_optimization: {
    stage: 3,
    overlap_comm: false,
    contiguous_gradients: true,
    sub_group_size: 1e9,
    reduce_bucket_size: 'auto',
    stage3_prefetch_bucket_size: 'auto',
    stage3_param_persistence_threshold: 'auto',
    stage3_max_live_parameters: 1e9,
    stage3_max_reuse_distance: 1e9,
    stage3_gather_16bit_weights_on_model_save: true,
  },
};

/**
 * EasyR1 GRPO, after its examples/config.yaml with CamReasoner's prompt and reward. Rollouts of
 * `n` responses per prompt; the actor offloads its parameters and optimizer to CPU on cards under
 * 80 GiB per 7B; vLLM's tensor parallelism spans 2 GPUs when there is an even number.
 */
export function easyR1Defaults(input: { model: string; records: number; hardware: Hardware; runFolder: string; experiment: string; trainFile: string; valFile: string }): Defaults {
  const { model, records, hardware, runFolder, experiment } = input;
  const billions = modelBillions(model);
  const perGpuGiB = hardware.memoryGiB ?? 80;
  const gpusInAll = hardware.gpus * hardware.nodes;
  const n = 8;
  // EasyR1 refuses a rollout batch its actor's global batch does not divide, and drops the last partial batch.
  const globalBatch = largestPowerOfTwoAtMost(Math.min(64, records));
  const rolloutBatch = globalBatch * Math.max(1, Math.floor(Math.min(128, records) / globalBatch));
  const epochs = 2;
  const steps = Math.max(1, Math.floor(records / rolloutBatch) * epochs);
  const needsOffload = perGpuGiB * gpusInAll < billions * 16 * 2;
  const tensorParallel = hardware.gpus % 2 === 0 ? 2 : 1;
  const everySteps = Math.max(1, Math.ceil(steps / 5));
  const notes = [
    `${records} RL records, ${rolloutBatch} prompts × ${n} responses per step, ${epochs} epochs: about ${steps} steps; validation and a checkpoint every ${everySteps}`,
    needsOffload ? `actor parameters and optimizer offloaded to CPU (${billions}B on ${gpusInAll} × ${Math.round(perGpuGiB)} GiB)` : `actor kept on the GPUs (${billions}B on ${gpusInAll} × ${Math.round(perGpuGiB)} GiB)`,
    `reward: CamReasoner's (0.9 × accuracy + 0.1 × O-T-A format), rollouts written to rollouts.jsonl for the studio`,
  ];
  if (hardware.memoryGiB === null) notes.push('no GPU was listed here: sized as one 80 GiB card per GPU asked for');
  const config: Config = {
    data: {
      train_files: input.trainFile,
      val_files: input.valFile,
      prompt_key: 'problem',
      // Frustum's target column: the answer with the sample it belongs to (reward.py reads both; see engines/runFolder.ts).
      answer_key: 'frustum_target',
      image_key: 'images',
      video_key: 'videos',
      image_dir: `${runFolder}/media`,
      video_fps: 2.0,
      max_prompt_length: 16384,
      max_response_length: 1024,
      rollout_batch_size: rolloutBatch,
      mini_rollout_batch_size: null,
      val_batch_size: -1,
      format_prompt: `${runFolder}/format_prompt.jinja`,
      override_chat_template: null,
      shuffle: true,
      seed: 1,
      min_pixels: 3136,
      max_pixels: 65536,
      filter_overlong_prompts: true,
    },
    algorithm: {
      adv_estimator: 'grpo',
      disable_kl: false,
      use_kl_loss: true,
      kl_penalty: 'low_var_kl',
      kl_coef: 1.0e-2,
      online_filtering: false,
      filter_key: 'overall',
      filter_low: 0.01,
      filter_high: 0.99,
    },
    worker: {
      actor: {
        global_batch_size: globalBatch,
        micro_batch_size_per_device_for_update: 1,
        micro_batch_size_per_device_for_experience: 2,
        max_grad_norm: 1.0,
        padding_free: true,
        dynamic_batching: true,
        ulysses_size: 1,
        model: {
          model_path: model,
          enable_gradient_checkpointing: true,
          trust_remote_code: false,
          freeze_vision_tower: false,
          lora: { rank: 0, alpha: 64, target_modules: 'all-linear', exclude_modules: '.*visual.*' },
        },
        optim: { lr: 1.0e-6, weight_decay: 1.0e-2, strategy: 'adamw', lr_warmup_ratio: 0.0 },
        fsdp: { enable_full_shard: true, enable_cpu_offload: false, enable_rank0_init: true },
        offload: { offload_params: needsOffload, offload_optimizer: needsOffload },
      },
      rollout: {
        n,
        temperature: 1.0,
        top_p: 1.0,
        limit_images: 0,
        gpu_memory_utilization: 0.6,
        enforce_eager: false,
        enable_chunked_prefill: false,
        tensor_parallel_size: tensorParallel,
        disable_tqdm: false,
        val_override_config: { temperature: 0.6, top_p: 0.95, n: 1 },
      },
      ref: {
        fsdp: { enable_full_shard: true, enable_cpu_offload: true, enable_rank0_init: true },
        offload: { offload_params: false },
      },
      reward: {
        reward_function: `${runFolder}/reward.py:compute_score`,
        // Filled from the final config (group size = rollout.n; tracker under the checkpoint path): engines/easyr1.ts.
        reward_function_kwargs: {},
      },
    },
    trainer: {
      total_epochs: epochs,
      max_steps: null,
      project_name: 'frustum',
      experiment_name: experiment,
      logger: ['console', 'file'],
      nnodes: hardware.nodes,
      n_gpus_per_node: hardware.gpus,
      max_try_make_batch: 20,
      val_freq: everySteps,
      val_before_train: true,
      val_only: false,
      val_generations_to_log: 3,
      save_freq: everySteps,
      save_limit: 3,
      save_model_only: false,
      save_checkpoint_path: `${runFolder}/checkpoints`,
      load_checkpoint_path: null,
      find_last_checkpoint: true,
    },
  };
  return { config, notes };
}

function largestPowerOfTwoAtMost(value: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, value)));
}

/** The largest divisor of `total` not above `limit`: a global batch EasyR1 accepts for a rollout batch someone set. */
export function largestDivisorAtMost(total: number, limit: number): number {
  for (let candidate = Math.min(limit, total); candidate > 1; candidate--) if (total % candidate === 0) return candidate;
  return 1;
}
