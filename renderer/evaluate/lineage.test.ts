import { describe, expect, it } from 'vitest';
import type { RunLineage } from '../../common/api/contract';
import { checkpointName, lineageSteps } from './lineage';

const BUILTIN: RunLineage = {
  runId: 6,
  kind: 'inference',
  model: 'builtin:/p/runs/sft-3/global_step_4/actor',
  settings: {
    engine: 'builtin', model: '/p/runs/sft-3/global_step_4/actor', temperature: 0, maxTokens: 512,
    frames: { sampling: 'first', parts: 'images', fps: 1, maxFrames: 64, maxPixels: 200_704 },
  },
  snapshotHash: 'sha256:0123456789abcdef',
  filter: { split: ['test'] },
  trainJob: { jobId: 3, engine: 'builtin', objective: 'sft', runFolder: '/p/runs/sft-3', snapshotHash: 'sha256:fedcba9876543210', samples: 60 },
  checkpoint: '/p/runs/sft-3/global_step_4/actor',
  source: null,
  createdAt: '2026-12-07T03:30:05.123Z',
};

describe('lineage', () => {
  it('chains snapshot → training job → checkpoint → run for a built-in run, with links to the Library and Train', () => {
    const steps = lineageSteps(BUILTIN);
    expect(steps.map((step) => step.kind)).toEqual(['snapshot', 'train', 'checkpoint', 'run']);
    expect(steps[0]).toMatchObject({ lines: ['snapshot 01234567', 'split test'], link: { to: 'library', filter: { split: ['test'] } } });
    expect(steps[1]).toMatchObject({ title: 'Training job #3', lines: ['Built-in SFT', 'trained on snapshot fedcba98 · 60 samples'], link: { to: 'train', jobId: 3 } });
    expect(steps[2]?.lines[0]).toBe('global_step_4');
    expect(steps[3]?.title).toBe('This run #6');
    expect(steps[3]?.lines).toEqual(['built-in model, checkpoint global_step_4', 'reads motion evidence, not frames', 'temperature 0 · max 512 tokens', 'created 2026-12-07 03:30:05']);
  });

  it('gives an endpoint run its settings, and an imported run its source file', () => {
    const openai: RunLineage = {
      ...BUILTIN, trainJob: null, checkpoint: null, filter: null, model: 'Qwen/CamReasoner-7B',
      settings: { ...BUILTIN.settings!, engine: 'openai', endpoint: 'http://127.0.0.1:8000/v1', model: 'CamReasoner-7B', maxTokens: 8192 },
    };
    const steps = lineageSteps(openai);
    expect(steps.map((step) => step.kind)).toEqual(['snapshot', 'run']);
    expect(steps[0]?.link).toBeNull();
    expect(steps[1]?.lines.slice(0, 4)).toEqual(['model CamReasoner-7B', 'endpoint http://127.0.0.1:8000/v1', 'frames: images, first 64 at 1 fps, ≤ 200,704 px', 'temperature 0 · max 8,192 tokens']);

    const imported: RunLineage = { ...openai, kind: 'evaluation', settings: null, snapshotHash: null, source: '/data/eval_results.json' };
    expect(lineageSteps(imported).map((step) => [step.kind, step.lines[0]])).toEqual([['source', '/data/eval_results.json'], ['run', 'model CamReasoner-7B']]);
  });

  it('names a checkpoint by its step', () => {
    expect(checkpointName('builtin:/p/runs/x/global_step_40/actor')).toBe('global_step_40');
    expect(checkpointName('C:\\runs\\checkpoint-200')).toBe('checkpoint-200');
  });
});
