// Test-only file access: real records of each benchmark's own files (../shared/data), read by
// Node here; the module under test stays runtime-free.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeItems, readListLiteral, type NormalizeItemsResult, type NormalizedItem } from './benchmarks';
import { detectFormat } from './detect';
import { sampleKey } from './normalize';
import { questionWithOptions } from './prompts';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const hasShared = existsSync(join(SHARED, 'camerabench', 'vqa_and_retrieval'));

function lines(path: string): Array<Record<string, unknown>> {
  return readFileSync(join(SHARED, path), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

function items(result: NormalizeItemsResult): NormalizedItem[] {
  if (!result.ok) throw new Error(`expected ok, got ${result.field ?? ''}: ${result.reason}`);
  return result.items;
}

const PREFIX = 'Does the camera movement in this video match the following description?\n\n';

describe.runIf(hasShared)('benchmark records, read from the benchmarks\' own files', () => {
  it('a CameraBench VQA pair is four yes/no items in CamReasoner\'s converted order, skill from the folder', () => {
    const pair = lines('camerabench/vqa_and_retrieval/motion_direction/pan_left_vs_pan_right.jsonl')[0] as Record<string, string>;
    const result = items(normalizeItems('camerabench-vqa', pair, { folder: 'motion_direction', stem: 'pan_left_vs_pan_right', recordIndex: 0 }));
    expect(result.map((item) => [item.sample.clipRef, item.sample.question, item.sample.answer, item.benchmark?.role])).toEqual([
      [pair['pos_video'], PREFIX + pair['pos_text'], 'A', 'pos_text_pos_image'],
      [pair['neg_video'], PREFIX + pair['pos_text'], 'B', 'pos_text_neg_image'],
      [pair['pos_video'], PREFIX + pair['neg_text'], 'B', 'neg_text_pos_image'],
      [pair['neg_video'], PREFIX + pair['neg_text'], 'A', 'neg_text_neg_image'],
    ]);
    for (const [role, item] of result.entries()) {
      expect(item.sample).toMatchObject({ options: ['A. Yes', 'B. No'], problemType: 'multiple choice', problemId: `pan_left_vs_pan_right.jsonl_${role}`, primitive: null, chain: null });
      expect(item.benchmark).toEqual({
        benchmark: 'camerabench-vqa', itemKey: `pan_left_vs_pan_right.jsonl_${role}`, split: 'motion_direction', task: 'pan_left_vs_pan_right',
        group: 'motion_direction/pan_left_vs_pan_right#0', role: item.benchmark?.role, reference: null, meta: {},
      });
      expect(item.notice).toBeNull();
    }
    // The inner `skill` field is a sub-skill, not the benchmark's skill.
    expect(pair['skill']).toBe('rotation_direction');
  });

  it('gives each pair item exactly the sample CamReasoner\'s converted_vqa record for it gives', () => {
    const pairs = lines('camerabench/vqa_and_retrieval/confusable_motion/only_zoom_in_vs_only_forward.jsonl');
    const converted = JSON.parse(readFileSync(join(SHARED, 'camreasoner', 'converted_vqa_samples', 'only_zoom_in_vs_only_forward.json'), 'utf8')) as unknown[];
    const fromPairs = pairs.flatMap((pair, index) => items(normalizeItems('camerabench-vqa', pair, { folder: 'confusable_motion', stem: 'only_zoom_in_vs_only_forward', recordIndex: index })));
    const fromConverted = converted.flatMap((record, index) => items(normalizeItems('eval', record, { folder: 'converted_vqa_samples', stem: 'only_zoom_in_vs_only_forward', recordIndex: index })));
    expect(fromConverted).toHaveLength(4 * pairs.length);
    expect(fromConverted).toEqual(fromPairs);
  });

  it('a converted_vqa record knows its pair and role from its id, its skill from the task list', () => {
    const converted = JSON.parse(readFileSync(join(SHARED, 'camreasoner', 'converted_vqa_samples', 'pan_left_vs_pan_right.json'), 'utf8')) as unknown[];
    const item = items(normalizeItems('eval', converted[7], { folder: 'converted_vqa_samples', stem: 'pan_left_vs_pan_right', recordIndex: 7 }))[0];
    expect(item?.benchmark).toMatchObject({ benchmark: 'camerabench-vqa', itemKey: 'pan_left_vs_pan_right.jsonl_7', split: 'motion_direction', group: 'motion_direction/pan_left_vs_pan_right#1', role: 'neg_text_neg_image' });
  });

  it('a run.py record (evaluation notes §1.4, record 2 exactly) is camerabench-vqa-runpy, its inverted label kept and flagged', () => {
    const record = {
      problem_id: 'all-2', problem: "Which of the following options is more likely to have the answer 'no'?", data_type: 'video', problem_type: 'multiple choice',
      options: [
        "A. Does the camera movement in this video match the following description: 'The camera remains fixed but slightly unsteady, with no intentional movement.'?",
        "B. Does the camera movement in this video match the following description: 'The camera moves forward slowly with very smooth, minor movement, maintaining a steady and fluid progression.'?",
      ],
      process: '', solution: '<answer>B</answer>', path: 'video/1hu1np_BI2M.9.1.mp4', data_source: 'camerabench', dataset: 'camerabench', output: [],
    };
    const item = items(normalizeItems('eval', record, { folder: 'Inference', stem: 'camerabench_vqa', recordIndex: 1 }))[0] as NormalizedItem;
    expect(item.sample.answer).toBe('B');
    expect(item.sample.key).toBe(sampleKey('video/1hu1np_BI2M.9.1.mp4', questionWithOptions(record.problem, record.options)));
    expect(item.benchmark).toEqual({
      benchmark: 'camerabench-vqa-runpy', itemKey: 'all-2', split: 'complex_description', task: 'all', group: 'complex_description/all#0', role: 'pos_text_neg_image',
      reference: null, meta: { asks: 'no', labelAsFiled: 'B', labelByPairSemantics: 'A' },
    });
    expect(item.notice).toBe('runpy-label-inverted');
    // Its "'yes'" items are labelled right.
    const yes = { ...record, problem_id: 'all-1', problem: "Which of the following options is more likely to have the answer 'yes'?", solution: '<answer>A</answer>' };
    expect(items(normalizeItems('eval', yes, { folder: null, stem: 'x', recordIndex: 0 }))[0]).toMatchObject({ notice: null, benchmark: { role: 'pos_text_pos_image', meta: { labelByPairSemantics: 'A' } } });
  });

  it('CameraBench binary questions are items of camerabench-binary, from the JSONL and from CamReasoner\'s file alike', () => {
    const jsonl = lines('camerabench/binary_classification/Move_Down.jsonl')[0];
    const fromJsonl = items(normalizeItems('camerabench', jsonl, { folder: 'binary_classification', stem: 'Move_Down', recordIndex: 0 }))[0];
    const binary = (JSON.parse(readFileSync(join(SHARED, 'camreasoner', 'camerabench_binary.json'), 'utf8')) as unknown[])[0];
    const fromEval = items(normalizeItems('eval', binary, { folder: 'camreasoner', stem: 'camerabench_binary', recordIndex: 0 }))[0];
    const expected = { benchmark: 'camerabench-binary', itemKey: 'Move_Down/u35WIs62R2M.1.4.mp4', split: 'Move_Down', task: null, group: null, role: null, reference: null, meta: {} };
    expect(fromJsonl?.benchmark).toEqual(expected);
    expect(fromEval?.benchmark).toEqual(expected);
    expect(fromEval?.sample.key).toBe(fromJsonl?.sample.key);
    // Another source's questions with the same options are samples, not CameraBench items.
    expect(items(normalizeItems('eval', { ...(binary as object), data_source: 'frustum-synth', dataset: 'frustum-synth' }, { folder: null, stem: 'x', recordIndex: 0 }))[0]?.benchmark).toBeNull();
  });

  it('a caption is a free-form question whose reference is its item\'s, not an answer letter', () => {
    const caption = (JSON.parse(readFileSync(join(SHARED, 'camerabench', 'caption_data.json'), 'utf8')) as Array<Record<string, string>>)[0] as Record<string, string>;
    const item = items(normalizeItems('camerabench-caption', caption, { folder: 'camerabench', stem: 'caption_data', recordIndex: 0 }))[0];
    expect(item?.sample).toEqual({
      key: sampleKey('IWv0EhEGmNI.16.6.mp4', 'Describe the camera movement in this video.'), clipRef: 'IWv0EhEGmNI.16.6.mp4', question: 'Describe the camera movement in this video.',
      options: [], problemType: 'free-form', answer: null, primitive: null, problemId: null, chain: null,
    });
    expect(item?.benchmark).toEqual({
      benchmark: 'camerabench-caption', itemKey: 'IWv0EhEGmNI.16.6.mp4', split: 'caption', task: null, group: null, role: null,
      reference: 'The camera remains fixed but slightly unsteady, with no intentional movement.', meta: { index: 0 },
    });
  });

  it('a ShotBench row is a multiple-choice question, options in key order; an image row too, marked', () => {
    const row = lines('shotbench/shotbench_camera_movement_464.jsonl')[0];
    const item = items(normalizeItems('shotbench', row, { folder: 'shotbench', stem: 'shotbench_camera_movement_464', recordIndex: 0 }))[0];
    const options = ['A. Zoom in', 'B. Arc', 'C. Pan left', 'D. Pull out'];
    expect(item?.sample).toEqual({
      key: sampleKey('video/L85T-a6JUUw.mp4_48.mp4', questionWithOptions("What's the camera movement in this movie shot?", options)), clipRef: 'video/L85T-a6JUUw.mp4_48.mp4',
      question: "What's the camera movement in this movie shot?", options, problemType: 'multiple choice', answer: 'D', primitive: null, problemId: '3109', chain: null,
    });
    expect(item?.benchmark).toEqual({ benchmark: 'shotbench', itemKey: '3109', split: 'camera movement', task: null, group: null, role: null, reference: null, meta: { dataType: 'video' } });
    const refined = lines('shotbench/refineshot_test_refined_3572.jsonl');
    const image = items(normalizeItems('refineshot', refined[0], { folder: 'shotbench', stem: 'refineshot_test_refined_3572', recordIndex: 0 }))[0];
    expect(image).toMatchObject({ sample: { clipRef: 'image/YWE9AAUK.jpg', answer: 'D' }, benchmark: { benchmark: 'refineshot', itemKey: '1', split: 'shot size', meta: { dataType: 'image' } }, notice: 'image-row' });
    // RefineShot's binary questions: options "yes"/"no" as the row orders them.
    const binary = refined.find((record) => String(record['question']).startsWith('Is the lighting type'));
    expect(items(normalizeItems('refineshot', binary, { folder: null, stem: 'r', recordIndex: 0 }))[0]?.sample.options).toEqual(
      Object.entries(JSON.parse(String(binary?.['options'])) as Record<string, string>).map(([letter, text]) => `${letter}. ${text}`),
    );
  });

  it('detects each format from its records, RefineShot from its file name', () => {
    const array = { kind: 'jsonl' } as const;
    const row = lines('shotbench/shotbench_camera_movement_464.jsonl')[0];
    expect(detectFormat(array, row, null, 'shotbench_camera_movement_464.jsonl')).toEqual({ ok: true, format: 'shotbench' });
    expect(detectFormat(array, row, null, 'refineshot_test_refined_3572.jsonl')).toEqual({ ok: true, format: 'refineshot' });
    expect(detectFormat(array, lines('camerabench/vqa_and_retrieval/has_motion/has_pan_left.jsonl')[0], null)).toEqual({ ok: true, format: 'camerabench-vqa' });
    expect(detectFormat({ kind: 'array' }, { video: 'v.mp4', question: 'q', answer: 'a' }, null)).toEqual({ ok: true, format: 'camerabench-caption' });
  });
});

describe('benchmark records that are wrong', () => {
  const pair = { pos_video: 'a.mp4', neg_video: 'b.mp4', pos_text: 'Does the camera pan left?', neg_text: 'Does the camera pan right?' };
  const context = { folder: 'motion_direction', stem: 'pan_left_vs_pan_right', recordIndex: 0 };
  const row = { index: 1, type: '["video"]', path: "['video/x.mp4']", question: 'What is the camera movement?', options: '{"A": "Pan left", "B": "Static"}', answer: 'B', category: 'camera movement' };

  it.each([
    ['camerabench-vqa', { ...pair, neg_video: 'other/a.mp4' }, 'neg_video', /same clip as pos_video/],
    ['camerabench-vqa', { ...pair, neg_text: ' Does the camera pan left? ' }, 'neg_text', /same as pos_text/],
    ['camerabench-vqa', { ...pair, pos_text: '  ' }, 'pos_text', /only whitespace/],
    ['camerabench-vqa', { ...pair, pos_question: 'Something else?' }, 'pos_question', /differs from pos_text/],
    ['camerabench-vqa', { ...pair, pos_video: 7 }, 'pos_video', /expected string/],
    ['camerabench-caption', { video: 'a.mp4', question: 'Describe.', answer: ' ' }, 'answer', /reference caption is empty/],
    ['shotbench', { ...row, answer: 'C' }, 'answer', /"C" is not one of the options A, B/],
    ['shotbench', { ...row, options: '{"A": "Pan left", ' }, 'options', /not a JSON object/],
    ['shotbench', { ...row, options: '{"a": "Pan left", "b": "Static"}' }, 'options', /not an option letter/],
    ['shotbench', { ...row, options: '{"A": "Pan left", "B": " "}' }, 'options', /option B has no text/],
    ['shotbench', { ...row, type: '["audio"]' }, 'type', /expected \["video"\] or \["image"\]/],
    ['shotbench', { ...row, path: "['a.mp4', 'b.mp4']" }, 'path', /names 2 files/],
    ['refineshot', { ...row, category: '' }, 'category', /is empty/],
  ] as const)('%s: %j is refused at %s', (format, record, field, reason) => {
    const result = normalizeItems(format, record, context);
    expect(result).toEqual({ ok: false, field, reason: expect.stringMatching(reason) });
  });
});

describe('readListLiteral', () => {
  it('reads Python\'s repr and JSON lists of strings', () => {
    expect(readListLiteral("['video/L85T-a6JUUw.mp4_48.mp4']")).toEqual(['video/L85T-a6JUUw.mp4_48.mp4']);
    expect(readListLiteral('["video"]')).toEqual(['video']);
    expect(readListLiteral("['videoplayback (27).mp4', \"it's.mp4\", 'a\\'b\\\\c\\u00e9']")).toEqual(['videoplayback (27).mp4', "it's.mp4", "a'b\\cé"]);
    expect(readListLiteral('[]')).toEqual([]);
    expect(readListLiteral("['a',]")).toEqual(['a']);
    for (const bad of ['video/x.mp4', "['a'", "['a' 'b']", "[a]", "['a\\q']", "['a\\u12']"]) expect(readListLiteral(bad), bad).toBeNull();
  });
});
