import { describe, expect, it } from 'vitest';
import type { TrainRun } from '../../common/api/contract';
import { checkpointLabel, filterSummary, resumesOf, shortHash, shortModel } from './lineage';

const run = (jobId: number, resumedFrom: number | null): TrainRun => ({
  jobId, resumedFrom, engine: 'easyr1', objective: 'grpo', model: 'Qwen/Qwen2.5-VL-7B-Instruct', runFolder: '/runs/x', snapshot: null, checkpoints: [], rayJobId: null,
});

describe('lineage words', () => {
  it('shortens hashes and model ids', () => {
    expect(shortHash('sha256:0123456789abcdef')).toBe('01234567');
    expect(shortModel('Qwen/Qwen2.5-VL-7B-Instruct')).toBe('Qwen2.5-VL-7B-Instruct');
    expect(shortModel('/models/local/')).toBe('local');
  });

  it('says a filter in a few words', () => {
    expect(filterSummary({})).toBe('all samples');
    expect(filterSummary({ split: ['train'], status: ['accepted', 'reviewed'] })).toBe('split train · accepted, reviewed');
    expect(filterSummary({ kind: ['rl'], search: 'pan' })).toBe('kind rl · “pan”');
  });

  it('marks the last and best checkpoints', () => {
    expect(checkpointLabel({ name: 'global_step_20', step: 20, path: '', isLast: true, isBest: true, weights: 'shards' })).toBe('global_step_20 ★best ◆last');
    expect(checkpointLabel({ name: 'checkpoint-5', step: 5, path: '', isLast: false, isBest: false, weights: 'adapter' })).toBe('checkpoint-5');
  });

  it('follows resumes of resumes', () => {
    const runs = [run(9, 7), run(7, 3), run(3, null), run(5, null)];
    expect(resumesOf(runs[2] as TrainRun, runs).map((item) => item.jobId)).toEqual([7, 9]);
    expect(resumesOf(runs[3] as TrainRun, runs)).toEqual([]);
  });
});
