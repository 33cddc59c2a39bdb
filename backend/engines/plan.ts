// What a training run will write and run, computed without writing anything: the frozen
// dataset, the engine's config (defaults sized to the model and GPUs, then the person's
// `--set key=value` overrides), CamReasoner's reward and prompt for EasyR1, and command.sh —
// the exact command, runnable by hand. The Train view's preview, `frustum train --dry-run` and
// the job itself (./runFolder.ts writes it) all come through here, so what is previewed is what runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml, parse as parseYamlValue } from 'yaml';
import type { TrainRequest } from '../../common/api/contract';
import { UsageError } from '../../common/errors';
import { QUESTION_TEMPLATE_TAIL } from '../../common/formats/prompts';
import type { WritableDB } from '../../db/connection';
import { packageRoot } from '../packageRoot';
import { DEEPSPEED_ZERO3, DEFAULT_MODEL, easyR1Defaults, largestDivisorAtMost, llamaFactoryDefaults, type Config, type Hardware } from './defaults';
import { planBuiltin } from './builtin';
import { CHECKPOINTS, CONFIG_YAML, ROLLOUTS } from './easyr1';
import { TRAIN_YAML } from './llamafactory';
import { rayDashboardUrl } from './ray';
import { shellQuote } from './shell';
import { freezeSnapshot, RL_TRAIN_FILE, RL_VAL_FILE, SFT_DATASET, type Snapshot, type SnapshotFile } from './snapshot';

export type Engine = TrainRequest['engine'];

/** Where the job finds what the engine writes, from the final config (a `--set` may move them). */
export interface RunPaths {
  /** trainer_log.jsonl or experiment_log.jsonl. */
  metricsLog: string;
  /** EasyR1: the folder whose logs it truncates at start (kept across resumes), the tracker, and our rollout dump. */
  checkpointFolder: string | null;
  rollouts: string | null;
}

export interface RunPlan {
  engine: Engine;
  objective: TrainRequest['objective'];
  model: string;
  runFolder: string;
  snapshot: Snapshot;
  /** Config, reward, prompt and command.sh (the data files are the snapshot's). */
  files: SnapshotFile[];
  command: string;
  paths: RunPaths;
  notes: string[];
}

export interface PlanInput {
  request: TrainRequest;
  runFolder: string;
  /** Names the run (EasyR1's experiment_name, the Ray submission). */
  runName: string;
  hardware: Hardware;
  /** The Python that runs EasyR1 (environment.ts choosePython). */
  python: string;
}

/** The external engine of each objective: LLaMA-Factory has no GRPO (its maintainers send people to EasyR1), EasyR1 no SFT. The built-in trainer does both. */
const ENGINE_OF: Record<TrainRequest['objective'], Engine> = { sft: 'llamafactory', grpo: 'easyr1' };

/** What a request cannot ask for whatever the project holds: checked before a job is made for it. */
export function checkTrainRequest(request: TrainRequest): void {
  if (request.engine !== 'builtin' && ENGINE_OF[request.objective] !== request.engine) {
    throw new UsageError(`--engine ${request.engine} does not train --objective ${request.objective}: SFT runs on llamafactory or builtin, GRPO on easyr1 or builtin`);
  }
  if (request.engine === 'builtin' && (request.gpus !== undefined || request.nodes !== undefined)) {
    throw new UsageError('--gpus and --nodes are for the external trainers; the built-in one runs in one process (TensorFlow.js picks the GPU itself when tfjs-node-gpu is installed)');
  }
  if (request.rayAddress !== undefined) {
    if (request.engine !== 'easyr1') throw new UsageError('--ray-address submits EasyR1 jobs only (LLaMA-Factory runs on this machine)');
    rayDashboardUrl(request.rayAddress);
  }
}

export function planRun(db: WritableDB, input: PlanInput): RunPlan {
  const { request, runFolder } = input;
  checkTrainRequest(request);
  const snapshot = freezeSnapshot(db, request.objective, request.filter);
  const records = snapshot.sampleIds.length;
  const notes = [...snapshot.notes];
  if (request.engine === 'builtin') {
    const parts = planBuiltin({
      objective: request.objective, model: request.model, records, runFolder, runName: input.runName,
      applyOverrides: (config) => applyOverrides(config, request.sets ?? [], 'dotted', notes),
    });
    notes.push(...parts.notes);
    return { engine: 'builtin', objective: request.objective, model: parts.model, runFolder, snapshot, files: parts.files, command: parts.command, notes, paths: parts.paths };
  }
  if (request.engine === 'llamafactory') {
    const model = request.model ?? DEFAULT_MODEL;
    const defaults = llamaFactoryDefaults({ model, records, hardware: input.hardware, runFolder, dataset: SFT_DATASET });
    notes.push(...defaults.notes);
    const config = applyOverrides(defaults.config, request.sets ?? [], 'flat', notes);
    const files: SnapshotFile[] = [{ path: TRAIN_YAML, text: yamlFile(config, `LLaMA-Factory SFT config written by Frustum for ${input.runName}`) }];
    if (typeof config['deepspeed'] === 'string' && config['deepspeed'] === `${runFolder}/ds_z3_config.json`) {
      files.push({ path: 'ds_z3_config.json', text: `${JSON.stringify(DEEPSPEED_ZERO3, null, 2)}\n` });
    }
    const launch = llamaFactoryLaunch(input.hardware, config);
    files.push({ path: 'command.sh', text: commandScript(input, launch) });
    const command = oneLine(runFolder, launch);
    const outputDir = typeof config['output_dir'] === 'string' ? config['output_dir'] : join(runFolder, 'output');
    return { engine: 'llamafactory', objective: 'sft', model, runFolder, snapshot, files, command, notes, paths: { metricsLog: join(outputDir, 'trainer_log.jsonl'), checkpointFolder: null, rollouts: null } };
  }

  const model = request.model ?? DEFAULT_MODEL;
  const defaults = easyR1Defaults({
    model, records, hardware: input.hardware, runFolder, experiment: input.runName,
    trainFile: join(runFolder, RL_TRAIN_FILE), valFile: join(runFolder, RL_VAL_FILE),
  });
  notes.push(...defaults.notes);
  const config = applyOverrides(defaults.config, request.sets ?? [], 'dotted', notes);
  fitGlobalBatch(config, request.sets ?? [], notes);
  const trainer = config['trainer'] as Config;
  const checkpointFolder = typeof trainer['save_checkpoint_path'] === 'string' ? trainer['save_checkpoint_path'] : join(runFolder, CHECKPOINTS);
  const rollouts = join(runFolder, ROLLOUTS);
  // reward.py's rollout dump needs the group size and where the tracker is: filled from the final config unless set by hand.
  const reward = ((config['worker'] as Config)['reward'] as Config);
  const kwargs = (reward['reward_function_kwargs'] ?? {}) as Config;
  const n = ((config['worker'] as Config)['rollout'] as Config)['n'];
  reward['reward_function_kwargs'] = {
    rollout_path: rollouts,
    group_size: typeof n === 'number' ? n : 1,
    tracker_path: join(checkpointFolder, 'checkpoint_tracker.json'),
    ...kwargs,
  };
  const files: SnapshotFile[] = [
    { path: CONFIG_YAML, text: yamlFile(config, `EasyR1 GRPO config written by Frustum for ${input.runName}`) },
    { path: 'reward.py', text: rewardModule() },
    { path: 'format_prompt.jinja', text: FORMAT_PROMPT },
  ];
  const launch: Launch = request.rayAddress === undefined
    ? { env: [], argv: `${shellQuote(input.python)} -m verl.trainer.main config=${CONFIG_YAML}`, takesOverrides: true }
    : rayLaunch(request.rayAddress, input);
  files.push({ path: 'command.sh', text: commandScript(input, launch) });
  const command = oneLine(runFolder, launch);
  return { engine: 'easyr1', objective: 'grpo', model, runFolder, snapshot, files, command, notes, paths: { metricsLog: join(checkpointFolder, 'experiment_log.jsonl'), checkpointFolder, rollouts } };
}

/** A rollout batch set by hand that the default global batch does not divide gets the largest global batch that does (unless that was set too). */
function fitGlobalBatch(config: Config, sets: ReadonlyArray<{ key: string }>, notes: string[]): void {
  if (sets.some((set) => set.key === 'worker.actor.global_batch_size')) return;
  const rollout = (config['data'] as Config)['rollout_batch_size'];
  const actor = (config['worker'] as Config)['actor'] as Config;
  const global = actor['global_batch_size'];
  if (typeof rollout !== 'number' || typeof global !== 'number' || rollout % global === 0) return;
  actor['global_batch_size'] = largestDivisorAtMost(rollout, global);
  notes.push(`worker.actor.global_batch_size ${actor['global_batch_size']}: EasyR1 needs it to divide data.rollout_batch_size (${rollout})`);
}

/** camera.jinja: EasyR1 renders Template(prompt.strip()).render(content=problem); the tail is CamReasoner's, verbatim. */
export const FORMAT_PROMPT = `{{ content | trim }}${QUESTION_TEMPLATE_TAIL}`;

/** reward.py ships beside this module in the source tree and in the package (electron-builder.yml files). */
function rewardModule(): string {
  return readFileSync(join(packageRoot(), 'backend', 'engines', 'easyr1', 'reward.py'), 'utf8');
}

/**
 * `key=value` overrides: values read as YAML scalars (3e-5, true, null, [a, b]); LLaMA-Factory's
 * config is flat, EasyR1's nested (dotted keys). A key the defaults do not have is passed on as
 * written, with a note (the engines have many more keys than Frustum sets).
 */
export function applyOverrides(config: Config, sets: ReadonlyArray<{ key: string; value: string }>, shape: 'flat' | 'dotted', notes: string[]): Config {
  const result = structuredClone(config);
  for (const { key, value } of sets) {
    const parsed = parseScalar(key, value);
    const path = shape === 'flat' ? [key] : key.split('.');
    if (path.some((part) => part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype')) {
      throw new UsageError(`--set ${key}=…: not a config key`);
    }
    let node: Config = result;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (next === undefined || next === null) node[part] = {};
      else if (typeof next !== 'object' || Array.isArray(next)) throw new UsageError(`--set ${key}=…: ${part} is a value, not a section`);
      node = node[part] as Config;
    }
    const last = path.at(-1) as string;
    if (!Object.hasOwn(node, last)) notes.push(`${key}: not among Frustum's defaults; passed to the trainer as written`);
    node[last] = parsed;
  }
  return result;
}

function parseScalar(key: string, value: string): unknown {
  try {
    return parseYamlValue(value) as unknown;
  } catch (error) {
    throw new UsageError(`--set ${key}=${value}: not a YAML value (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}

function yamlFile(config: Config, title: string): string {
  return `# ${title}.\n# Every key is the trainer's own; edit the job's --set overrides to change one.\n${toYaml(config, { lineWidth: 0 })}`;
}

/** What command.sh runs: environment, then the command; `takesOverrides`: extra key=value arguments reach the trainer. */
interface Launch {
  env: Array<[name: string, value: string, note?: string]>;
  argv: string;
  takesOverrides: boolean;
}

/** One GPU: plain; several: LLaMA-Factory starts torchrun itself (FORCE_TORCHRUN also for DeepSpeed on one). */
function llamaFactoryLaunch(hardware: Hardware, config: Config): Launch {
  const env: Launch['env'] = [];
  if (hardware.gpus > 1 || typeof config['deepspeed'] === 'string') env.push(['FORCE_TORCHRUN', '1']);
  if (hardware.nodes > 1) env.push(['NNODES', String(hardware.nodes), 'and NODE_RANK, MASTER_ADDR, MASTER_PORT on each machine']);
  return { env, argv: `llamafactory-cli train ${TRAIN_YAML}`, takesOverrides: true };
}

/** By hand, Ray's own CLI submits the same entrypoint the job posts to the Jobs REST API (./trainJob.ts). */
function rayLaunch(address: string, input: PlanInput): Launch {
  return {
    env: [],
    argv: `ray job submit --address ${shellQuote(address)} --submission-id ${shellQuote(input.runName)} -- bash -c ${shellQuote(rayEntrypoint(input.runFolder, input.python))}`,
    takesOverrides: false,
  };
}

/** What a Ray cluster runs: the run folder must be on storage every machine sees at the same path. */
export function rayEntrypoint(runFolder: string, python: string): string {
  return `cd ${shellQuote(runFolder)} && ${shellQuote(python)} -m verl.trainer.main config=${CONFIG_YAML}`;
}

function commandScript(input: PlanInput, launch: Launch): string {
  const devices = Array.from({ length: input.hardware.gpus }, (_, index) => index).join(',');
  return [
    '#!/usr/bin/env bash',
    `# ${input.runName}: the command Frustum's job runs, runnable by hand${launch.takesOverrides ? ' (extra key=value arguments override the config)' : ''}.`,
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `export CUDA_VISIBLE_DEVICES="\${CUDA_VISIBLE_DEVICES:-${devices}}"`,
    ...launch.env.map(([name, value, note]) => `export ${name}=${shellQuote(value)}${note === undefined ? '' : `  # ${note}`}`),
    `exec ${launch.argv}${launch.takesOverrides ? ' "$@"' : ''}`,
    '',
  ].join('\n');
}

/** The command as one line, for the preview: `cd RUN && ENV=… trainer …`. */
function oneLine(runFolder: string, launch: Launch): string {
  return [`cd ${shellQuote(runFolder)} &&`, ...launch.env.map(([name, value]) => `${name}=${shellQuote(value)}`), launch.argv].join(' ');
}
