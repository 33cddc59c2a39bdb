import { describe, expect, it } from 'vitest';
import type { InferenceRun, InferenceSettings } from '../../common/api/contract';
import { canResume, engineLabel, formatMs, formatPercent, formatProbability, modelLabel, runState } from './runLabels';

const FRAMES = { sampling: 'first', parts: 'images', fps: 1, maxFrames: 64, maxPixels: 1_048_576 } as const;
const OPENAI: InferenceSettings = { engine: 'openai', endpoint: 'http://127.0.0.1:8000/v1', model: 'CamReasoner-7B', temperature: 0, maxTokens: 8192, frames: FRAMES };
const BUILTIN: InferenceSettings = { engine: 'builtin', model: '/p/demo.runs/4/checkpoints/global_step_40/actor', temperature: 0, maxTokens: 512, frames: FRAMES };

function run(patch: Partial<InferenceRun>): InferenceRun {
  return {
    id: 1, kind: 'inference', model: 'CamReasoner-7B', settings: OPENAI, snapshotHash: null, filter: null, trainJobId: null,
    samples: 10, done: 4, errors: 0, accuracy: 0.5, completionTokens: 0, jobId: 2, jobState: 'cancelled', createdAt: '', ...patch,
  };
}

describe('run labels', () => {
  it('names what answered', () => {
    expect(engineLabel(run({}))).toBe('OpenAI-compatible');
    expect(engineLabel(run({ settings: BUILTIN }))).toBe('Built-in');
    expect(engineLabel(run({ kind: 'evaluation', settings: null }))).toBe('imported results');
    expect(modelLabel(run({ model: 'Qwen/Qwen2.5-VL-7B-Instruct' }))).toBe('Qwen2.5-VL-7B-Instruct');
    expect(modelLabel(run({ model: `builtin:${BUILTIN.model}`, settings: BUILTIN }))).toBe('global_step_40');
  });

  it('offers Resume only for Frustum\'s own stopped runs with samples left', () => {
    expect(canResume(run({}))).toBe(true);
    expect(canResume(run({ jobState: 'running' }))).toBe(false);
    expect(canResume(run({ done: 10 }))).toBe(false);
    expect(canResume(run({ kind: 'evaluation', settings: null, jobState: null }))).toBe(false);
    expect(runState(run({ jobState: null }))).toBe('not started');
    expect(runState(run({ kind: 'scores' }))).toBe('imported');
  });

  it('formats scores', () => {
    expect([formatPercent(0.5), formatPercent(1), formatPercent(0.8333), formatPercent(null)]).toEqual(['50.0%', '100%', '83.3%', '–']);
    expect([formatProbability(0.91234), formatProbability(null)]).toEqual(['0.912', '–']);
    expect([formatMs(820.4), formatMs(3400), formatMs(null)]).toEqual(['820 ms', '3.4 s', '–']);
  });
});
