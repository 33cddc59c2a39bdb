// EasyR1 (`python3 -m verl.trainer.main config=config.yaml`), read as its own code writes
// (../shared/data/engines.md §5.1): experiment_log.jsonl under the checkpoint path with metrics
// nested on "/" (flattened back here: reward/overall, actor/kl_loss…), the console logger's
// `Step N` + YAML blocks (all a Ray cluster's log shows when its disk is not ours), progress
// lines before the first step, global_step_N checkpoints and checkpoint_tracker.json; and the
// rollouts our reward.py writes (EasyR1 itself logs only validation samples).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MetricPoint } from '../../db/trainerOutput';
import type { CheckpointInfo } from './checkpoints';
import { jsonObjectOf, type LogLine, type OutputProgress } from './logLine';

export const CONFIG_YAML = 'config.yaml';
export const CHECKPOINTS = 'checkpoints';
export const ROLLOUTS = 'rollouts.jsonl';
/** Logs EasyR1 truncates when it starts (even on resume): copied here first, one folder per attempt. */
export const EARLIER_LOGS = 'logs';

/** `{"actor": {"kl_loss": 0.1}}` → actor/kl_loss = 0.1 (EasyR1's unflatten_dict, undone). */
export function flattenMetrics(value: unknown, step: number, prefix = '', into: MetricPoint[] = []): MetricPoint[] {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && prefix !== '') into.push({ step, key: prefix, value });
  } else if (typeof value === 'boolean') {
    into.push({ step, key: prefix, value: value ? 1 : 0 });
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) flattenMetrics(entry, step, prefix === '' ? key : `${prefix}/${key}`, into);
  }
  return into;
}

/** One experiment_log.jsonl line: `{"step": N, "reward": {...}, "actor": {...}, …}`. */
export function parseExperimentLogLine(line: string): LogLine | null {
  const record = jsonObjectOf(line);
  if (record === null) return null;
  const { step, ...metrics } = record;
  if (typeof step !== 'number' || !Number.isFinite(step)) return null;
  return { step, total: null, points: flattenMetrics(metrics, step) };
}

/** Ray prefixes an actor's lines with `(Runner pid=123) ` (and `(WorkerDict pid=…, ip=…)`). */
export function withoutRayPrefix(line: string): string {
  return line.replace(/^\([A-Za-z_][\w]*(?:\s+pid=\d+)?(?:,\s*ip=[^)]*)?\)\s?/, '');
}

/**
 * The console logger's blocks: `Step N` then yaml.dump of the nested metrics (keys at column 0
 * and indented below). Feed lines in order; a block is returned when the first line that is not
 * part of it arrives (or at `flush`).
 */
export interface ConsoleMetricsReader {
  feed(line: string): LogLine | null;
  flush(): LogLine | null;
}

export function consoleMetricsReader(): ConsoleMetricsReader {
  let step: number | null = null;
  let lines: string[] = [];
  const flush = (): LogLine | null => {
    if (step === null) return null;
    const finished = step;
    const text = lines.join('\n');
    step = null;
    lines = [];
    try {
      return { step: finished, total: null, points: flattenMetrics(parseYaml(text) as unknown, finished) };
    } catch {
      return null;
    }
  };
  return {
    feed(rawLine) {
      const line = withoutRayPrefix(rawLine.replace(/\r/g, ''));
      const start = /^Step (\d+)$/.exec(line.trim());
      if (start) {
        const finished = flush();
        step = Number(start[1]);
        return finished;
      }
      if (step !== null && /^\s*[^\s:#][^:]*:(\s.*)?$/.test(line)) {
        lines.push(line);
        return null;
      }
      return flush();
    },
    flush,
  };
}

/** Progress before the first step: the trainer's own lines, Ray's prefix removed. */
export function parseEasyR1Output(rawLine: string): OutputProgress | null {
  const line = withoutRayPrefix(rawLine.replace(/\r/g, '')).trim();
  const total = /^Total training steps:\s*(\d+)/.exec(line);
  if (total) return { message: `training: ${total[1]} steps`, done: 0, total: Number(total[1]) };
  if (/^Using reward function/.test(line)) return { message: line.slice(0, 200) };
  if (/^Initializing logging file/.test(line)) return { message: 'starting the trainer' };
  if (/Started a local Ray instance|Connected to Ray cluster/.test(line)) return { message: line.slice(0, 200) };
  if (/^Loading checkpoint|^Found latest checkpoint|^Load from checkpoint/i.test(line)) return { message: line.slice(0, 200) };
  if (/Running step|Start validation|Generating/.test(line)) return { message: line.replace(/\s*\d+%\|.*$/, '').slice(0, 120) };
  return null;
}

interface Tracker {
  best_global_step?: number;
  best_val_reward_score?: number;
  last_global_step?: number;
  last_actor_path?: string;
}

/** checkpoint_tracker.json at the checkpoint path's root. */
function readTracker(checkpointFolder: string): Tracker | null {
  try {
    const value = JSON.parse(readFileSync(join(checkpointFolder, 'checkpoint_tracker.json'), 'utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Tracker) : null;
  } catch {
    return null;
  }
}

/** global_step_N folders under the checkpoint path, with the tracker's last and best marked. */
export function easyR1Checkpoints(folder: string): CheckpointInfo[] {
  if (!existsSync(folder)) return [];
  const tracker = readTracker(folder);
  const found: CheckpointInfo[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const match = /^global_step_(\d+)$/.exec(entry.name);
    if (!entry.isDirectory() || !match) continue;
    const step = Number(match[1]);
    const path = join(folder, entry.name);
    const actor = join(path, 'actor');
    const actorFiles = existsSync(actor) ? readdirSync(actor) : [];
    const merged = existsSync(join(actor, 'huggingface')) && readdirSync(join(actor, 'huggingface')).some((file) => file.endsWith('.safetensors'));
    // The built-in trainer's model.json + weights.bin (with its ONNX export) are a whole model too.
    const weights = existsSync(join(actor, 'lora_adapter'))
      ? 'adapter'
      : merged || actorFiles.includes('model.json')
        ? 'full'
        : actorFiles.some((file) => /^model_world_size_\d+_rank_\d+\.pt$/.test(file))
          ? 'shards'
          : 'none';
    found.push({ name: entry.name, step, path, weights, isLast: tracker?.last_global_step === step, isBest: tracker?.best_global_step === step });
  }
  found.sort((a, b) => a.step - b.step);
  if (tracker === null && found.length > 0) (found.at(-1) as CheckpointInfo).isLast = true;
  return found;
}

export interface RolloutLine {
  step: number;
  groups: Array<{
    sample: number | null;
    ground_truth: string;
    responses: Array<{ text: string; length: number | null; overall: number; format: number; accuracy: number; advantage: number }>;
  }>;
}

/** One rollouts.jsonl line as reward.py writes it; null when it is not one. */
export function parseRolloutLine(line: string): RolloutLine | null {
  const record = jsonObjectOf(line);
  // The groups' fields are read defensively where they are stored and shown (a hand-edited reward.py may write anything).
  return record !== null && typeof record['step'] === 'number' && Array.isArray(record['groups']) ? (record as unknown as RolloutLine) : null;
}
