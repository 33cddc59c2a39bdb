// Synthetic datasets with a shortcut built in (the audit must name it) and one without (every
// rule must stay at chance), plus the held-out discipline itself: a rule fitted on the samples
// it is scored on would look perfect on data where it is worthless.
import { describe, expect, it } from 'vitest';
import { PRIMITIVES, PRIMITIVE_INFO } from '../camerabench/primitives';
import { pickOne, seededRandom, type Random } from '../random';
import { CLIP_FOLDS, auditSamples, type AuditGroupReport, type ShortcutId, type ShortcutResult } from './audit';
import type { AuditSample } from './text';

const BINARY = ['A. No', 'B. Yes'];

function shortcut(group: AuditGroupReport, id: ShortcutId): ShortcutResult {
  const found = group.shortcuts.find((result) => result.id === id);
  if (!found) throw new Error(`no ${id} in the report`);
  return found;
}

function hex(random: Random, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(random() * 16).toString(16);
  return text;
}

function only(samples: AuditSample[]): AuditGroupReport {
  return auditSamples(samples).groups[0]!;
}

describe('a dataset without shortcuts', () => {
  // Random letters for random clips: 2 and 4 options, ten wordings, ids for names.
  const random = seededRandom(7);
  const samples: AuditSample[] = [];
  const wordings = Array.from({ length: 10 }, (_, index) => `Question number ${index}: what does the camera do here?`);
  const texts = ['Pan left', 'Pan right', 'Tilt up', 'Tilt down', 'Zoom in', 'Zoom out', 'Static shot', 'Push in'];
  for (let clip = 0; clip < 800; clip++) {
    const name = `${hex(random, 11)}.${clip % 7}.mp4`;
    for (let question = 0; question < 3; question++) {
      const isBinary = random() < 0.5;
      const options = isBinary ? BINARY : [...texts].sort(() => random() - 0.5).slice(0, 4).map((text, index) => `${'ABCD'[index]}. ${text}`);
      samples.push({
        id: samples.length + 1,
        question: pickOne(random, wordings),
        options,
        answer: 'ABCD'[Math.floor(random() * options.length)]!,
        clip: name,
        split: 'test',
        primitive: null,
      });
    }
  }
  const group = only(samples);

  it('scores every rule and the classifier at chance, and says so', () => {
    expect(group.audited).toBe(2400);
    expect(group.chance).toBeCloseTo(0.375, 1);
    for (const result of group.shortcuts) {
      expect(result.n, result.id).toBe(2400);
      expect(Math.abs(result.accuracy - group.chance), `${result.id} ${result.accuracy}`).toBeLessThan(0.04);
      expect(['none', 'subsumed'], `${result.id}: ${result.verdict}`).toContain(result.level);
      expect(result.explainedIds).toEqual([]);
    }
    expect(shortcut(group, 'majority-letter').verdict).toMatch(/the answer letters are balanced/);
    expect(group.verdict).toMatch(/^no shortcut found/);
  });

  it('draws folds by clip: a clip seen while fitting is never scored', () => {
    expect(group.holdout.method).toBe('clip-hash');
    expect(group.holdout.description).toContain(`${CLIP_FOLDS} folds`);
    // Each clip stem here is unique, so a clip-stem key can only be known from the same clip.
    expect(shortcut(group, 'clip-stem').applies).toBe(0);
  });
});

describe('clip names that carry the label', () => {
  // Synthetic clips named after their motion (as `frustum synth` names them: 0008_pan_left_fast),
  // each asked its own primitive (Yes) and another one (No), in CameraBench's wording.
  const random = seededRandom(11);
  const samples: AuditSample[] = [];
  for (let clip = 0; clip < 300; clip++) {
    const motion = pickOne(random, PRIMITIVES);
    const name = `${String(clip).padStart(4, '0')}_${PRIMITIVE_INFO[motion].label.replace(/ /g, '_')}_${pickOne(random, ['slow', 'fast'])}.mp4`;
    let other = pickOne(random, PRIMITIVES);
    while (other === motion) other = pickOne(random, PRIMITIVES);
    for (const [primitive, answer] of [[motion, 'B'], [other, 'A']] as const) {
      samples.push({ id: samples.length + 1, question: PRIMITIVE_INFO[primitive].question, options: BINARY, answer, clip: name, split: 'test', primitive });
    }
  }
  const group = only(samples);

  it('finds the clip-name rule far above the majority letter and chance', () => {
    const result = shortcut(group, 'clip-name');
    expect(group.majority).toBeCloseTo(0.5, 5);
    expect(result.accuracy).toBeGreaterThan(0.95);
    expect(result.level).toBe('shortcut');
    expect(result.verdict).toMatch(/^explains (9\d|100)\.\d % of answers .*: the clip names carry the label/);
    expect(result.explained).toBe(result.explainedIds.length);
    expect(result.explainedIds.length).toBeGreaterThan(570);
    // The wording alone says nothing here: each question is as often Yes as No.
    expect(shortcut(group, 'question').level).toBe('none');
    expect(group.verdict).toContain('the clip names carry the label');
  });

  it('lets the text-only classifier find it too, and name the feature', () => {
    const result = shortcut(group, 'text-classifier');
    expect(result.level).toBe('shortcut');
    expect(result.accuracy).toBeGreaterThan(0.9);
    expect(result.features[0]?.description).toBe("the clip name spells the question's subject");
    expect(result.features[0]?.letter).toBe('B');
  });
});

describe('a question wording that is always answered the same', () => {
  const random = seededRandom(5);
  const samples: AuditSample[] = [];
  const wordings = ['Does the camera pan?', 'Does the camera tilt?', 'Does the camera roll?', 'Is the camera static?'];
  for (let index = 0; index < 1200; index++) {
    const question = wordings[index % 4]!;
    // The first always B, the second always A, the others at random: half the answers are B.
    const answer = index % 4 === 0 ? 'B' : index % 4 === 1 ? 'A' : random() < 0.5 ? 'A' : 'B';
    samples.push({ id: index + 1, question, options: BINARY, answer, clip: `${hex(random, 11)}.mp4`, split: 'test', primitive: null });
  }
  const group = only(samples);

  it('credits the wording, and only the wording', () => {
    const result = shortcut(group, 'question');
    expect(result.level).toBe('shortcut');
    expect(result.accuracy).toBeGreaterThan(0.7);
    expect(result.verdict).toContain("the question's wording carries the answer");
    expect(result.examples.map((example) => [example.value, example.letter, example.share])).toEqual(
      expect.arrayContaining([['Does the camera pan?', 'B', 1], ['Does the camera tilt?', 'A', 1]]),
    );
    // Adding the options (always the same two) adds nothing: the credit stays with the wording.
    expect(shortcut(group, 'question-options').level).toBe('subsumed');
    expect(shortcut(group, 'majority-letter').level).toBe('none');
  });
});

describe('an option order that gives the answer away', () => {
  // Four texts in four rotations; under each rotation the answer is a fixed letter (B, D, B, D),
  // chosen so that each text is the answer under exactly one rotation: only the order tells.
  const random = seededRandom(3);
  const texts = ['Pan left', 'Tilt up', 'Zoom in', 'Truck right'];
  const samples: AuditSample[] = [];
  for (let index = 0; index < 800; index++) {
    const shift = Math.floor(random() * 4);
    const options = texts.map((_, at) => `${'ABCD'[at]}. ${texts[(at + shift) % 4]}`);
    samples.push({ id: index + 1, question: "What's the camera movement in this shot?", options, answer: 'ABCD'[(shift % 2) * 2 + 1]!, clip: `${hex(random, 11)}.mp4`, split: 'test', primitive: null });
  }
  const group = only(samples);

  it('finds the order rule; the option texts alone stay at chance', () => {
    expect(group.chance).toBe(0.25);
    const order = shortcut(group, 'option-order');
    expect(order.level).toBe('shortcut');
    expect(order.accuracy).toBe(1);
    expect(order.verdict).toContain('the order of the options carries the answer');
    expect(shortcut(group, 'answer-text').level).toBe('none');
    expect(Math.abs(shortcut(group, 'answer-text').accuracy - 0.25)).toBeLessThan(0.06);
  });
});

describe('answers the option texts give away', () => {
  const random = seededRandom(13);
  const texts = ['Pan left', 'Pan right', 'Tilt up', 'Tilt down', 'Zoom in', 'Zoom out', 'Static shot', 'Push in'];
  const build = (nameOf: (answerText: string, index: number) => string, answerOf: (offered: string[]) => number) => {
    const samples: AuditSample[] = [];
    for (let index = 0; index < 600; index++) {
      const offered = [...texts].sort(() => random() - 0.5).slice(0, 4);
      const answer = answerOf(offered);
      samples.push({
        id: index + 1,
        question: "What's the camera movement in this movie shot?",
        options: offered.map((text, at) => `${'ABCD'[at]}. ${text}`),
        answer: 'ABCD'[answer]!,
        clip: nameOf(offered[answer]!, index),
        split: 'test',
        primitive: null,
      });
    }
    return only(samples);
  };

  it('finds a clip name that spells the answer option', () => {
    const group = build((text, index) => `${String(index).padStart(4, '0')}_${text.toLowerCase().replace(/ /g, '_')}.mp4`, () => Math.floor(random() * 4));
    const result = shortcut(group, 'option-in-name');
    expect(result.level).toBe('shortcut');
    expect(result.accuracy).toBeGreaterThan(0.95);
    expect(result.verdict).toContain('the clip names spell the answer');
  });

  it('finds an option that is the answer whenever offered', () => {
    // "Push in" is the answer wherever it is offered (half the questions); elsewhere a random one.
    const group = build(() => `${hex(random, 11)}.mp4`, (offered) => (offered.includes('Push in') ? offered.indexOf('Push in') : Math.floor(random() * 4)));
    const result = shortcut(group, 'answer-text');
    expect(result.level).toBe('shortcut');
    expect(result.accuracy).toBeGreaterThan(0.55);
    expect(result.examples[0]).toMatchObject({ value: 'push in', share: 1 });
    expect(result.verdict).toContain('some options are the answer far more often than others');
    expect(shortcut(group, 'option-in-name').applies).toBe(0);
  });
});

describe('train → test', () => {
  // In 'train' the wording is always answered B; in 'test' always A. Fitted on train and scored
  // on test, the wording rule must be wrong every time; scored where it was fitted, it would be right.
  const random = seededRandom(17);
  const samples: AuditSample[] = [];
  for (let index = 0; index < 400; index++) {
    const split = index < 300 ? 'train' : 'test';
    samples.push({ id: index + 1, question: 'Does the camera pan left?', options: BINARY, answer: split === 'train' ? 'B' : 'A', clip: `${hex(random, 11)}.mp4`, split, primitive: null });
  }

  it('fits on train and scores on test', () => {
    const group = only(samples);
    expect(group.holdout).toMatchObject({ method: 'split', fitted: 300, evaluated: 100, clipsOnBothSides: 0 });
    expect(shortcut(group, 'question').accuracy).toBe(0);
    expect(shortcut(group, 'majority-letter').accuracy).toBe(0);
    expect(group.majority).toBe(1);
  });

  it('folds by clip instead when asked', () => {
    const group = auditSamples(samples, { splitBy: 'clip' }).groups[0]!;
    expect(group.holdout.method).toBe('clip-hash');
    expect(group.holdout.evaluated).toBe(400);
  });

  it('counts clips whose questions sit on both sides', () => {
    const shared = samples.map((sample) => ({ ...sample, clip: `clip${sample.id % 50}.mp4` }));
    expect(only(shared).holdout.clipsOnBothSides).toBe(50);
  });
});

describe('samples that cannot be audited', () => {
  it('skips samples without options or whose answer is not an option, and groups by ids', () => {
    const samples: AuditSample[] = [
      { id: 1, question: 'q', options: [], answer: 'A', clip: 'a.mp4', split: 'test', primitive: null },
      { id: 2, question: 'q', options: BINARY, answer: 'C', clip: 'a.mp4', split: 'test', primitive: null },
      { id: 3, question: 'q', options: ['left', 'right'], answer: 'b', clip: 'b.mp4', split: 'test', primitive: null },
    ];
    const report = auditSamples(samples, { groups: [{ key: 'x', label: 'x', sampleIds: [1, 2, 3, 99] }] });
    const group = report.groups[0]!;
    expect(group.samples).toBe(3);
    expect(group.audited).toBe(1);
    expect(group.skipped).toEqual({ 'no-options': 1, 'answer-not-an-option': 1 });
    expect(group.letters).toEqual({ B: 1 });
    expect(group.verdict).toMatch(/too few held-out samples/);
  });
});
