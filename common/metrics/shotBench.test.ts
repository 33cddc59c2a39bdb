import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PUBLISHED_SHOTBENCH_ROWS,
  SHOTBENCH_DIMENSIONS,
  SHOTBENCH_JUDGE,
  canInfer,
  canInferOption,
  canInferText,
  extractFromAnswerTag,
  formatShotBenchTable,
  gradeRefineShotPrediction,
  gradeShotBenchPrediction,
  parseRefineShotAdherenceReply,
  parseRefineShotConsistencyReply,
  parseShotBenchOptions,
  refineShotAdherencePrompt,
  refineShotConsistencyPrompt,
  ruleBasedConsistency,
  shotBenchAccuracySheet,
  shotBenchJudgePrompt,
  shotBenchRunRow,
  shotBenchSummary,
  thinkConclusion,
  vlmEvalKitJudgePrompt,
} from './shotBench';
import type { ShotBenchChoices, ShotBenchScoredRow } from './shotBench';

interface Question {
  index: number;
  question: string;
  options: string;
  answer: string;
  category: string;
}

const DATA = join(import.meta.dirname, '../../../shared/data/shotbench');
const readJsonl = (name: string): Question[] =>
  readFileSync(join(DATA, name), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Question);
const CAMERA = readJsonl('shotbench_camera_movement_464.jsonl');
const REFINED = readJsonl('refineshot_test_refined_3572.jsonl');

// Written by tests/reference/shotBenchOracle.py: ShotBench's, RefineShot's and VLMEvalKit's own
// matching code run over synthetic predictions for these questions.
type JudgePlan = { thinking?: string; content: string } | 'raise' | null;
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../tests/reference/shotbench-expected.json'), 'utf8')) as {
  matching: {
    i: number;
    prediction: string;
    judge: string[];
    option: string | null;
    text: string | null;
    text_vlmevalkit: string | null;
    letter: string;
    hit: 0 | 1;
    judge_calls: number;
    judge_request?: { prompt: string; model: string; temperature: number };
  }[];
  vlmevalkit_prompts: { index: number; prediction: string; prompt: string }[];
  refineshot_questions: number[];
  refineshot: {
    i: number;
    prediction: string | null;
    consistency_reply: JudgePlan;
    adherence_reply: JudgePlan;
    letter: string;
    hit: 0 | 1;
    consistency: boolean;
    prompts: { prompt: string; enable_thinking: boolean }[] | null;
  }[];
};

function question(list: readonly Question[], position: number): Question {
  const found = list[position];
  if (found === undefined) throw new Error(`no question ${position}`);
  return found;
}

const FOUR: ShotBenchChoices = [['A', 'Zoom in'], ['B', 'Arc'], ['C', 'Pan left'], ['D', 'Pull out']];

describe('the 464 camera-movement questions: matching as ShotBench, VLMEvalKit and the judge loop (oracle)', () => {
  it('covers every question', () => {
    expect(CAMERA).toHaveLength(464);
    expect(new Set(ORACLE.matching.map((entry) => entry.i)).size).toBe(464);
  });

  it('finds the same option letter, option text and final letter for every synthetic answer', () => {
    let judged = 0;
    let drawn = 0;
    for (const entry of ORACLE.matching) {
      const row = question(CAMERA, entry.i);
      const choices = parseShotBenchOptions(row.options);
      const context = `${entry.i}: ${JSON.stringify(entry.prediction)}`;
      expect(canInferOption(entry.prediction, choices), context).toBe(entry.option);
      expect(canInferText(entry.prediction, choices), context).toBe(entry.text);
      expect(canInferText(entry.prediction, choices, { textMatch: 'vlmevalkit' }), context).toBe(entry.text_vlmevalkit);

      const grade = gradeShotBenchPrediction(entry.prediction, row.answer, choices, entry.judge);
      // How many replies ShotBench asked for: none when the rules match, else up to the first that does.
      const firstMatching = entry.judge.findIndex((reply) => canInfer(reply, choices).letter !== null);
      const calls = canInfer(entry.prediction, choices).letter !== null ? 0 : firstMatching === -1 ? SHOTBENCH_JUDGE.attempts : firstMatching + 1;
      expect(calls, context).toBe(entry.judge_calls);
      if (entry.letter === '<random>') {
        // ShotBench draws among the options and Z here; we count it wrong and say so.
        expect(grade, context).toEqual({ pred_letter: 'Z', hit: 0, via: 'unmatched' });
        drawn += 1;
      } else {
        expect(grade.pred_letter, context).toBe(entry.letter);
        expect(grade.hit, context).toBe(entry.hit);
        if (entry.judge_calls > 0) judged += 1;
      }
      expect(gradeShotBenchPrediction(entry.prediction, row.answer, choices).via === 'unmatched', context).toBe(entry.judge_calls > 0);
      if (entry.judge_request !== undefined) {
        expect(shotBenchJudgePrompt(row.question, choices, entry.prediction)).toBe(entry.judge_request.prompt);
        expect(entry.judge_request.model).toBe(SHOTBENCH_JUDGE.model);
        expect(entry.judge_request.temperature).toBe(SHOTBENCH_JUDGE.temperature);
      }
    }
    expect(judged).toBeGreaterThan(50);
    expect(drawn).toBeGreaterThan(10);
    expect(ORACLE.matching.filter((entry) => entry.judge_request !== undefined).length).toBeGreaterThan(3);
  });

  it("builds VLMEvalKit's own judge prompt", () => {
    for (const entry of ORACLE.vlmevalkit_prompts) {
      const row = CAMERA.find((candidate) => candidate.index === entry.index);
      expect(row).toBeDefined();
      if (row === undefined) continue;
      expect(vlmEvalKitJudgePrompt(row.question, parseShotBenchOptions(row.options), entry.prediction)).toBe(entry.prompt);
    }
  });
});

describe('RefineShot: the judge-based consistency and adherence checks (oracle)', () => {
  const replyText = (plan: JudgePlan): string | null =>
    plan === null || plan === 'raise' ? null : plan.thinking === undefined ? plan.content : `${plan.thinking}</think>${plan.content}`;

  it.each(ORACLE.refineshot.map((entry) => [entry.i, entry] as const))('case %i', (_position, entry) => {
    const index = ORACLE.refineshot_questions[entry.i];
    const row = REFINED.find((candidate) => candidate.index === index);
    expect(row).toBeDefined();
    if (row === undefined) return;
    const choices = parseShotBenchOptions(row.options);
    const consistency = parseRefineShotConsistencyReply(replyText(entry.consistency_reply));
    const isAdherent = entry.adherence_reply === null ? null : parseRefineShotAdherenceReply(replyText(entry.adherence_reply));
    const grade = gradeRefineShotPrediction(entry.prediction, row.answer, choices, consistency, isAdherent);
    expect(grade.pred_letter).toBe(entry.letter);
    expect(grade.hit).toBe(entry.hit);
    expect(grade.consistency).toBe(entry.consistency);
    if (entry.prompts !== null) {
      const sent = entry.prediction === null || entry.prediction.toLowerCase() === 'nan' ? 'Z' : entry.prediction;
      expect(entry.prompts[0]).toEqual({ prompt: refineShotConsistencyPrompt(row.question, choices, sent), enable_thinking: false });
      if (entry.adherence_reply !== null) {
        expect(entry.prompts[1]).toEqual({ prompt: refineShotAdherencePrompt(row.question, choices, sent), enable_thinking: false });
      }
    }
  });

  it('reads replies as check_answer_consistency does', () => {
    expect(parseRefineShotConsistencyReply('THINK_ANSWER: [B]\nANSWER_SECTION: [C]')).toEqual({ think_answer: 'B', answer_section: 'C', is_consistent: false, via: 'judge' });
    expect(parseRefineShotConsistencyReply('think_answer: b answer_section: b').is_consistent).toBe(true);
    // Only letters A–G: "H" reads as no answer, so the pair counts as consistent.
    expect(parseRefineShotConsistencyReply('THINK_ANSWER: [H]\nANSWER_SECTION: [A]')).toMatchObject({ think_answer: null, is_consistent: true });
    // What the judge thought before </think> is not read.
    expect(parseRefineShotConsistencyReply('THINK_ANSWER: [A] ANSWER_SECTION: [B]</think>THINK_ANSWER: [C]\nANSWER_SECTION: [C]').is_consistent).toBe(true);
    expect(parseRefineShotConsistencyReply(null).is_consistent).toBe(true);
    expect(parseRefineShotAdherenceReply('INSTRUCTION_ADHERENCE: [YES]')).toBe(true);
    expect(parseRefineShotAdherenceReply('INSTRUCTION_ADHERENCE: NO')).toBe(false);
    expect(parseRefineShotAdherenceReply(null)).toBe(false);
  });
});

describe('ShotBench matching, case by case', () => {
  it('extracts the first answer tag, any case, across lines', () => {
    expect(extractFromAnswerTag('<think>x</think>\n<Answer>\n  C \n</ANSWER>')).toBe('C');
    expect(extractFromAnswerTag('<answer>A</answer><answer>B</answer>')).toBe('A');
    expect(extractFromAnswerTag('  no tag\u2003')).toBe('no tag');
    expect(extractFromAnswerTag('<anſwer>D</anſwer>')).toBe('D'); // Python's re.I folds ſ to s
    expect(extractFromAnswerTag('<answer>unclosed')).toBe('<answer>unclosed');
  });

  it('finds a lone option letter among the tokens after `.()[],:;!*#{}` become spaces', () => {
    expect(canInferOption('B', FOUR)).toBe('B');
    expect(canInferOption('(C).', FOUR)).toBe('C');
    expect(canInferOption('**D**', FOUR)).toBe('D');
    expect(canInferOption('Option D: Pull out', FOUR)).toBe('D');
    // Only those characters: "B-" and "B?" stay whole tokens, and lower case is no letter.
    expect(canInferOption('B-', FOUR)).toBeNull();
    expect(canInferOption('B?', FOUR)).toBeNull();
    expect(canInferOption('b', FOUR)).toBeNull();
    // Two letters: nothing; an article counts as a letter.
    expect(canInferOption("I'd say B, not C", FOUR)).toBeNull();
    expect(canInferOption('A slow pull out', FOUR)).toBe('A');
    // Z only where no option letter is there.
    expect(canInferOption('Z', FOUR)).toBe('Z');
    expect(canInferOption('Z or B', FOUR)).toBe('B');
    expect(canInferOption('', FOUR)).toBeNull();
    // Python's whitespace: U+001C separates tokens, U+FEFF does not.
    expect(canInferOption('x\u001cB', FOUR)).toBe('B');
    expect(canInferOption('x\ufeffB', FOUR)).toBeNull();
  });

  it('finds a lone option text inside the answer, and lets ambiguity through to the judge', () => {
    expect(canInferText('I think it is a pan left.', FOUR)).toBe('C');
    expect(canInferText('PULL OUT', FOUR)).toBe('D');
    expect(canInferText('zoom in, then pull out', FOUR)).toBeNull();
    const nested: ShotBenchChoices = [['A', 'Pan left'], ['B', 'Pan left, then tilt down.'], ['C', 'Tilt up']];
    // "Pan left" is inside option B's text, so B's full text matches two options.
    expect(canInferText('pan left, then tilt down.', nested)).toBeNull();
    expect(canInferText('pan left', nested)).toBe('A');
  });

  it("applies VLMEvalKit's length limit only when asked: length > 2 × the options' total length", () => {
    // Options total 7 + 3 + 8 + 8 = 26 code points: an answer of 52 may match, 53 may not.
    expect(canInferText(`${'x'.repeat(49)}arc`, FOUR, { textMatch: 'vlmevalkit' })).toBe('B');
    expect(canInferText(`${'x'.repeat(50)}arc`, FOUR, { textMatch: 'vlmevalkit' })).toBeNull();
    expect(canInferText(`${'x'.repeat(50)}arc`, FOUR)).toBe('B');
    // Measured on the tag's content, in code points (48 emoji + "arc" = 51 fit; 53 do not).
    expect(canInferText(`<answer>${'😀'.repeat(48)}arc</answer>`, FOUR, { textMatch: 'vlmevalkit' })).toBe('B');
    expect(canInferText(`<answer>${'😀'.repeat(50)}arc</answer>`, FOUR, { textMatch: 'vlmevalkit' })).toBeNull();
  });

  it('reads options as build_choices does', () => {
    expect(parseShotBenchOptions('{"A": "Zoom in", "B": "", "C": null, "D": 3}')).toEqual([['A', 'Zoom in'], ['D', '3']]);
    expect(() => parseShotBenchOptions('["A"]')).toThrow(TypeError);
  });

  it('uses the judge only where the rules fail, and never draws a letter', () => {
    expect(gradeShotBenchPrediction('pull out', 'D', FOUR, ['(A)'])).toEqual({ pred_letter: 'D', hit: 1, via: 'option-text' });
    expect(gradeShotBenchPrediction('no idea', 'D', FOUR, ['hmm', '(D)'])).toEqual({ pred_letter: 'D', hit: 1, via: 'judge' });
    // A fourth reply is never read: ShotBench asks three times.
    expect(gradeShotBenchPrediction('no idea', 'D', FOUR, ['x', 'y', 'z', '(D)'])).toEqual({ pred_letter: 'Z', hit: 0, via: 'unmatched' });
    expect(gradeShotBenchPrediction('Z', 'D', FOUR)).toEqual({ pred_letter: 'Z', hit: 0, via: 'z-token' });
  });
});

describe('RefineShot consistency by rule', () => {
  const chain = (think: string, answer: string): string => `<think>${think}</think>\n<answer>${answer}</answer>`;

  it("reads the think's last conclusion and compares it with the answer", () => {
    const consistent = chain('Step 1: A. Zoom in; B. Arc. Step 4: the background slides. Therefore, the correct answer is C.', 'C');
    expect(ruleBasedConsistency(consistent, FOUR)).toEqual({ think_answer: 'C', answer_section: 'C', is_consistent: true, via: 'rule' });
    const flipped = chain('The frame is static, no evidence of a pull-out. Therefore, the correct answer is **A**.', 'D');
    expect(ruleBasedConsistency(flipped, FOUR)).toMatchObject({ think_answer: 'A', answer_section: 'D', is_consistent: false });
    expect(gradeRefineShotPrediction(flipped, 'D', FOUR, ruleBasedConsistency(flipped, FOUR))).toEqual({ pred_letter: 'Z', hit: 0, via: 'inconsistent', consistency: false });
  });

  it('takes an option text after the phrase, else the option text mentioned last', () => {
    expect(thinkConclusion(chain('So the answer is pull out, clearly.', 'D'), FOUR)).toEqual({ letter: 'D', via: 'statement' });
    expect(thinkConclusion(chain('I choose B here.', 'B'), FOUR)).toEqual({ letter: 'B', via: 'statement' });
    expect(thinkConclusion(chain('The best option is (C)', 'C'), FOUR)).toEqual({ letter: 'C', via: 'statement' });
    // "answer is a…": a lower-case article is no letter; the text after it decides.
    expect(thinkConclusion(chain('The answer is a zoom in.', 'A'), FOUR)).toEqual({ letter: 'A', via: 'statement' });
    expect(thinkConclusion(chain('It is not a zoom in; the camera swings around: arc.', 'B'), FOUR)).toEqual({ letter: 'B', via: 'last-option-text' });
    // A phrase naming no option is passed over for the one before it.
    expect(thinkConclusion(chain('The answer is C. Still, the answer is unclear.', 'C'), FOUR)).toEqual({ letter: 'C', via: 'statement' });
  });

  it('is consistent wherever one side says nothing', () => {
    expect(ruleBasedConsistency('<answer>C</answer>', FOUR)).toMatchObject({ think_answer: null, is_consistent: true });
    expect(ruleBasedConsistency(chain('Hard to say.', 'B'), FOUR)).toMatchObject({ think_answer: null, answer_section: 'B', is_consistent: true });
    expect(ruleBasedConsistency('<think>The answer is B.</think> so B', FOUR)).toMatchObject({ think_answer: 'B', answer_section: null, is_consistent: true });
    expect(ruleBasedConsistency(chain('The answer is B.', 'Z'), FOUR)).toMatchObject({ answer_section: null, is_consistent: true });
  });

  it('turns empty predictions into Z, as RefineShot', () => {
    expect(gradeRefineShotPrediction(null, 'A', FOUR, null)).toEqual({ pred_letter: 'Z', hit: 0, via: 'z-token', consistency: true });
    expect(gradeRefineShotPrediction('NaN', 'A', FOUR, null).pred_letter).toBe('Z');
    expect(gradeRefineShotPrediction('<answer>A</answer>', 'A', FOUR, null, false)).toMatchObject({ pred_letter: 'Z', via: 'not-adherent' });
    expect(gradeRefineShotPrediction('no idea', 'A', FOUR, null)).toMatchObject({ pred_letter: 'Z', via: 'unmatched' });
  });
});

describe('accuracy per dimension, macro and micro', () => {
  it("lays out the script's Accuracy sheet: categories sorted, then the micro Overall", () => {
    const rows: ShotBenchScoredRow[] = [
      { category: 'shot size', hit: 1 }, { category: 'camera movement', hit: 0 }, { category: 'shot size', hit: 0 },
      { category: 'camera movement', hit: 1 }, { category: 'camera movement', hit: 1 }, { category: 'lighting', hit: 1 },
    ];
    expect(shotBenchAccuracySheet(rows)).toEqual([
      { category: 'camera movement', total: 3, correct: 2, accuracy: 2 / 3 },
      { category: 'lighting', total: 1, correct: 1, accuracy: 1 },
      { category: 'shot size', total: 2, correct: 1, accuracy: 0.5 },
      { category: 'Overall', total: 6, correct: 4, accuracy: 4 / 6 },
    ]);
    // macro over the three dimensions present: (2/3 + 1 + 1/2) / 3 = 13/18; micro 4/6
    const summary = shotBenchSummary(rows);
    expect(summary.macro).toBeCloseTo(13 / 18, 15);
    expect(summary.micro).toEqual({ total: 6, correct: 4, accuracy: 4 / 6 });
    expect(summary.isComplete).toBe(false);
    expect(summary.dimensions.map((dimension) => dimension.abbreviation)).toEqual(['SS', 'SF', 'CA', 'LS', 'LT', 'LC', 'SC', 'CM']);
    expect(summary.dimensions.find((dimension) => dimension.abbreviation === 'LC')).toMatchObject({ category: 'lighting', accuracy: 1 });
  });

  it("adds RefineShot's consistency columns", () => {
    const rows: ShotBenchScoredRow[] = [
      { category: 'camera movement', hit: 1, consistency: true }, { category: 'camera movement', hit: 0, consistency: false },
      { category: 'composition', hit: 0, consistency: true },
    ];
    expect(shotBenchAccuracySheet(rows).at(-1)).toEqual({ category: 'Overall', total: 3, correct: 1, accuracy: 1 / 3, consistent_count: 2, consistency_rate: 2 / 3 });
  });

  it('scores the synthetic answers to the 464 questions per dimension', () => {
    const rows = ORACLE.matching.map((entry): ShotBenchScoredRow => ({ category: question(CAMERA, entry.i).category, hit: entry.letter === '<random>' ? 0 : entry.hit }));
    const summary = shotBenchSummary(rows);
    const hits = rows.reduce((sum, row) => sum + row.hit, 0);
    expect(summary.dimensions.find((dimension) => dimension.abbreviation === 'CM')).toMatchObject({ total: ORACLE.matching.length, correct: hits });
    // One dimension only: macro and micro agree.
    expect(summary.macro).toBe(summary.micro.accuracy);
    expect(formatShotBenchTable([shotBenchRunRow('synthetic', summary, { questions: 'ShotBench', average: 'micro', matching: 'rules, GPT judge, random', consistencyCheck: false })])).toContain('synthetic');
  });

  it('has the 8 category strings of the refined file', () => {
    expect(new Set(REFINED.map((row) => row.category))).toEqual(new Set(SHOTBENCH_DIMENSIONS.map((dimension) => dimension.category)));
    expect(REFINED.filter((row) => row.category === 'camera movement')).toHaveLength(464);
  });
});

describe('published numbers', () => {
  it("ShotBench's Avg is the mean of its eight printed dimensions (macro)", () => {
    const readme = PUBLISHED_SHOTBENCH_ROWS.filter((row) => row.source.startsWith('ShotBench'));
    expect(readme).toHaveLength(6);
    for (const row of readme) {
      const values = SHOTBENCH_DIMENSIONS.map((dimension) => row.values[dimension.abbreviation] ?? Number.NaN);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      // GPT-4o: 474.2 / 8 = 59.275 → 59.3. Printed values are rounded, so the mean of the true
      // values may sit 0.05 points from theirs, and Avg itself another 0.05.
      // ShotVL-3B: 519.5 / 8 = 64.94, printed 65.1 — off by more than rounding (micro: 65.19).
      const gap = Math.abs(mean - row.avg);
      if (row.model === 'ShotVL-3B') expect(gap).toBeCloseTo(0.0016, 4);
      else expect(gap, row.model).toBeLessThanOrEqual(0.001 + 1e-12);
      expect(row.basis.average).toBe('macro');
    }
  });

  it('lays out the table with how each row was computed', () => {
    const text = formatShotBenchTable(PUBLISHED_SHOTBENCH_ROWS);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Model +SS +SF +CA +LS +LT +LC +SC +CM +Avg +How$/);
    expect(lines[1]).toMatch(/^ShotVL-7B +81\.2 +90\.1 +78\.0 +68\.5 +70\.1 +64\.3 +45\.7 +62\.9 +70\.1 +macro, ShotBench, rules, GPT judge, random$/);
    expect(text).toMatch(/ShotVL-7B +- +- +- +- +- +- +- +53\.2 +66\.5 +micro, RefineShot refined, rules only, unmatched = Z, \+check/);
    expect(PUBLISHED_SHOTBENCH_ROWS.filter((row) => row.source.startsWith('RefineShot'))).toHaveLength(8);
  });
});
