import { describe, expect, it } from 'vitest';
import { overrideProblem, parseOverrideLines, rowsNamedIn, toSets } from './overrides';

describe('overrides', () => {
  it('reads pasted key=value and key: value lines', () => {
    expect(parseOverrideLines('learning_rate=2e-5\n# a comment\n\ntrainer.total_epochs: 3\nworker.rollout.n = 8\nurl=http://a/?b=c\nflag')).toEqual([
      { key: 'learning_rate', value: '2e-5' },
      { key: 'trainer.total_epochs', value: '3' },
      { key: 'worker.rollout.n', value: '8' },
      { key: 'url', value: 'http://a/?b=c' },
      { key: 'flag', value: '' },
    ]);
  });

  it('names a bad key and drops blank rows from the request', () => {
    expect(overrideProblem({ key: 'data.max_prompt_length', value: '2048' })).toBeNull();
    expect(overrideProblem({ key: '', value: '' })).toBeNull();
    expect(overrideProblem({ key: '', value: '3' })).toMatch(/needs a key/);
    expect(overrideProblem({ key: 'bad key', value: '1' })).toMatch(/"bad key"/);
    expect(toSets([{ key: ' lr ', value: '1e-5' }, { key: '', value: '' }])).toEqual([{ key: 'lr', value: '1e-5' }]);
    expect(toSets([{ key: '', value: '' }])).toBeUndefined();
  });

  it('finds the rows a server message names', () => {
    const rows = [{ key: 'lora_rank', value: 'x' }, { key: 'trainer.foo', value: '1' }, { key: 'trainer.foobar', value: '2' }];
    expect(rowsNamedIn('unknown key trainer.foo (did you mean trainer.logger?)', rows)).toEqual([1]);
    expect(rowsNamedIn('sets[0].value: lora_rank must be an integer', rows)).toEqual([0]);
  });
});
