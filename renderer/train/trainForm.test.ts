import { describe, expect, it } from 'vitest';
import type { Checkpoint, TrainRun } from '../../common/api/contract';
import { builtinSftCheckpoints, EMPTY_FORM, formFields, formFilter, toTrainRequest } from './trainForm';

describe('toTrainRequest', () => {
  it('leaves blank fields to the backend and derives the objective from the engine', () => {
    expect(toTrainRequest(EMPTY_FORM)).toEqual({ request: { engine: 'llamafactory', objective: 'sft' }, problems: [] });
    expect(toTrainRequest({ ...EMPTY_FORM, engine: 'easyr1' }).request).toEqual({ engine: 'easyr1', objective: 'grpo' });
  });

  it('sends what was filled in, EasyR1\'s cluster fields only for EasyR1', () => {
    const form = {
      ...EMPTY_FORM, model: ' Qwen/Qwen2.5-VL-3B-Instruct ', gpus: '2', nodes: '3', rayAddress: 'http://head:8265',
      splits: ['train'], statuses: ['accepted' as const], rows: [{ key: 'num_train_epochs', value: '1' }, { key: '', value: '' }],
    };
    expect(toTrainRequest(form).request).toEqual({
      engine: 'llamafactory', objective: 'sft', model: 'Qwen/Qwen2.5-VL-3B-Instruct', gpus: 2,
      sets: [{ key: 'num_train_epochs', value: '1' }], filter: { split: ['train'], status: ['accepted'] },
    });
    expect(toTrainRequest({ ...form, engine: 'easyr1' }).request).toMatchObject({ nodes: 3, rayAddress: 'http://head:8265' });
  });

  it('carries the built-in trainer\'s own objective, and ignores it for the engines that do one', () => {
    expect(toTrainRequest({ ...EMPTY_FORM, engine: 'builtin' }).request).toEqual({ engine: 'builtin', objective: 'sft' });
    expect(toTrainRequest({ ...EMPTY_FORM, engine: 'builtin', objective: 'grpo' }).request).toEqual({ engine: 'builtin', objective: 'grpo' });
    expect(toTrainRequest({ ...EMPTY_FORM, engine: 'llamafactory', objective: 'grpo' }).request.objective).toBe('sft');
    expect(toTrainRequest({ ...EMPTY_FORM, engine: 'easyr1', objective: 'sft' }).request.objective).toBe('grpo');
  });

  it('sends no GPUs, nodes or Ray address for the built-in trainer, and a model only as GRPO\'s SFT checkpoint', () => {
    const form = {
      ...EMPTY_FORM, engine: 'builtin' as const, model: 'Qwen/Qwen2.5-VL-3B-Instruct', checkpoint: ' /runs/3/checkpoints/global_step_8/actor ',
      gpus: '2', nodes: '3', rayAddress: 'http://head:8265', rows: [{ key: 'trainer.total_epochs', value: '1' }],
    };
    expect(toTrainRequest(form)).toEqual({ request: { engine: 'builtin', objective: 'sft', sets: [{ key: 'trainer.total_epochs', value: '1' }] }, problems: [] });
    expect(toTrainRequest({ ...form, objective: 'grpo' }).request).toEqual({
      engine: 'builtin', objective: 'grpo', model: '/runs/3/checkpoints/global_step_8/actor', sets: [{ key: 'trainer.total_epochs', value: '1' }],
    });
    // Blank: the backend starts from the newest built-in SFT run's last checkpoint.
    expect(toTrainRequest({ ...form, objective: 'grpo', checkpoint: '  ' }).request).not.toHaveProperty('model');
    // What is not sent is not checked either.
    expect(toTrainRequest({ ...form, gpus: '0', nodes: 'x', rayAddress: 'head' }).problems).toEqual([]);
    // The checkpoint field never reaches the external engines.
    expect(toTrainRequest({ ...form, engine: 'easyr1', model: '' }).request).not.toHaveProperty('model');
  });

  it('shows the fields each engine takes', () => {
    expect(formFields({ engine: 'llamafactory', objective: 'sft' })).toEqual({ model: 'model', hasGpus: true, hasCluster: false, hasObjectiveChoice: false });
    expect(formFields({ engine: 'easyr1', objective: 'sft' })).toEqual({ model: 'model', hasGpus: true, hasCluster: true, hasObjectiveChoice: false });
    expect(formFields({ engine: 'builtin', objective: 'sft' })).toEqual({ model: null, hasGpus: false, hasCluster: false, hasObjectiveChoice: true });
    expect(formFields({ engine: 'builtin', objective: 'grpo' })).toMatchObject({ model: 'checkpoint', hasGpus: false });
  });

  it('names what cannot be sent', () => {
    const { problems } = toTrainRequest({ ...EMPTY_FORM, engine: 'easyr1', gpus: '0', nodes: '1.5', rayAddress: 'head:8265', rows: [{ key: 'a b', value: '1' }] });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/GPUs/);
    expect(problems.join('\n')).toMatch(/"a b"/);
  });

  it('narrows a saved view by the splits and statuses chosen', () => {
    expect(formFilter({ ...EMPTY_FORM, viewFilter: { kind: ['rl'], split: ['test'] }, splits: ['train'] })).toEqual({ kind: ['rl'], split: ['train'] });
    expect(formFilter(EMPTY_FORM)).toBeUndefined();
  });
});

describe('builtinSftCheckpoints', () => {
  const checkpoint = (path: string, step: number, weights: Checkpoint['weights'] = 'full'): Checkpoint => ({ name: `global_step_${step}`, step, path, isLast: false, isBest: false, weights });
  const run = (jobId: number, engine: TrainRun['engine'], objective: TrainRun['objective'], checkpoints: Checkpoint[]): TrainRun => ({
    jobId, resumedFrom: null, engine, objective, model: 'm', runFolder: `/runs/${jobId}`, snapshot: null, checkpoints, rayJobId: null,
  });

  it('lists the built-in SFT runs\' model folders, newest run and step first', () => {
    const runs = [
      run(1, 'builtin', 'sft', [checkpoint('/runs/1/checkpoints/global_step_4', 4), checkpoint('/runs/1/checkpoints/global_step_8', 8)]),
      run(2, 'builtin', 'grpo', [checkpoint('/runs/2/checkpoints/global_step_2', 2)]),
      run(3, 'easyr1', 'grpo', [checkpoint('/runs/3/checkpoints/global_step_2', 2)]),
      run(4, 'builtin', 'sft', [checkpoint('C:\\runs\\4\\checkpoints\\global_step_1', 1), checkpoint('/runs/4/checkpoints/global_step_2', 2, 'none')]),
    ];
    expect(builtinSftCheckpoints(runs)).toEqual([
      'C:\\runs\\4\\checkpoints\\global_step_1\\actor',
      '/runs/1/checkpoints/global_step_8/actor',
      '/runs/1/checkpoints/global_step_4/actor',
    ]);
  });
});
