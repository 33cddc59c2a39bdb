// The built-in trainer's entry: what a built-in run's command.sh runs (`frustum builtin-train
// RUN_FOLDER`, main/cli). It reads the run folder the train job wrote (run.json, builtin.yaml, the
// frozen records and data/evidence.json), picks the TensorFlow.js backend, and trains SFT or GRPO,
// writing what EasyR1 writes so the job's readers and the Train view need nothing new.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ProjectError } from '../../common/errors';
import type { Config } from '../../backend/engines/defaults';
import { applyOverrides } from '../../backend/engines/plan';
import { readRunDescription } from '../../backend/engines/runFolder';
import { loadTensorflow, type TensorflowPackage } from '../tensorflow';
import { builtinConfig, BUILTIN_YAML, type BuiltinConfig } from '../../backend/engines/builtinConfig';
import type { TrainerContext } from './context';
import { readRlExamples, readSftExamples } from './examples';
import { trainGrpo } from './grpo';
import { RunFiles } from './runFiles';
import { trainSft, type TrainOutcome } from './sft';

export interface TrainerOptions {
  folder: string;
  out: (line: string) => void;
  signal?: AbortSignal;
  /** Settings read over builtin.yaml for this attempt (a resume's --set). */
  sets?: ReadonlyArray<{ key: string; value: string }>;
  /** Only this TensorFlow.js package (tests, benchmarks). */
  tensorflow?: TensorflowPackage;
}

export function readBuiltinConfig(folder: string, sets: ReadonlyArray<{ key: string; value: string }> = []): BuiltinConfig {
  const path = join(folder, BUILTIN_YAML);
  let value: unknown;
  try {
    value = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProjectError(path, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const notes: string[] = [];
  const parsed = builtinConfig.safeParse(sets.length === 0 ? value : applyOverrides(value as Config, sets, 'dotted', notes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProjectError(path, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export async function runBuiltinTrainer(options: TrainerOptions): Promise<TrainOutcome> {
  const { folder, out } = options;
  const run = readRunDescription(folder);
  if (run === null) throw new ProjectError(folder, 'has no run.json: not a run folder');
  if (run.engine !== 'builtin') throw new ProjectError(folder, `is an ${run.engine} run, not a built-in one`);
  const config = readBuiltinConfig(folder, options.sets);
  for (const { key, value } of options.sets ?? []) out(`${key}=${value} (over ${BUILTIN_YAML})`);
  const loaded = await loadTensorflow(options.tensorflow === undefined ? {} : { only: options.tensorflow });
  out(`TensorFlow.js ${loaded.tf.version.tfjs}: ${loaded.package} (backend "${loaded.backend}")`);
  for (const passed of loaded.passedOver) out(`  passed over ${passed.package}: ${passed.reason}`);
  const context: TrainerContext = {
    tf: loaded.tf,
    folder,
    config,
    files: new RunFiles(folder),
    out,
    about: { run: run.runName, snapshot: run.snapshot.hash, backend: loaded.package },
    ...(options.signal ? { signal: options.signal } : {}),
    deadline: config.trainer.max_seconds > 0 ? Date.now() + config.trainer.max_seconds * 1000 : Infinity,
  };
  if (run.objective === 'sft') {
    const { train, evidenceFeatures } = readSftExamples(folder);
    return trainSft(context, train, evidenceFeatures);
  }
  const { train, val } = readRlExamples(folder);
  return trainGrpo(context, train, val);
}
