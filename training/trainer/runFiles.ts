// What the built-in trainer writes in its run folder, in EasyR1's shapes so that the train job's
// readers (backend/engines/easyr1.ts) and the Train view need nothing new: experiment_log.jsonl
// with metrics nested on "/", global_step_N checkpoint folders with checkpoint_tracker.json, and
// rollouts.jsonl as Frustum's reward.py writes it for EasyR1.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINTS, ROLLOUTS } from '../../backend/engines/easyr1';
import { writeCheckpoint, type ModelCheckpoint } from '../model/checkpoint';

export const EXPERIMENT_LOG = 'experiment_log.jsonl';

export interface Tracker {
  best_global_step: number;
  best_val_reward_score: number;
  last_global_step: number;
  last_actor_path: string;
}

/** `{"actor/pg_loss": 1}` → `{"actor": {"pg_loss": 1}}` (EasyR1's unflatten_dict). */
export function nested(flat: Record<string, number>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('/');
    let node = result;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1) as string] = value;
  }
  return result;
}

export class RunFiles {
  readonly checkpoints: string;

  constructor(readonly folder: string) {
    this.checkpoints = join(folder, CHECKPOINTS);
    mkdirSync(this.checkpoints, { recursive: true });
  }

  /** One metrics line; appended, so a resumed run keeps its earlier lines (EasyR1 would truncate them). */
  logMetrics(step: number, flat: Record<string, number>): void {
    appendFileSync(join(this.checkpoints, EXPERIMENT_LOG), `${JSON.stringify({ step, ...nested(flat) })}\n`);
  }

  logRollouts(record: { step: number; groups: unknown[] }): void {
    appendFileSync(join(this.folder, ROLLOUTS), `${JSON.stringify({ step: record.step, time: Math.round(Date.now()) / 1000, groups: record.groups })}\n`);
  }

  tracker(): Tracker | null {
    const path = join(this.checkpoints, 'checkpoint_tracker.json');
    if (!existsSync(path)) return null;
    return JSON.parse(readFileSync(path, 'utf8')) as Tracker;
  }

  /** global_step_N/actor holds the model (EasyR1's layout: the studio lists it as any EasyR1 checkpoint). */
  checkpointFolder(step: number): string {
    return join(this.checkpoints, `global_step_${step}`, 'actor');
  }

  saveCheckpoint(step: number, checkpoint: ModelCheckpoint, files: Record<string, Uint8Array>, validationScore: number | null): string {
    const folder = this.checkpointFolder(step);
    mkdirSync(join(folder, '..'), { recursive: true });
    writeCheckpoint(folder, checkpoint, files);
    const previous = this.tracker();
    const isBest = validationScore !== null && (previous === null || previous.best_val_reward_score <= validationScore || previous.best_global_step === 0);
    const tracker: Tracker = {
      best_global_step: isBest ? step : previous?.best_global_step ?? 0,
      best_val_reward_score: isBest ? Math.round(validationScore * 1e4) / 1e4 : previous?.best_val_reward_score ?? 0,
      last_global_step: step,
      last_actor_path: folder,
    };
    writeFileSync(join(this.checkpoints, 'checkpoint_tracker.json'), `${JSON.stringify(tracker, null, 2)}\n`);
    return folder;
  }
}
