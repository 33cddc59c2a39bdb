// CameraBench VQA through the whole report: a pair file imported as CameraBench ships it (four
// yes/no items per pair, the skill from its folder), a run whose answers reproduce the
// hand-worked score file of common/metrics/cameraBenchVqa.test.ts (values from CameraBench's
// evaluator's rules), and CamReasoner's run.py form of the same pairs with its inverted labels.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../common/api/contract';
import { createProject, type WritableDB } from '../../db/connection';
import { getRun } from '../../db/runs';
import { addRun, cellOf, itemSampleIds, ota, tableOf, writeJsonl, type PlannedAnswer } from '../../tests/support/evalRuns';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { evaluateRun } from './report';

const LEFT = 'Does the camera pan to the left?';
const RIGHT = 'Does the camera pan to the right?';

/** Four pairs of distinct clips, so that no two items share a sample (and so a prediction). */
function pairs() {
  return [0, 1, 2, 3].map((index) => ({
    skill: 'rotation_direction',
    task: 'pan_left_vs_pan_right',
    images: [`left${index}.mp4`, `right${index}.mp4`],
    texts: [LEFT, RIGHT],
    pos_video: `left${index}.mp4`,
    neg_video: `right${index}.mp4`,
    pos_text: LEFT,
    neg_text: RIGHT,
    pos_question: LEFT,
    neg_question: RIGHT,
  }));
}

function project(): { db: WritableDB; folder: string; path: string } {
  const folder = tempDir();
  const path = join(folder, 'p.frustum');
  return { db: track(createProject(path)), folder, path };
}

async function reportsOf(db: WritableDB, path: string, runId: number): Promise<EvalReport[]> {
  const run = getRun(db, runId);
  if (run === undefined) throw new Error('no run');
  return (await evaluateRun(db, path, run)).reports;
}

describe('CameraBench VQA, scored end to end', () => {
  it("Acc and Q-Acc through CameraBench's evaluator (macro), accuracy as eval_bench (micro), retrieval beside them", async () => {
    const { db, folder, path } = project();
    mkdirSync(join(folder, 'motion_direction'));
    importFiles(db, [writeJsonl(join(folder, 'motion_direction'), 'pan_left_vs_pan_right.jsonl', pairs())]);
    const samples = itemSampleIds(db, 'camerabench-vqa');
    expect(samples).toHaveLength(16);
    // Items in pair order, roles pp, pn, np, nn; references A (Yes), B, B, A.
    const item = (at: number, letter: 'A' | 'B', score: number | null = null): PlannedAnswer => ({ sampleId: samples[at] as number, output: ota(letter), score });
    const runId = addRun(db, 'planned-vqa', [
      // Pair 0: P(Yes) .9 .1 .2 .8 (no = 1 − yes): all four right, both questions.
      item(0, 'A', 0.9), item(1, 'B', 0.1), item(2, 'B', 0.2), item(3, 'A', 0.8),
      // Pair 1: P(Yes) .7 .7 .3 .3 — yes to the left text whatever the video: two items, no question.
      item(4, 'A', 0.7), item(5, 'A', 0.7), item(6, 'B', 0.3), item(7, 'B', 0.3),
      // Pair 2: a failed item makes the pair an error row, which the evaluator leaves out.
      { sampleId: samples[8] as number, error: 'timeout' }, item(9, 'B'), item(10, 'B'), item(11, 'A'),
      // Pair 3: answers only, "Yes" to everything: yes 1 / no 0 → pp and nn right, no question.
      item(12, 'A'), item(13, 'A'), item(14, 'A'), item(15, 'A'),
    ]);
    const [report] = await reportsOf(db, path, runId);
    expect(report).toMatchObject({ benchmark: 'camerabench-vqa', items: 16, answered: 15, scoreSource: 'mixed' });
    const table2 = tableOf(report, 'camerabench-vqa/table2');
    expect(table2.columns.at(-1)).toEqual({ key: 'avg', label: 'Avg' });
    // common/metrics/cameraBenchVqa.test.ts "scores a hand-worked file": 8 of 12 items, 2 of 6 questions over the 3 usable pairs.
    expect(cellOf(table2, 'Run 1 (planned-vqa): Acc (binary_acc), macro', 'motion_direction')).toEqual({
      value: 8 / 12, display: '66.7', n: 12, link: { runId, benchmark: 'camerabench-vqa', split: 'motion_direction' },
    });
    expect(cellOf(table2, 'Run 1 (planned-vqa): Q-Acc (question_acc), macro', 'motion_direction')?.value).toBe(2 / 6);
    // One skill file: the evaluator's overall is that skill's value.
    expect(cellOf(table2, 'Run 1 (planned-vqa): Acc (binary_acc), macro', 'avg')?.value).toBe(8 / 12);
    // eval_bench, every item by its letter: 4 + 2 + 3 (the failure is "ERROR", wrong) + 2 = 11 of 16.
    expect(cellOf(table2, 'Run 1 (planned-vqa): accuracy, micro', 'motion_direction')).toMatchObject({ value: 11 / 16, n: 16 });
    expect(cellOf(table2, 'Run 1 (planned-vqa): accuracy, micro', 'avg')?.value).toBe(11 / 16);
    expect(cellOf(table2, 'Always "No": accuracy, micro', 'avg')?.value).toBe(0.5);
    expect(cellOf(table2, 'Always "No": Acc, macro', 'avg')?.value).toBe(0.5);
    expect(cellOf(table2, 'Always "No": Q-Acc, macro', 'avg')?.value).toBe(0);
    expect(cellOf(table2, 'Run 1 (planned-vqa): Acc (binary_acc), macro', 'has_motion')).toBeNull();
    expect(cellOf(table2, 'CamReasoner-7B (paper, Table 2)', 'avg')?.display).toBe('74.5');
    expect(table2.rows.find((row) => row.label.startsWith('CamReasoner-7B'))?.kind).toBe('published');

    const skills = tableOf(report, 'camerabench-vqa/skills');
    // Retrieval on the yes scores: only pair 0 prefers its own text and its own video (1 of 3 pairs each).
    for (const key of ['text', 'image', 'group']) expect(cellOf(skills, 'Motion Direction', key)?.value).toBe(1 / 3);
    expect(cellOf(skills, 'Motion Direction', 'pairs')?.value).toBe(3);
    expect(report?.notes.join('\n')).toMatch(/3 pairs scored/);
    db.close();
  });

  it("CamReasoner's run.py form: scored apart, as filed and by the pairs' semantics, with the warning", async () => {
    const { db, folder, path } = project();
    // run.py (evaluation.md §1.4): per pair (pos text, pos video), (pos, neg), (neg, pos), (neg, neg);
    // "'yes'" for the matching two, "'no'" for the crossed two; solution A when matching, else B.
    const records = pairs().flatMap((pair, index) => ([[true, true], [true, false], [false, true], [false, false]] as const).map(([isPosText, isPosVideo], role) => {
      const isMatch = isPosText === isPosVideo;
      return {
        problem_id: `pan_left_vs_pan_right-${4 * index + role + 1}`,
        problem: `Which of the following options is more likely to have the answer '${isMatch ? 'yes' : 'no'}'?`,
        data_type: 'video',
        problem_type: 'multiple choice',
        options: [`A. ${isPosText ? pair.pos_text : pair.neg_text}`, `B. ${isPosText ? pair.neg_text : pair.pos_text}`],
        process: '',
        solution: `<answer>${isMatch ? 'A' : 'B'}</answer>`,
        path: `video/${isPosVideo ? pair.pos_video : pair.neg_video}`,
        data_source: 'camerabench',
        dataset: 'camerabench',
        output: [],
      };
    }));
    importFiles(db, [writeJsonl(folder, 'camerabench_vqa.jsonl', records)]);
    const samples = itemSampleIds(db, 'camerabench-vqa-runpy');
    expect(samples).toHaveLength(16);
    // A reader of the pairs answers A everywhere: option A is the item's own text, which holds
    // for its video on a "'yes'" item and does not on a "'no'" item.
    const runId = addRun(db, 'reads-the-pairs', samples.map((sampleId) => ({ sampleId, output: ota('A') })));
    const [report] = await reportsOf(db, path, runId);
    expect(report).toMatchObject({ benchmark: 'camerabench-vqa-runpy', items: 16, answered: 16, scoreSource: 'answers' });
    const table = tableOf(report, 'camerabench-vqa-runpy/table2');
    expect(cellOf(table, 'Run 1 (reads-the-pairs): accuracy as filed', 'avg')?.value).toBe(0.5);
    expect(cellOf(table, "Run 1 (reads-the-pairs): accuracy by the pairs' semantics", 'avg')?.value).toBe(1);
    // The rule 'yes' → A, 'no' → B reads only the question and scores 100 % as filed (§0.2).
    expect(cellOf(table, "Problem wording only ('yes' → A, 'no' → B): as filed", 'avg')?.value).toBe(1);
    expect(cellOf(table, "Problem wording only: by the pairs' semantics", 'avg')?.value).toBe(0.5);
    expect(table.rows.filter((row) => row.kind === 'published').map((row) => row.label)).toEqual([
      'CamReasoner-7B (paper, Table 2)', 'Qwen2.5-VL-7B (CamReasoner paper, Table 2)', 'Random Chance (CamReasoner paper, Table 2)',
    ]);
    expect(report?.notes[0]).toMatch(/^WARNING: .* 8 of 16 items here are labelled against their pair's semantics/);
    db.close();
  });
});
