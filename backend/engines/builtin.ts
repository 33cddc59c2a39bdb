// Runs of the built-in reasoner (its trainer is `frustum builtin-train RUN_FOLDER`, in this
// package): builtin.yaml from the defaults and the person's --set overrides, command.sh that runs
// the trainer with this same Node, and where it writes (EasyR1's layout: checkpoints/ with
// experiment_log.jsonl and global_step_N, rollouts.jsonl for GRPO). GRPO starts from an SFT
// checkpoint: the one --model names, else the newest built-in SFT run's last checkpoint.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { UsageError } from '../../common/errors';
import { packageRoot } from '../packageRoot';
import { BUILTIN_YAML, builtinConfig, builtinDefaults } from './builtinConfig';
import { easyR1Checkpoints, CHECKPOINTS, ROLLOUTS } from './easyr1';
import { EVIDENCE_FILE } from './evidenceFile';
import type { Config } from './defaults';
import { readRunDescription } from './runFolder';
import { shellQuote } from './shell';
import type { SnapshotFile } from './snapshot';

/** What the Train view and `--dry-run` show for the built-in model. */
export const BUILTIN_MODEL = 'frustum-reasoner (GRU, built in)';

export interface BuiltinPlanInput {
  objective: 'sft' | 'grpo';
  model: string | undefined;
  records: number;
  runFolder: string;
  runName: string;
  /** EasyR1-style dotted overrides, applied by the caller's applyOverrides. */
  applyOverrides: (config: Config) => Config;
}

export interface BuiltinPlanParts {
  model: string;
  files: SnapshotFile[];
  command: string;
  paths: { metricsLog: string; checkpointFolder: string; rollouts: string | null };
  notes: string[];
}

export function planBuiltin(input: BuiltinPlanInput): BuiltinPlanParts {
  const notes: string[] = [];
  let init: string | null = null;
  if (input.objective === 'grpo') {
    init = input.model !== undefined ? resolve(input.model) : newestBuiltinSftCheckpoint(dirname(input.runFolder));
    if (init === null) throw new UsageError('built-in GRPO starts from a built-in SFT checkpoint: train one first (frustum train PROJECT --engine builtin --objective sft) or name one with --model');
    if (!existsSync(join(init, 'model.json'))) throw new UsageError(`--model ${init}: not a built-in model checkpoint (no model.json there)`);
    notes.push(`starts from ${init}, also the KL reference`);
  }
  const config = input.applyOverrides(builtinDefaults(input.objective, input.records, init) as unknown as Config);
  // The built-in trainer reads every key itself: a misspelt or mistyped one is refused now, not after the job starts.
  const checked = builtinConfig.safeParse(config);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UsageError(`--set ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a built-in trainer setting'} (see ${BUILTIN_YAML} in --dry-run for every key)`);
  }
  notes.push(`${EVIDENCE_FILE}: each clip's motion evidence, written when the job starts (clips the analyzer has not tracked yet are tracked first)`);
  const checkpointFolder = join(input.runFolder, CHECKPOINTS);
  const files: SnapshotFile[] = [
    { path: BUILTIN_YAML, text: `# Built-in ${input.objective.toUpperCase()} config written by Frustum for ${input.runName}.\n# Every key is read by the built-in trainer; change one with frustum train --set key=value.\n${toYaml(config, { lineWidth: 0 })}` },
    { path: 'command.sh', text: commandScript(input.runName) },
  ];
  return {
    model: init ?? BUILTIN_MODEL,
    files,
    command: `cd ${input.runFolder} && ${trainerCommand()}`,
    paths: { metricsLog: join(checkpointFolder, 'experiment_log.jsonl'), checkpointFolder, rollouts: input.objective === 'grpo' ? join(input.runFolder, ROLLOUTS) : null },
    notes,
  };
}

/** This Node (or Electron running as Node) and this package's CLI: the trainer is the same build as the studio. */
function trainerCommand(): string {
  const electron = process.versions['electron'] !== undefined ? 'ELECTRON_RUN_AS_NODE=1 ' : '';
  return `${electron}${shellQuote(process.execPath)} ${shellQuote(join(packageRoot(), 'bin', 'frustum.js'))} builtin-train .`;
}

function commandScript(runName: string): string {
  return [
    '#!/usr/bin/env bash',
    `# ${runName}: the command Frustum's job runs, runnable by hand. The trainer resumes from checkpoints/ when it finds one.`,
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `exec ${trainerCommand()} "$@"`,
    '',
  ].join('\n');
}

/** The last checkpoint's actor folder of a built-in run folder, or null (not built-in, no checkpoint yet). */
function lastBuiltinCheckpoint(runFolder: string, objective?: 'sft' | 'grpo'): string | null {
  let run;
  try {
    run = readRunDescription(runFolder);
  } catch {
    return null;
  }
  if (run?.engine !== 'builtin' || (objective !== undefined && run.objective !== objective) || run.paths.checkpointFolder === null) return null;
  const last = easyR1Checkpoints(run.paths.checkpointFolder).find((checkpoint) => checkpoint.isLast);
  return last === undefined ? null : join(last.path, 'actor');
}

/** The newest built-in run beside this one (of that objective, when given) that has a checkpoint: its last one. */
export function newestBuiltinCheckpoint(runs: string, objective?: 'sft' | 'grpo'): string | null {
  if (!existsSync(runs)) return null;
  const ids = readdirSync(runs).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => b - a);
  for (const id of ids) {
    const found = lastBuiltinCheckpoint(join(runs, String(id)), objective);
    if (found !== null) return found;
  }
  return null;
}

export function newestBuiltinSftCheckpoint(runs: string): string | null {
  return newestBuiltinCheckpoint(runs, 'sft');
}

/**
 * The folder holding a built-in model.json and its ONNX files, from what a person names: that
 * folder, a global_step_N folder (its actor/), or a run folder (its last checkpoint).
 */
export function resolveBuiltinCheckpoint(path: string): string {
  const folder = resolve(path);
  if (existsSync(join(folder, 'model.json'))) return folder;
  if (existsSync(join(folder, 'actor', 'model.json'))) return join(folder, 'actor');
  const last = lastBuiltinCheckpoint(folder);
  if (last !== null) return last;
  throw new UsageError(`${path} holds no built-in checkpoint: name a built-in run folder, its global_step_N folder or that folder's actor/`);
}
