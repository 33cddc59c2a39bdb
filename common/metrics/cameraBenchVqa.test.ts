import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PUBLISHED_TABLE2_ROWS,
  VQA_COMBINATIONS,
  VQA_SKILLS,
  combinationOf,
  evaluateVqaRetrievalFile,
  evaluateVqaRetrievalFiles,
  formatTable2,
  isComparable,
  isItemCorrect,
  itemScores,
  retrievalMetrics,
  table2MacroRow,
  table2MicroRow,
  vqaItemResults,
  vqaMetrics,
  vqaMicroAccuracy,
  vqaRetrievalEvaluationFileName,
  vqaScoreDocuments,
  vqaScoreFileName,
  vqaSkillOf,
  yesNoFromLetter,
} from './cameraBenchVqa';
import type { AnsweredVqaPair, VqaCombination, VqaEvaluationMode, VqaItemOutcome, VqaRetrievalScoreFile, VqaRetrievalScoreRow } from './cameraBenchVqa';

// Written by tests/reference/cameraBenchVqaOracle.py: CameraBench's own generator and evaluator
// (linzhiqiu/t2v_metrics @ 6ecb74f) run over pairs from the real data files.
interface OracleFile {
  folder: 'combined' | 'tasks' | 'custom';
  document: VqaRetrievalScoreFile;
  row_tasks?: string[];
}
interface OracleRun {
  name: string;
  mode: VqaEvaluationMode;
  files: string[];
  output_file: string;
  summary: Record<string, unknown>;
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../tests/reference/camerabench-vqa-expected.json'), 'utf8')) as {
  files: Record<string, OracleFile>;
  runs: OracleRun[];
};

function oracleFile(name: string): OracleFile {
  const file = ORACLE.files[name];
  if (file === undefined) throw new Error(`no oracle file ${name}`);
  return file;
}

function scores(values: readonly number[]): Record<VqaCombination, number> {
  return Object.fromEntries(VQA_COMBINATIONS.map((combination, index) => [combination, values[index] ?? 0])) as Record<VqaCombination, number>;
}

function row(yes: readonly number[], no: readonly number[], error: string | null = null): VqaRetrievalScoreRow {
  return { pos_video: 'p.mp4', neg_video: 'n.mp4', pos_question: 'Does the camera pan left?', neg_question: 'Does the camera pan right?', yes_scores: scores(yes), no_scores: scores(no), error };
}

describe("the official evaluator's outputs (oracle)", () => {
  it.each(ORACLE.runs.map((run) => [run.name, run] as const))('%s: the same file, key for key and bit for bit', (_name, run) => {
    const documents = run.files.map((name) => oracleFile(name).document);
    const evaluation = evaluateVqaRetrievalFiles(documents, run.mode, 'now');
    const { evaluation_timestamp: timestamp, ...rest } = evaluation;
    expect(timestamp).toBe('now');
    // JSON text compares key order too; the numbers are the evaluator's float64 values.
    expect(JSON.stringify(rest)).toBe(JSON.stringify(run.summary));
    expect(vqaRetrievalEvaluationFileName(evaluation)).toBe(run.output_file);
  });

  it('keeps only the last task file of a skill when the generator ran without --combine_tasks', () => {
    const run = ORACLE.runs.find((candidate) => candidate.name === 'tasks-collapse');
    expect(run?.files.length).toBe(14);
    const evaluation = evaluateVqaRetrievalFiles((run?.files ?? []).map((name) => oracleFile(name).document), 'both');
    expect(Object.keys(evaluation.results_by_split)).toEqual(['oracle-vlm_only_motion']);
    const last = oracleFile(run?.files.at(-1) ?? '').document;
    expect(evaluation.results_by_split['oracle-vlm_only_motion']?.task_name).toBe(last.metadata?.task_name);
  });

  it('drops files without a usable row, and a later file with the same key replaces the earlier in its place', () => {
    const errorsOnly = oracleFile('vqa_retrieval_scores_custom_c_errors.json').document;
    expect(evaluateVqaRetrievalFile(errorsOnly)).toEqual({ uniqueId: 'custom-model_scene dynamics', result: null });
    const run = ORACLE.runs.find((candidate) => candidate.name === 'custom-explicit-order');
    const evaluation = evaluateVqaRetrievalFiles((run?.files ?? []).map((name) => oracleFile(name).document));
    // b_later is read first, a_readme (same model, checkpoint and split) replaces it in first place.
    expect(Object.keys(evaluation.results_by_split)).toEqual([
      'custom-model_ckpt-1_motion_speed', 'Unknown_Model_Unknown_Skill', 'custom-model_Caption Retrieval', 'oracle-vlm_complex description',
    ]);
    expect(evaluation.results_by_split['custom-model_ckpt-1_motion_speed']?.task_name).toBe('has_motion_blur_or_not');
  });
});

describe('vqaMetrics and retrievalMetrics', () => {
  it('count strictly greater scores only: a tie is wrong both ways', () => {
    // All four items tied at 0.5/0.5 → 0 of 4 items, 0 of 2 questions; retrieval needs strict > too.
    expect(vqaMetrics([row([0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5])])).toEqual({ binary_acc: 0, question_acc: 0, num_samples: 1 });
    expect(retrievalMetrics([row([0.5, 0.5, 0.5, 0.5], [0, 0, 0, 0])])).toEqual({ text: 0, image: 0, group: 0, num_samples: 1 });
  });

  it('scores a hand-worked file', () => {
    const rows = [
      // yes > no on pos/pos and neg/neg, no > yes on the crossed two: 4 items, both questions.
      row([0.9, 0.1, 0.2, 0.8], [0.1, 0.9, 0.8, 0.2]),
      // Yes to the positive text, no to the negative, whatever the video:
      // pp .7 > .3 ✓, pn needs no > yes .3 > .7 ✗, np .7 > .3 ✓, nn needs yes > no .3 > .7 ✗
      // → 2 items, and neither question right on both videos.
      row([0.7, 0.7, 0.3, 0.3], [0.3, 0.3, 0.7, 0.7]),
      // An error row is left out whatever its scores.
      row([1, 0, 0, 1], [0, 1, 1, 0], 'Video file not found: x.mp4'),
      // Letters only, "Yes" to everything: pp ✓, nn ✓, the crossed two ✗ → 2 items, 0 questions.
      row([1, 1, 1, 1], [0, 0, 0, 0]),
    ];
    // items 4 + 2 + 2 = 8 of 12; questions 2 + 0 + 0 = 2 of 6
    expect(vqaMetrics(rows)).toEqual({ binary_acc: 8 / 12, question_acc: 2 / 6, num_samples: 3 });
    // text: pp > np and nn > pn — row 1 ✓ (.9 > .2, .8 > .1); row 2 .7 > .3 but .3 > .7 ✗; row 4 1 > 1 ✗
    // image: pp > pn and nn > np — row 1 ✓; row 2 .7 > .7 ✗; row 4 ✗
    expect(retrievalMetrics(rows)).toEqual({ text: 1 / 3, image: 1 / 3, group: 1 / 3, num_samples: 3 });
  });

  it('treats NaN as never greater, as Python does', () => {
    expect(vqaMetrics([row([Number.NaN, 0, 0, 1], [0, 1, 1, 0])]).binary_acc).toBe(0.75);
  });
});

describe('evaluateVqaRetrievalFile', () => {
  it('keys results as the evaluator: model, checkpoint basename, split falling back to skill', () => {
    const file = { metadata: { model_name: 'qwen', checkpoint: 'org/run/ckpt-7', skill_name: 'motion speed' }, scores: [row([1, 0, 0, 1], [0, 1, 1, 0])] };
    expect(evaluateVqaRetrievalFile(file).uniqueId).toBe('qwen_ckpt-7_motion speed');
    expect(evaluateVqaRetrievalFile({ ...file, metadata: { ...file.metadata, checkpoint: null, split_name: null } }).uniqueId).toBe('qwen_None');
    expect(evaluateVqaRetrievalFile({ scores: file.scores }).uniqueId).toBe('Unknown_Model_Unknown_Skill');
  });
});

describe('writing score files', () => {
  const combined = Object.entries(ORACLE.files).filter(([, file]) => file.folder === 'combined');

  function answeredPairs(file: OracleFile): AnsweredVqaPair[] {
    const skill = String(file.document.metadata?.skill_name).replace(/ /g, '_');
    return file.document.scores.map((scoreRow, index): AnsweredVqaPair => {
      const items = Object.fromEntries(VQA_COMBINATIONS.map((combination): [VqaCombination, VqaItemOutcome] => [
        combination,
        scoreRow.error === null
          ? { kind: 'probabilities', yes: scoreRow.yes_scores[combination], no: scoreRow.no_scores[combination] }
          : { kind: 'failed', error: scoreRow.error },
      ])) as Record<VqaCombination, VqaItemOutcome>;
      return { pair: { skill, task: file.row_tasks?.[index] ?? '', ...scoreRow }, items };
    });
  }

  it("writes what the generator wrote (--combine_tasks), and the evaluator's numbers follow", () => {
    const answered = combined.flatMap(([, file]) => answeredPairs(file));
    const documents = vqaScoreDocuments(answered, {
      model_name: 'oracle-vlm', checkpoint: null, method_type: 'VQAScore_LMM', method: 'oracle-vlm', generation_timestamp: 't', granularity: 'skill',
    });
    expect(documents.map((document) => document.fileName)).toEqual(combined.map(([name]) => name));
    documents.forEach((written, index) => {
      const generated = combined[index]?.[1].document;
      const reparsed = JSON.parse(written.text) as VqaRetrievalScoreFile;
      expect(reparsed).toEqual(written.document);
      expect(reparsed.metadata?.skill_name).toBe(generated?.metadata?.skill_name);
      expect(reparsed.metadata?.task_names).toEqual(generated?.metadata?.task_names);
      expect(reparsed.scores.map(({ sample_id: _id, ...rest }) => rest)).toEqual(generated?.scores);
    });
    const run = ORACLE.runs.find((candidate) => candidate.name === 'combined-both');
    const ours = evaluateVqaRetrievalFiles(documents.map((document) => JSON.parse(document.text) as VqaRetrievalScoreFile));
    expect(ours.overall_statistics).toEqual(run?.summary.overall_statistics);
  });

  it("prints scores as Python floats and keys in evaluation.md §1.2's order", () => {
    const pair = { skill: 'motion_speed', task: 'has_motion_blur_or_not', pos_video: 'a.mp4', neg_video: 'b.mp4', pos_question: 'Fast?', neg_question: 'Slow?' };
    const items = Object.fromEntries(VQA_COMBINATIONS.map((combination) => [combination, { kind: 'answer', answer: combination === 'pos_text_neg_image' ? null : 'yes' }])) as Record<VqaCombination, VqaItemOutcome>;
    const [document] = vqaScoreDocuments([{ pair, items }], {
      model_name: 'm/x', checkpoint: 'ckpt:1', method_type: 'Frustum', method: 'm', generation_timestamp: '2025-01-01T00:00:00', granularity: 'task',
    });
    expect(document?.fileName).toBe('vqa_retrieval_scores_m_x_ckpt_1_motion_speed_has_motion_blur_or_not.json');
    expect(Object.keys(document?.document.metadata ?? {})).toEqual(['method_type', 'model_name', 'checkpoint', 'skill_name', 'task_name', 'split_name', 'generation_timestamp']);
    expect(document?.document.metadata?.split_name).toBe('motion_speed/has_motion_blur_or_not');
    expect(Object.keys(document?.document.scores[0] ?? {})).toEqual(['sample_id', 'pos_video', 'neg_video', 'pos_question', 'neg_question', 'method', 'yes_scores', 'no_scores', 'error']);
    expect(document?.text).toContain('"pos_text_pos_image": 1.0,\n        "pos_text_neg_image": 0.0,');
    expect(document?.text.startsWith('{\n  "metadata": {\n    "method_type": "Frustum",')).toBe(true);
  });

  it('makes a pair with a failed item an error row of zeros, as the generator', () => {
    const pair = { skill: 's', task: 't', pos_video: 'a', neg_video: 'b', pos_question: 'q1', neg_question: 'q2' };
    const items = { pos_text_pos_image: { kind: 'probabilities', yes: 0.8 }, pos_text_neg_image: { kind: 'failed', error: 'timeout' }, neg_text_pos_image: { kind: 'failed', error: 'later' }, neg_text_neg_image: { kind: 'answer', answer: 'no' } } as const;
    const [document] = vqaScoreDocuments([{ pair, items }], { model_name: 'm', checkpoint: null, method_type: 'x', method: 'm', generation_timestamp: 't', granularity: 'skill' });
    expect(document?.document.scores[0]?.error).toBe('timeout');
    expect(document?.document.scores[0]?.yes_scores).toEqual(scores([0, 0, 0, 0]));
    expect(vqaScoreFileName('m', null, 's')).toBe(document?.fileName);
  });
});

describe('item scores', () => {
  it('maps answers and probabilities to yes/no scores', () => {
    expect(itemScores({ kind: 'probabilities', yes: 0.8 })?.no).toBeCloseTo(0.2, 15);
    expect(itemScores({ kind: 'probabilities', yes: 0.3, no: 0.6 })).toEqual({ yes: 0.3, no: 0.6 });
    expect(itemScores({ kind: 'answer', answer: 'no' })).toEqual({ yes: 0, no: 1 });
    // Unreadable: a tie, wrong whether yes or no was expected.
    expect(itemScores({ kind: 'answer', answer: null })).toEqual({ yes: 0, no: 0 });
    expect(isItemCorrect('pos_text_pos_image', 0, 0)).toBe(false);
    expect(isItemCorrect('pos_text_neg_image', 0, 0)).toBe(false);
    expect(itemScores({ kind: 'failed', error: 'x' })).toBeNull();
  });

  it('reads Yes/No option letters and names combinations', () => {
    expect(yesNoFromLetter('A', ['A. Yes', 'B. No'])).toBe('yes');
    expect(yesNoFromLetter('B', ['A. Yes', 'B. No'])).toBe('no');
    expect(yesNoFromLetter('C', ['A. Yes', 'B. No'])).toBeNull();
    expect(yesNoFromLetter('A', ['A. Does the camera pan left?', 'B. Does it pan right?'])).toBeNull();
    expect(combinationOf(false, true)).toBe('neg_text_pos_image');
  });
});

describe("CamReasoner's micro mean against CameraBench's macro mean", () => {
  it('pools items where the evaluator averages split files', () => {
    // skill a: 3 of 4 items right; skill b: 4 pairs = 16 items, 8 right.
    const items = [
      ...[true, true, true, false].map((isCorrect) => ({ skill: 'motion_speed', isCorrect })),
      ...Array.from({ length: 16 }, (_, index) => ({ skill: 'has_motion', isCorrect: index % 2 === 0 })),
    ];
    const micro = vqaMicroAccuracy(items);
    // micro: (3 + 8) / 20 = 0.55; macro would be (0.75 + 0.5) / 2 = 0.625
    expect(micro.overall).toEqual({ correct: 11, total: 20, accuracy: 0.55 });
    expect(micro.bySkill.get('motion_speed')?.accuracy).toBe(0.75);
    expect(vqaMicroAccuracy([]).overall).toEqual({ correct: 0, total: 0, accuracy: 0 });
  });

  it("counts an error row's items wrong (eval_bench) or leaves them out (CameraBench)", () => {
    const rows = [row([1, 0, 0, 1], [0, 1, 1, 0]), row([0, 0, 0, 0], [0, 0, 0, 0], 'boom')];
    expect(vqaMicroAccuracy(vqaItemResults('s', rows, 'wrong')).overall.accuracy).toBe(0.5);
    expect(vqaMicroAccuracy(vqaItemResults('s', rows, 'skip')).overall.accuracy).toBe(1);
  });

  it("reproduces CamReasoner's 74.5 as the pair-weighted mean of its skills, not their plain mean (71.5)", () => {
    const [camReasoner] = PUBLISHED_TABLE2_ROWS;
    const values = VQA_SKILLS.map((entry) => camReasoner?.values[entry.skill] ?? 0);
    const weighted = VQA_SKILLS.reduce((sum, entry, index) => sum + (values[index] ?? 0) * entry.pairs, 0) / VQA_SKILLS.reduce((sum, entry) => sum + entry.pairs, 0);
    const plain = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(weighted * 100).toBeCloseTo(74.49, 2);
    expect(plain * 100).toBeCloseTo(71.5, 10);
    expect(camReasoner?.avg).toBe(0.745);
    expect(VQA_SKILLS.reduce((sum, entry) => sum + entry.pairs, 0)).toBe(3543);
  });
});

describe('Table 2', () => {
  it('orders the skills as CamReasoner and reads every spelling of them', () => {
    expect(VQA_SKILLS.map((entry) => entry.column)).toEqual([
      'Motion & Steadiness', 'Scene Dynamics', 'Motion Speed', 'Motion Direction', 'Confusable Motion', 'Has Motion', 'Shot Tracking', 'Only Motion', 'Complex Description',
    ]);
    expect(vqaSkillOf('motion and steadiness')).toBe('motion_and_steadiness');
    expect(vqaSkillOf('Motion & Steadiness')).toBe('motion_and_steadiness');
    expect(vqaSkillOf('Shot Tracking')).toBe('tracking_shot');
    expect(vqaSkillOf('only_motion/only_pan_left_vs_has_pan_left_and_not_only')).toBe('only_motion');
    expect(vqaSkillOf('Unknown_Skill')).toBeNull();
  });

  it('builds macro rows from the evaluator and micro rows from items, each saying which', () => {
    const run = ORACLE.runs.find((candidate) => candidate.name === 'combined-both');
    const evaluation = evaluateVqaRetrievalFiles((run?.files ?? []).map((name) => oracleFile(name).document));
    const acc = table2MacroRow('oracle (Acc)', evaluation, 'binary_acc', 'binary_acc per skill file; Avg = evaluator mean');
    const qAcc = table2MacroRow('oracle (Q-Acc)', evaluation, 'question_acc', 'question_acc');
    expect(acc.avg).toBe(run?.summary.overall_binary_acc);
    expect(qAcc.avg).toBe(run?.summary.overall_question_acc);
    expect(acc.values.complex_description).toBe(evaluation.results_by_split['oracle-vlm_complex description']?.vqa?.binary_acc);
    const items = (run?.files ?? []).flatMap((name) => {
      const document = oracleFile(name).document;
      return vqaItemResults(String(document.metadata?.skill_name), document.scores, 'skip');
    });
    const micro = table2MicroRow('oracle (micro)', vqaMicroAccuracy(items), 'items pooled');
    expect(micro.values.complex_description).toBe(acc.values.complex_description);
    // The micro mean weights skills by their usable pairs; the macro mean does not.
    expect(micro.avg).not.toBe(acc.avg);
    expect(isComparable(micro.basis, PUBLISHED_TABLE2_ROWS[0]?.basis ?? micro.basis)).toBe(true);
    expect(isComparable(acc.basis, micro.basis)).toBe(false);
    expect(isComparable(qAcc.basis, PUBLISHED_TABLE2_ROWS.at(-1)?.basis ?? qAcc.basis)).toBe(false);

    const text = formatTable2([PUBLISHED_TABLE2_ROWS[0], acc].flatMap((entry) => (entry === undefined ? [] : [entry])));
    const [headings, published, ours, end] = text.split('\n');
    expect(end).toBe('');
    expect(headings?.startsWith('Model')).toBe(true);
    expect(headings).toContain('Motion & Steadiness  Scene Dynamics  Motion Speed');
    expect(published).toMatch(/^CamReasoner-7B \(paper, Table 2\) +78\.0 +77\.0 +74\.1 +67\.4 +60\.7 +71\.8 +71\.3 +60\.6 +82\.6 +74\.5 +accuracy, micro$/);
    expect(ours?.endsWith('accuracy, macro')).toBe(true);
  });

  it('has the published rows of evaluation.md', () => {
    const avg = (label: string): string | undefined => {
      const value = PUBLISHED_TABLE2_ROWS.find((entry) => entry.label === label)?.avg;
      return value === undefined || value === null ? undefined : (value * 100).toFixed(1);
    };
    expect(avg('Qwen2.5-VL-7B (CamReasoner paper, Table 2)')).toBe('60.3');
    expect(avg('Qwen2.5-VL-7B (SFT) (CameraBench leaderboard, Q-Acc)')).toBe('45.3');
    expect(avg('Random (CameraBench leaderboard, Q-Acc)')).toBe('25.0');
    expect(PUBLISHED_TABLE2_ROWS.filter((entry) => entry.basis.metric === 'question_acc')).toHaveLength(9);
  });
});
