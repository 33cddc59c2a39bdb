import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';

const array = { kind: 'array' } as const;

describe('detectFormat', () => {
  it.each([
    [{ messages: [], videos: [] }, 'sft'],
    [{ problem: 'q', answer: 'B', videos: ['v.mp4'], problem_id: 1 }, 'rl'],
    [{ problem_id: 1, problem: 'q', solution: '<answer>B</answer>', path: 'v.mp4' }, 'eval'],
    [{ problem: 'q', solution: 'B', path: 'v', output: 'o', prediction: 'B', accuracy: 1 }, 'results'],
    [{ image: 'v.mp4', question: 'q', label: 'Yes' }, 'camerabench'],
  ])('%j is %s', (record, format) => {
    expect(detectFormat(array, record, null)).toEqual({ ok: true, format });
  });

  it('knows the wrapper objects by their record list', () => {
    expect(detectFormat({ kind: 'object', key: 'results' }, {}, {})).toEqual({ ok: true, format: 'results' });
    expect(detectFormat({ kind: 'object', key: 'scores' }, {}, {})).toEqual({ ok: true, format: 'camerabench-scores' });
  });

  it('refuses to guess between two formats', () => {
    const both = { problem: 'q', solution: 'B', path: 'v', answer: 'B', videos: ['v'] };
    const result = detectFormat(array, both, null);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/ambiguous: the records look like eval and rl; pass --format/) });
  });

  it('names the keys it did not recognise', () => {
    expect(detectFormat(array, { foo: 1, bar: 2 }, null)).toMatchObject({ ok: false, reason: expect.stringMatching(/keys: foo, bar/) });
    expect(detectFormat(array, 'text', null)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a JSON object/) });
    expect(detectFormat(array, undefined, null)).toMatchObject({ ok: false, reason: expect.stringMatching(/no records/) });
  });
});
