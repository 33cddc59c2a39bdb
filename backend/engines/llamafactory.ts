// LLaMA-Factory (`llamafactory-cli train train.yaml`), read as its own code writes
// (../shared/data/engines.md §5.2): output/trainer_log.jsonl, one JSON object per logging step
// (and its v1 trainer's other shape under the same name), progress lines on stdout/stderr before
// the first step, and checkpoint-N folders.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricPoint } from '../../db/trainerOutput';
import type { CheckpointInfo } from './checkpoints';
import { jsonObjectOf, type LogLine, type OutputProgress } from './logLine';

export const TRAIN_YAML = 'train.yaml';

/** Keys that are bookkeeping, not curves. */
const NOT_METRICS = new Set(['current_steps', 'total_steps', 'step', 'percentage', 'elapsed_time', 'remaining_time']);
/** The v1 trainer's names for what the classic one calls lr. */
const RENAMED: Record<string, string> = { learning_rate: 'lr' };

/**
 * One trainer_log.jsonl line: the classic shape `{"current_steps", "total_steps", "loss", "lr",
 * …}` or the v1 shape `{"epoch", "step", "loss", "grad_norm", "learning_rate", …, "total_steps"}`.
 * Null for a line that is not a JSON object with a step (a half-written last line is retried by the tailer).
 */
export function parseTrainerLogLine(line: string): LogLine | null {
  const record = jsonObjectOf(line);
  if (record === null) return null;
  const step = typeof record['current_steps'] === 'number' ? record['current_steps'] : record['step'];
  if (typeof step !== 'number' || !Number.isFinite(step)) return null;
  const total = typeof record['total_steps'] === 'number' ? record['total_steps'] : null;
  const points: MetricPoint[] = [];
  for (const [key, entry] of Object.entries(record)) {
    if (NOT_METRICS.has(key) || typeof entry !== 'number' || !Number.isFinite(entry)) continue;
    points.push({ step: Math.round(step), key: RENAMED[key] ?? key, value: entry });
  }
  return { step: Math.round(step), total, points };
}

// `[INFO|2026-12-06 10:00:00] llamafactory.data.loader:143 >> Loading dataset x.json...`
const LOGGER_LINE = /^\[(?:INFO|WARNING|ERROR)\|[^\]]*\]\s+\S+\s+>>\s+(.*)$/;
// tqdm: `Running tokenizer on dataset (num_proc=16):  45%|████▌     | 171/380 [00:02<00:03, 80.1 examples/s]`
const TQDM_LINE = /^(.*?):?\s*\d+%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[/;
const TOTAL_STEPS = /Total optimization steps\s*=\s*([\d,]+)/;

/** What the trainer is doing before (and between) its logged steps, from one line of its output. */
export function parseLlamaFactoryOutput(line: string): OutputProgress | null {
  const text = line.replace(/\r/g, '').trim();
  const total = TOTAL_STEPS.exec(text);
  if (total) return { message: `training: ${total[1]} steps`, done: 0, total: Number((total[1] ?? '0').replace(/,/g, '')) };
  const bar = TQDM_LINE.exec(text);
  if (bar) {
    const label = (bar[1] ?? '').trim();
    // The training bar itself has no label; steps come from trainer_log.jsonl.
    return label === '' ? null : { message: `${label}: ${bar[2]}/${bar[3]}` };
  }
  const logged = LOGGER_LINE.exec(text);
  if (logged && !/^\{/.test(logged[1] ?? '')) return { message: (logged[1] ?? '').slice(0, 200) };
  if (text.startsWith('***** Running training *****')) return { message: 'training starts' };
  return null;
}

/** checkpoint-N folders in the output folder, by step. */
export function llamaFactoryCheckpoints(output: string): CheckpointInfo[] {
  if (!existsSync(output)) return [];
  const found: CheckpointInfo[] = [];
  for (const entry of readdirSync(output, { withFileTypes: true })) {
    const match = /^checkpoint-(\d+)$/.exec(entry.name);
    if (!entry.isDirectory() || !match) continue;
    const path = join(output, entry.name);
    const files = readdirSync(path);
    const weights = files.includes('adapter_model.safetensors') || files.includes('adapter_model.bin')
      ? 'adapter'
      : files.some((file) => /^model(-\d+-of-\d+)?\.safetensors$/.test(file) || file === 'pytorch_model.bin')
        ? 'full'
        : 'none';
    found.push({ name: entry.name, step: Number(match[1]), path, weights, isLast: false, isBest: false });
  }
  found.sort((a, b) => a.step - b.step);
  const last = found.at(-1);
  if (last) last.isLast = true;
  return found;
}

/** The newest checkpoint in the output folder to resume from, or null. */
export function lastLlamaFactoryCheckpoint(output: string): string | null {
  return llamaFactoryCheckpoints(output).at(-1)?.path ?? null;
}
