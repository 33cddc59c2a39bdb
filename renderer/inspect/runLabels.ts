// The words and numbers of a run as the Inspect view shows them: what answered (an
// OpenAI-compatible server, a built-in checkpoint, or imported results), its state, whether it
// can be resumed, and its scores.
import type { InferenceRun } from '../../common/api/contract';
import { shortModel } from '../train/lineage';

export function engineLabel(run: Pick<InferenceRun, 'kind' | 'settings'>): string {
  if (run.kind === 'evaluation') return 'imported results';
  if (run.kind === 'scores') return 'imported scores';
  return run.settings?.engine === 'builtin' ? 'Built-in' : 'OpenAI-compatible';
}

/** A built-in run's model is its checkpoint folder ("builtin:/…/global_step_40/actor"): name the step, not the path. */
export function modelLabel(run: Pick<InferenceRun, 'model' | 'settings'>): string {
  if (run.settings?.engine === 'builtin') {
    const parts = run.settings.model.split(/[\\/]/).filter((part) => part !== '' && part !== 'actor');
    return parts.at(-1) ?? run.model;
  }
  return shortModel(run.model);
}

export type RunState = NonNullable<InferenceRun['jobState']> | 'imported' | 'not started';

export function runState(run: Pick<InferenceRun, 'kind' | 'jobState'>): RunState {
  if (run.kind !== 'inference') return 'imported';
  return run.jobState ?? 'not started';
}

export function isRunGoing(run: Pick<InferenceRun, 'jobState'>): boolean {
  return run.jobState === 'queued' || run.jobState === 'running';
}

/** Frustum's own run with samples still unanswered, and no job asking them now. */
export function canResume(run: Pick<InferenceRun, 'kind' | 'settings' | 'jobState' | 'done' | 'samples'>): boolean {
  return run.kind === 'inference' && run.settings !== null && !isRunGoing(run) && run.done < run.samples;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(value === 0 || value === 1 ? 0 : 1)}%`;
}

export function formatProbability(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(3);
}

/** "820 ms", "3.4 s". */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}
