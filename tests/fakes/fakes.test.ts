// The fake engines must produce exactly what the real LLaMA-Factory and EasyR1 produce (names,
// keys, nesting, layout; /work/shared/data/engines.md), or tests built on them prove nothing.
// Each test writes a small config the way a user's run folder would hold one and runs the fake.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { camReasonerReward } from '../../common/ota/reward';
import { detectTrainingEnvironment } from '../../backend/engines/environment';
import { tempDir } from '../support/tempDir';
import { HAS_PYTHON_WITH_YAML, PYTHON_SKIP_NOTE } from '../support/python';

const ROOT = resolve(import.meta.dirname, '../..');
const LLAMAFACTORY_DIR = join(ROOT, 'tests/fakes/llamafactory');
const LLAMAFACTORY_CLI = join(LLAMAFACTORY_DIR, 'llamafactory-cli');
const EASYR1_PATH = join(ROOT, 'tests/fakes/easyr1');
const REWARD_PY = join(ROOT, 'backend/engines/easyr1/reward.py');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a fake to the end; `onStderr` may kill it (the SIGTERM tests). */
function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; onStderr?: (text: string, kill: () => void) => void }): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      // No __pycache__ inside tests/fakes or backend/ (they are not ignored by git).
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, () => child.kill('SIGTERM'));
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));
const readJsonLines = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const sortedEntries = (path: string): string[] => readdirSync(path).sort();

const python = HAS_PYTHON_WITH_YAML;
const suffix = PYTHON_SKIP_NOTE;

// ---------------------------------------------------------------------------------------------
// LLaMA-Factory

function writeSftDataset(folder: string, count: number): void {
  const records = Array.from({ length: count }, (_, index) => ({
    messages: [
      { role: 'user', content: `<video>Does the camera pan left? (${index})` },
      { role: 'assistant', content: '<observation>The background drifts right.</observation><think>A pan left.</think><answer>B</answer>' },
    ],
    videos: [`media/clip_${index}.mp4`],
  }));
  mkdirSync(join(folder, 'data'), { recursive: true });
  writeFileSync(join(folder, 'data', 'frustum_train.json'), JSON.stringify(records));
  writeFileSync(join(folder, 'data', 'dataset_info.json'), JSON.stringify({
    frustum_train: {
      file_name: 'frustum_train.json',
      formatting: 'sharegpt',
      columns: { messages: 'messages', videos: 'videos' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    },
  }));
}

function writeSftConfig(folder: string, overrides: Record<string, unknown> = {}): string {
  const config = {
    model_name_or_path: 'Qwen/Qwen2.5-VL-7B-Instruct',
    trust_remote_code: true,
    stage: 'sft',
    do_train: true,
    finetuning_type: 'lora',
    lora_rank: 8,
    lora_target: 'all',
    dataset: 'frustum_train',
    dataset_dir: 'data',
    template: 'qwen2_vl',
    cutoff_len: 4096,
    output_dir: 'saves/run',
    logging_steps: 1,
    save_steps: 3,
    plot_loss: true,
    overwrite_output_dir: true,
    report_to: 'none',
    per_device_train_batch_size: 1,
    gradient_accumulation_steps: 2,
    learning_rate: 1.0e-4,
    num_train_epochs: 2,
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.1,
    bf16: true,
    ...overrides,
  };
  const path = join(folder, 'train.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

const TRAIN_LOG_KEYS = ['current_steps', 'total_steps', 'loss', 'lr', 'epoch', 'percentage', 'elapsed_time', 'remaining_time'];
const LORA_CHECKPOINT = [
  'adapter_config.json', 'adapter_model.safetensors', 'optimizer.pt', 'rng_state.pth', 'scheduler.pt', 'tokenizer_config.json',
  'trainer_state.json', 'training_args.bin',
];

describe.skipIf(!python)(`fake llamafactory-cli${suffix}`, () => {
  it('prints a version banner that the environment probe reads', async () => {
    const version = await run(LLAMAFACTORY_CLI, ['version'], { cwd: tempDir() });
    expect(version.stdout).toContain('| Welcome to LLaMA Factory, version 0.9.4');
    const environment = await detectTrainingEnvironment({ env: { ...process.env, PATH: `${LLAMAFACTORY_DIR}:${process.env['PATH'] ?? ''}` } });
    expect(environment.llamafactory).toMatchObject({ path: LLAMAFACTORY_CLI, version: '0.9.4' });
  });

  it('trains a LoRA run: stdout and stderr lines, trainer_log.jsonl, checkpoints, results', async () => {
    const folder = tempDir();
    writeSftDataset(folder, 10);
    const config = writeSftConfig(folder, { val_size: 0.2, eval_strategy: 'steps', eval_steps: 4 });
    const result = await run(LLAMAFACTORY_CLI, ['train', config], { cwd: folder, env: { FAKE_GPUS: '1' } });
    expect(result.code, result.stderr).toBe(0);

    expect(result.stdout).toMatch(/^\[INFO\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] llamafactory\.data\.loader:\d+ >> Loading dataset frustum_train\.json\.\.\.$/m);
    expect(result.stdout).toMatch(/^\{'loss': \d+\.\d+, 'grad_norm': \d+\.\d+(e-\d+)?, 'learning_rate': \d\.\d+(e-\d+)?, 'epoch': \d+(\.\d+)?\}$/m);
    expect(result.stdout).toMatch(/^\{'eval_loss': [\d.]+, 'eval_runtime': [\d.]+, 'eval_samples_per_second': [\d.]+, 'eval_steps_per_second': [\d.]+, 'epoch': [\d.]+\}$/m);
    expect(result.stdout).toMatch(/^\*\*\*\*\* train metrics \*\*\*\*\*\n {2}epoch {20}= +2\.0\n {2}total_flos +=/m);
    expect(result.stderr).toMatch(/^\[INFO\|trainer\.py:\d+\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} >> \*\*\*\*\* Running training \*\*\*\*\*$/m);
    // 10 records, 2 held out for evaluation; 8 / (1 × 2 × 1 GPU) = 4 steps an epoch, 2 epochs.
    expect(result.stderr).toContain('>>   Num examples = 8\n');
    expect(result.stderr).toContain('>>   Total optimization steps = 8\n');
    expect(result.stderr).toMatch(/\r 50%\|█████ {5}\| 4\/8 \[/);

    const output = join(folder, 'saves/run');
    const log = readJsonLines(join(output, 'trainer_log.jsonl'));
    const trainLines = log.filter((line) => 'loss' in line);
    expect(trainLines.map((line) => line['current_steps'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const line of trainLines) {
      expect(Object.keys(line)).toEqual(TRAIN_LOG_KEYS);
      expect(line['total_steps']).toBe(8);
      expect(line['elapsed_time']).toMatch(/^\d+:\d\d:\d\d$/);
    }
    const evalLines = log.filter((line) => 'eval_loss' in line);
    expect(evalLines.map((line) => [line['current_steps'], Object.keys(line)])).toEqual([4, 8].map((step) => [
      step, ['current_steps', 'total_steps', 'eval_loss', 'epoch', 'percentage', 'elapsed_time', 'remaining_time'],
    ]));
    expect(log.at(-1)).toMatchObject({ current_steps: 8, total_steps: 8, epoch: 2, percentage: 100 });
    expect(Object.keys(log.at(-1) ?? {})).toEqual(['current_steps', 'total_steps', 'epoch', 'percentage', 'elapsed_time', 'remaining_time']);
    // Cosine with 1 warm-up step: the full rate at step 1, then down to 0 at the end.
    expect(trainLines[0]?.['lr']).toBe(1e-4);
    expect(trainLines.at(-1)?.['lr']).toBe(0);

    expect(sortedEntries(output)).toEqual([
      'adapter_config.json', 'adapter_model.safetensors', 'all_results.json', 'checkpoint-3', 'checkpoint-6', 'checkpoint-8',
      'eval_results.json', 'tokenizer_config.json', 'train_results.json', 'trainer_log.jsonl', 'trainer_state.json', 'training_args.bin',
    ]);
    expect(sortedEntries(join(output, 'checkpoint-3'))).toEqual(LORA_CHECKPOINT);
    const checkpointState = readJson(join(output, 'checkpoint-3', 'trainer_state.json'));
    expect(checkpointState).toMatchObject({ global_step: 3, max_steps: 8, logging_steps: 1, save_steps: 3, train_batch_size: 1 });
    expect(checkpointState['log_history']).toEqual([1, 2, 3].map((step) => ({
      epoch: step / 4, grad_norm: expect.any(Number), learning_rate: expect.any(Number), loss: expect.any(Number), step,
    })));
    const state = readJson(join(output, 'trainer_state.json'));
    expect(Object.keys(state)).toEqual(Object.keys(state).sort());
    expect(state['log_history']).toContainEqual(expect.objectContaining({ step: 8, train_loss: expect.any(Number), train_runtime: expect.any(Number), total_flos: expect.any(Number) }));
    expect(Object.keys(readJson(join(output, 'train_results.json')))).toEqual([
      'epoch', 'total_flos', 'train_loss', 'train_runtime', 'train_samples_per_second', 'train_steps_per_second',
    ]);
    expect(Object.keys(readJson(join(output, 'all_results.json')))).toEqual([
      'epoch', 'eval_loss', 'eval_runtime', 'eval_samples_per_second', 'eval_steps_per_second', 'total_flos', 'train_loss',
      'train_runtime', 'train_samples_per_second', 'train_steps_per_second',
    ]);
    expect(readJson(join(output, 'adapter_config.json'))).toMatchObject({ peft_type: 'LORA', r: 8, base_model_name_or_path: 'Qwen/Qwen2.5-VL-7B-Instruct' });
  });

  it('writes full-model DeepSpeed checkpoints with one RNG state and ZeRO shard per GPU', async () => {
    const folder = tempDir();
    writeSftDataset(folder, 10);
    const config = writeSftConfig(folder, {
      finetuning_type: 'full', deepspeed: 'ds_z3_config.json', gradient_accumulation_steps: 1, num_train_epochs: 1, save_steps: 5, logging_steps: 2,
    });
    const result = await run(LLAMAFACTORY_CLI, ['train', config], { cwd: folder, env: { FAKE_GPUS: '2' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('world size: 2');
    const output = join(folder, 'saves/run');
    expect(sortedEntries(output).filter((name) => name.startsWith('checkpoint-'))).toEqual(['checkpoint-5']);
    expect(sortedEntries(join(output, 'checkpoint-5'))).toEqual([
      'config.json', 'generation_config.json', 'global_step5', 'latest', 'model.safetensors', 'rng_state_0.pth', 'rng_state_1.pth',
      'scheduler.pt', 'tokenizer_config.json', 'trainer_state.json', 'training_args.bin', 'zero_to_fp32.py',
    ]);
    expect(sortedEntries(join(output, 'checkpoint-5', 'global_step5'))).toEqual([
      'bf16_zero_pp_rank_0_mp_rank_00_optim_states.pt', 'bf16_zero_pp_rank_1_mp_rank_00_optim_states.pt',
      'zero_pp_rank_0_mp_rank_00_model_states.pt', 'zero_pp_rank_1_mp_rank_00_model_states.pt',
    ]);
    expect(readFileSync(join(output, 'checkpoint-5', 'latest'), 'utf8')).toBe('global_step5');
    expect(readJsonLines(join(output, 'trainer_log.jsonl')).filter((line) => 'loss' in line).map((line) => line['current_steps'])).toEqual([2, 4]);
  });

  it('crashes with a CUDA out-of-memory traceback, then resumes from the last checkpoint', async () => {
    const folder = tempDir();
    writeSftDataset(folder, 12);
    const config = writeSftConfig(folder, { save_steps: 2, num_train_epochs: 1 });
    const crashed = await run(LLAMAFACTORY_CLI, ['train', config], { cwd: folder, env: { FAKE_LLAMAFACTORY_CRASH_AT_STEP: '5' } });
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('Traceback (most recent call last):\n');
    expect(crashed.stderr.trimEnd().split('\n').at(-1)).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 2\.00 GiB/);
    const output = join(folder, 'saves/run');
    expect(sortedEntries(output).filter((name) => name.startsWith('checkpoint-'))).toEqual(['checkpoint-2', 'checkpoint-4']);
    expect(readJsonLines(join(output, 'trainer_log.jsonl')).map((line) => line['current_steps'])).toEqual([1, 2, 3, 4]);

    const resumed = await run(LLAMAFACTORY_CLI, ['train', config, 'overwrite_output_dir=false', 'resume_from_checkpoint=true'], { cwd: folder });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('>>   Continuing training from global step 4\n');
    const steps = readJsonLines(join(output, 'trainer_log.jsonl')).filter((line) => 'loss' in line).map((line) => line['current_steps']);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    const history = readJson(join(output, 'trainer_state.json'))['log_history'] as Array<{ step: number; loss?: number }>;
    expect(history.filter((entry) => entry.loss !== undefined).map((entry) => entry.step)).toEqual([1, 2, 3, 4, 5, 6]);

    // Run again on the same folder without overwrite_output_dir: LLaMA-Factory resumes by itself.
    const again = await run(LLAMAFACTORY_CLI, ['train', config, 'overwrite_output_dir=false'], { cwd: folder });
    expect(again.stdout).toMatch(/>> Resuming training from saves\/run\/checkpoint-6\.$/m);
  });

  it('exits 143 on SIGTERM', async () => {
    const folder = tempDir();
    writeSftDataset(folder, 10);
    const config = writeSftConfig(folder);
    const result = await run(LLAMAFACTORY_CLI, ['train', config], {
      cwd: folder,
      env: { FAKE_LLAMAFACTORY_STEP_SECONDS: '30' },
      onStderr: (text, kill) => {
        if (text.includes('Running training')) kill();
      },
    });
    expect(result.code).toBe(143);
  });
});

// ---------------------------------------------------------------------------------------------
// EasyR1

function frustumTruth(sample: number, split: 'train' | 'val'): string {
  return JSON.stringify({ answer: 'B', sample, split });
}

function writeRlData(folder: string, trainCount: number): void {
  const record = (sample: number, split: 'train' | 'val') => ({
    problem: '<video>Does the camera pan to the left?\nA. No\nB. Yes',
    answer: frustumTruth(sample, split),
    options: ['A. No', 'B. Yes'],
    videos: [`media/clip_${sample}.mp4`],
  });
  writeFileSync(join(folder, 'train.json'), JSON.stringify(Array.from({ length: trainCount }, (_, index) => record(index + 1, 'train'))));
  writeFileSync(join(folder, 'val.json'), JSON.stringify([record(101, 'val'), record(102, 'val'), record(103, 'val')]));
  writeFileSync(join(folder, 'format.jinja'), '{{ content | trim }} Think inside <observation> </observation> and <think> </think>, answer inside <answer> </answer>.\n');
}

function writeRlConfig(folder: string, trainer: Record<string, unknown> = {}): string {
  const checkpoints = join(folder, 'checkpoints');
  const config = {
    data: {
      train_files: 'train.json@train',
      val_files: 'val.json',
      prompt_key: 'problem',
      answer_key: 'answer',
      video_key: 'videos',
      format_prompt: 'format.jinja',
      max_prompt_length: 4096,
      max_response_length: 1024,
      rollout_batch_size: 2,
      val_batch_size: 2,
      seed: 7,
    },
    algorithm: { adv_estimator: 'grpo', use_kl_loss: true, kl_coef: '1e-2' },
    worker: {
      actor: {
        global_batch_size: 2,
        micro_batch_size_per_device_for_experience: 2,
        model: { model_path: 'Qwen/Qwen2.5-VL-7B-Instruct', lora: { rank: 16 } },
        optim: { lr: '1e-6' },
      },
      rollout: { n: 4 },
      reward: {
        reward_function: `${REWARD_PY}:compute_score`,
        reward_function_kwargs: {
          rollout_path: join(folder, 'rollouts.jsonl'),
          group_size: 4,
          tracker_path: join(checkpoints, 'checkpoint_tracker.json'),
        },
      },
    },
    trainer: {
      total_epochs: 1,
      project_name: 'frustum',
      experiment_name: 'grpo',
      logger: ['console', 'file'],
      n_gpus_per_node: 2,
      nnodes: 1,
      val_freq: 2,
      val_before_train: true,
      val_generations_to_log: 2,
      save_freq: 2,
      save_checkpoint_path: checkpoints,
      ...trainer,
    },
  };
  const path = join(folder, 'grpo.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

function runEasyR1(folder: string, args: string[], env: Record<string, string> = {}, onStderr?: (text: string, kill: () => void) => void): Promise<Result> {
  return run('python3', ['-m', 'verl.trainer.main', ...args], { cwd: folder, env: { PYTHONPATH: EASYR1_PATH, ...env }, onStderr });
}

/** The config JSON Runner.run prints first, with Ray's actor prefix removed. */
function printedConfig(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').map((line) => line.replace(/^\(Runner pid=\d+\) /, ''));
  const end = lines.indexOf('}');
  return JSON.parse(lines.slice(0, end + 1).join('\n'));
}

const ACTOR_FILES = ['extra_state', 'model', 'optim'].flatMap((kind) => [0, 1].map((rank) => `${kind}_world_size_2_rank_${rank}.pt`));

describe.skipIf(!python)(`fake EasyR1 (verl)${suffix}`, () => {
  it('imports as verl with a version, as the environment probe asks', () => {
    const version = execFileSync('python3', ['-c', "import verl; print(getattr(verl, '__version__', 'unknown'))"], {
      env: { ...process.env, PYTHONPATH: EASYR1_PATH, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    expect(version.trim()).toBe('0.3.3.dev0');
  });

  it('trains with the Frustum reward: console, experiment log, generations, checkpoints, rollouts', async () => {
    const folder = tempDir();
    writeRlData(folder, 6);
    const config = writeRlConfig(folder);
    const result = await runEasyR1(folder, [`config=${config}`, 'trainer.max_steps=3', 'worker.rollout.val_override_config.n=1']);
    expect(result.code, result.stderr).toBe(0);

    const stdoutLines = result.stdout.trimEnd().split('\n');
    expect(stdoutLines.every((line) => /^\((Runner|AutoRewardManager|WorkerDict) pid=\d+\) /.test(line))).toBe(true);
    const printed = printedConfig(result.stdout);
    const checkpoints = join(folder, 'checkpoints');
    expect(printed).toMatchObject({
      data: { format_prompt: join(folder, 'format.jinja'), rollout_batch_size: 2 },
      algorithm: { kl_coef: 0.01 },
      worker: { reward: { reward_function: REWARD_PY, reward_function_name: 'compute_score' }, actor: { optim: { lr: 1e-6, training_steps: -1 } } },
      trainer: { save_checkpoint_path: checkpoints, max_steps: 3 },
    });
    expect(result.stdout).toMatch(/^\(AutoRewardManager pid=\d+\) Using reward function `compute_score` from `.*reward\.py`\.$/m);
    expect(result.stdout).toMatch(/^\(AutoRewardManager pid=\d+\) Reward name: frustum_camreasoner, reward type: batch\.$/m);
    expect(result.stdout).toMatch(/^\(Runner pid=\d+\) Total training steps: 3$/m);
    expect(result.stdout).toMatch(/^\(Runner pid=\d+\) Step 1\n\(Runner pid=\d+\) actor:\n\(Runner pid=\d+\) {3}entropy_loss: /m);

    expect(readJson(join(checkpoints, 'experiment_config.json'))).toEqual({ ...printed, worker: expect.anything() });
    const log = readJsonLines(join(checkpoints, 'experiment_log.jsonl'));
    // Validation before training (step 0), steps 1-3 with validation at step 2, and the final one.
    expect(log.map((line) => line['step'])).toEqual([0, 1, 2, 3, 3]);
    expect(Object.keys(log[0] ?? {})).toEqual(['step', 'val', 'val_response_length', 'val_prompt_length']);
    expect(Object.keys(log[0]?.['val'] as object)).toEqual(['reward_score', 'overall_reward', 'format_reward', 'accuracy_reward']);
    const step1 = log[1] ?? {};
    expect(Object.keys(step1)).toEqual([
      'step', 'global_seqlen', 'reward', 'actor', 'perf', 'critic', 'response_length', 'prompt_length', 'timing_s', 'timing_per_token_ms',
    ]);
    expect(Object.keys(step1['reward'] as object)).toEqual(['overall', 'format', 'accuracy']);
    expect(Object.keys(step1['actor'] as object)).toEqual([
      'kl_loss', 'kl_coef', 'ppo_kl', 'entropy_loss', 'pg_clipfrac_higher', 'pg_clipfrac_lower', 'pg_loss', 'grad_norm', 'lr',
    ]);
    expect(step1['critic']).toEqual(Object.fromEntries(['score', 'rewards', 'advantages', 'returns'].map((key) => [
      key, { mean: expect.any(Number), max: expect.any(Number), min: expect.any(Number) },
    ])));
    expect(Object.keys(step1['response_length'] as object)).toEqual(['mean', 'max', 'min', 'clip_ratio']);
    expect(Object.keys(step1['timing_s'] as object)).toEqual(['gen', 'reward', 'old', 'ref', 'adv', 'update_actor', 'step']);
    expect(Object.keys(step1['perf'] as object)).toEqual([
      'mfu_actor', 'max_memory_allocated_gb', 'max_memory_reserved_gb', 'cpu_memory_used_gb', 'total_num_tokens', 'time_per_step', 'throughput',
    ]);
    expect(Object.keys(log[2] ?? {})).toEqual(expect.arrayContaining(['val', 'val_response_length', 'val_prompt_length']));
    expect((log[2]?.['timing_s'] as Record<string, number>)['save_checkpoint']).toEqual(expect.any(Number));

    const generations = readFileSync(join(checkpoints, 'generations.log'), 'utf8');
    const blocks = generations.split(/(?=^\[prompt\] )/m);
    expect(blocks).toHaveLength(6); // 2 samples × 3 validations
    for (const block of blocks) {
      expect(block).toMatch(/^\[prompt\] system\nYou are a helpful assistant\.\nuser\nDoes the camera pan to the left\?[\s\S]*\nassistant\n\n\[output\] [\s\S]*\n\[ground_truth\] \{"answer":"B","sample":10\d,"split":"val"\}\n\[score\] [\d.]+\n\n$/);
    }

    expect(sortedEntries(checkpoints)).toEqual([
      'checkpoint_tracker.json', 'experiment_config.json', 'experiment_log.jsonl', 'generations.log', 'global_step_2', 'global_step_3',
    ]);
    expect(sortedEntries(join(checkpoints, 'global_step_2'))).toEqual(['actor', 'dataloader.pt']);
    expect(sortedEntries(join(checkpoints, 'global_step_2', 'actor'))).toEqual([...ACTOR_FILES, 'huggingface', 'lora_adapter'].sort());
    expect(sortedEntries(join(checkpoints, 'global_step_2', 'actor', 'huggingface'))).toEqual(['config.json', 'generation_config.json', 'tokenizer_config.json']);
    expect(sortedEntries(join(checkpoints, 'global_step_2', 'actor', 'lora_adapter'))).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const tracker = readJson(join(checkpoints, 'checkpoint_tracker.json'));
    expect(Object.keys(tracker)).toEqual(['best_global_step', 'best_val_reward_score', 'last_global_step', 'last_actor_path']);
    expect(tracker).toMatchObject({ last_global_step: 3, last_actor_path: join(checkpoints, 'global_step_3', 'actor') });

    // The reward file's training rollouts: one line per step, the groups kept together although
    // two GPUs reorder the batch, scored as the studio scores them.
    const rollouts = readJsonLines(join(folder, 'rollouts.jsonl')) as Array<{ step: number; groups: Array<{ sample: number; ground_truth: string; responses: Array<{ text: string; overall: number; format: number; accuracy: number }> }> }>;
    expect(rollouts.map((line) => line.step)).toEqual([1, 2, 3]);
    rollouts.forEach((line, index) => {
      expect(line.groups).toHaveLength(2);
      const overall: number[] = [];
      for (const group of line.groups) {
        expect(group.sample).toBeGreaterThanOrEqual(1);
        expect(group.responses).toHaveLength(4);
        for (const response of group.responses) {
          expect({ overall: response.overall, format: response.format, accuracy: response.accuracy }).toStrictEqual(camReasonerReward(response.text, 'B'));
          overall.push(response.overall);
        }
      }
      const reward = log[index + 1]?.['reward'] as { overall: number };
      expect(reward.overall).toBeCloseTo(overall.reduce((sum, value) => sum + value, 0) / overall.length, 12);
    });
  });

  it('crashes with a traceback, resumes from the tracker and keeps save_limit checkpoints', async () => {
    const folder = tempDir();
    writeRlData(folder, 8);
    const config = writeRlConfig(folder, { val_freq: -1, save_freq: 1, save_limit: 2 });
    const crashed = await runEasyR1(folder, [`config=${config}`], { FAKE_EASYR1_CRASH_AT_STEP: '3' });
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('Traceback (most recent call last):\n');
    expect(crashed.stderr).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 2\.00 GiB/m);
    const checkpoints = join(folder, 'checkpoints');
    expect(readJson(join(checkpoints, 'checkpoint_tracker.json'))['last_global_step']).toBe(2);

    const resumed = await runEasyR1(folder, [`config=${config}`]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Load from checkpoint: ${join(checkpoints, 'global_step_2')}.`);
    // The file logger starts its log afresh on resume, as EasyR1's does.
    expect(readJsonLines(join(checkpoints, 'experiment_log.jsonl')).map((line) => line['step'])).toEqual([2, 3, 4, 4]);
    // The crashed step's rollouts were written before the crash, then again when it ran.
    expect(readJsonLines(join(folder, 'rollouts.jsonl')).map((line) => line['step'])).toEqual([1, 2, 3, 3, 4]);
    // save_limit 2 keeps the best checkpoint (the first, as no validation ran in between) and the last.
    expect(sortedEntries(checkpoints).filter((name) => name.startsWith('global_step_'))).toEqual(['global_step_1', 'global_step_4']);
    expect(readJson(join(checkpoints, 'checkpoint_tracker.json'))).toMatchObject({ best_global_step: 1, last_global_step: 4 });
  });

  it('rejects a key the config does not have and a split a file does not have', async () => {
    const folder = tempDir();
    writeRlData(folder, 4);
    const result = await runEasyR1(folder, [`config=${writeRlConfig(folder)}`, 'data.bogus=1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("omegaconf.errors.ConfigKeyError: Key 'bogus' not in 'DataConfig'");
    expect(existsSync(join(folder, 'checkpoints'))).toBe(false);
    // `datasets` gives a local file the one split "train".
    const split = await runEasyR1(folder, [`config=${writeRlConfig(folder)}`, 'data.val_files=val.json@test']);
    expect(split.code).toBe(1);
    expect(split.stderr).toContain('ValueError: Unknown split "test". Should be one of [\'train\'].');
  });

  it('exits 143 on SIGTERM', async () => {
    const folder = tempDir();
    writeRlData(folder, 4);
    const result = await runEasyR1(folder, [`config=${writeRlConfig(folder)}`], { FAKE_EASYR1_STEP_SECONDS: '30' }, (text, kill) => {
      if (text.includes('Running step')) kill();
    });
    expect(result.code).toBe(143);
  });
});
