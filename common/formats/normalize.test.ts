import { compile } from 'zod';
import { describe, expect, it } from 'vitest';
import { normalizeRecord, sampleKey } from './normalize';
import { rlPrompt, sftUserContent } from './prompts';
import { cameraBenchRecord, cameraBenchScore, evalRecord, resultRecord, rlRecord, sftRecord } from './schemas';

const question = 'Does the camera pan to the left?';
const options = ['A. No', 'B. Yes'];

describe('normalizeRecord', () => {
  it('reads the question and options back out of a CamReasoner SFT prompt', () => {
    const result = normalizeRecord('sft', {
      messages: [
        { role: 'user', content: sftUserContent(question, options) },
        { role: 'assistant', content: '<observation>o</observation><think>t</think><answer> B </answer>' },
      ],
      videos: ['video/a.mp4'],
    });
    expect(result).toMatchObject({
      ok: true,
      record: { sample: { question, options, answer: 'B', primitive: 'Pan_Left', clipRef: 'video/a.mp4', key: sampleKey('a.mp4', question) } },
    });
  });

  it('reads options embedded in an RL problem when there is no options list', () => {
    const result = normalizeRecord('rl', { problem: rlPrompt(question, options), answer: 'A', videos: ['x/a.mp4'] });
    expect(result).toMatchObject({ ok: true, record: { sample: { question, options, answer: 'A' } } });
  });

  it('gives one identity to one question about one clip, whatever the format and folder', () => {
    const evalRecord = normalizeRecord('eval', {
      problem_id: 'Pan_Left_3', problem: question, data_type: 'video', problem_type: 'multiple choice',
      options, solution: '<answer>B</answer>', path: 'video/a.mp4',
    });
    const jsonl = normalizeRecord('camerabench', { image: 'a.mp4', question, label: 'Yes' });
    expect(evalRecord.ok && jsonl.ok && evalRecord.record.sample.key === jsonl.record.sample.key).toBe(true);
  });

  it('accepts an answer given as the option text', () => {
    const result = normalizeRecord('rl', { problem: question, answer: 'B. Yes', options, videos: ['a.mp4'] });
    expect(result).toMatchObject({ ok: true, record: { sample: { answer: 'B' } } });
  });

  it.each([
    [{ problem: question, answer: 'C', options, videos: ['a.mp4'] }, 'answer', /"C" is not one of the options A, B/],
    [{ problem: question, answer: 'A', options: ['A. No', 'A. Yes'], videos: ['a.mp4'] }, 'options', /appears twice/],
    [{ problem: question, answer: 'A', options: ['No', 'Yes'], videos: ['a.mp4'] }, 'options', /does not start with a letter/],
    [{ problem: question, answer: 'A', options, videos: [] }, 'videos', /at least one video/],
  ])('refuses %j', (record, field, reason) => {
    expect(normalizeRecord('rl', record)).toEqual({ ok: false, field, reason: expect.stringMatching(reason) });
  });

  // A question that is empty or only whitespace (once any <video> token is taken out) asks the
  // model nothing; it used to import, trimmed to "" and keyed on the clip alone.
  it.each([
    ['eval', { problem_id: 'Pan_Left_3', problem: ' \t\n ', data_type: 'video', problem_type: 'multiple choice', options, solution: 'B', path: 'a.mp4' }, 'problem'],
    ['results', { problem_id: 1, problem: '\u3000', data_type: 'video', problem_type: 'multiple choice', options, solution: 'B', path: 'a.mp4', output: 'B', prediction: 'B', accuracy: 1 }, 'problem'],
    ['rl', { problem: '<video>  ', answer: 'A', options, videos: ['a.mp4'] }, 'problem'],
    ['rl', { problem: rlPrompt(' ', options), answer: 'A', videos: ['a.mp4'] }, 'problem'],
    ['camerabench', { image: 'a.mp4', question: '\u00a0\r\n', label: 'Yes' }, 'question'],
    ['camerabench-scores', { video_path: 'a.mp4', question: '', ground_truth_label: 'Yes', score: 0.5, error: null }, 'question'],
    ['sft', { messages: [{ role: 'user', content: sftUserContent('  ', options) }, { role: 'assistant', content: '<answer>B</answer>' }], videos: ['a.mp4'] }, 'messages.0.content'],
  ] as const)('refuses a %s record whose question is only whitespace', (format, record, field) => {
    expect(normalizeRecord(format, record)).toEqual({ ok: false, field, reason: 'the question is empty or only whitespace' });
  });

  it.each([
    [['A.', 'B. Yes'], 'A'],
    [['A. No', 'B) \t '], 'B'],
    [['A. No', ' b . \u3000'], 'B'],
  ])('refuses options %j, one with no text after its letter', (list, letter) => {
    expect(normalizeRecord('rl', { problem: question, answer: 'A', options: list, videos: ['a.mp4'] })).toEqual({
      ok: false, field: 'options', reason: `option ${letter} has no text after "${letter}."`,
    });
    const sft = { messages: [{ role: 'user', content: sftUserContent(question, list) }, { role: 'assistant', content: '<answer>A</answer>' }], videos: ['a.mp4'] };
    expect(normalizeRecord('sft', sft)).toMatchObject({ ok: false, field: 'messages.0.content' });
  });

  it('refuses a score with a label other than Yes or No', () => {
    const result = normalizeRecord('camerabench-scores', { video_path: 'a.mp4', question, ground_truth_label: 'maybe', score: 0.5, error: null });
    expect(result).toEqual({ ok: false, field: 'ground_truth_label', reason: 'must be "Yes" or "No"' });
  });

  // normalizeRecord validates with zod's compiled validators; a schema the compiler cannot take
  // would silently fall back to the (three times slower) runtime parser.
  it.each(Object.entries({ sftRecord, rlRecord, evalRecord, resultRecord, cameraBenchRecord, cameraBenchScore }))('%s compiles', (_name, schema) => {
    expect(() => compile(schema, { strict: true })).not.toThrow();
  });

  it('reports the problem the runtime parser finds, with its field, after the compiled check fails', () => {
    const record = { problem_id: 'Pan_Left_3', problem: question, data_type: 'video', problem_type: 'multiple choice', options, path: 'video/a.mp4' };
    expect(normalizeRecord('eval', record)).toEqual({ ok: false, field: 'solution', reason: 'is missing' });
    expect(normalizeRecord('eval', { ...record, solution: 'B', options: ['A. No', 7] })).toEqual({ ok: false, field: 'options.1', reason: 'expected string, received number' });
    expect(normalizeRecord('eval', { ...record, solution: 'B', path: 'x'.repeat(4097) })).toEqual({ ok: false, field: 'path', reason: 'longer than 4096 characters' });
    expect(normalizeRecord('eval', { ...record, solution: 'B', extra: { kept: true } })).toMatchObject({ ok: true });
  });

  it('checks each option list, also when the same list comes again and after another', () => {
    const bad = ['A. No', 'A. Yes'];
    const rl = (list: string[]) => normalizeRecord('rl', { problem: question, answer: 'A', options: list, videos: ['a.mp4'] });
    expect([rl(options), rl(bad), rl(bad), rl(options), rl([...bad])].map((result) => result.ok)).toEqual([true, false, false, true, false]);
  });
});
