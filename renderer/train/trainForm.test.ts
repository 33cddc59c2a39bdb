import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, formFilter, toTrainRequest } from './trainForm';

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
