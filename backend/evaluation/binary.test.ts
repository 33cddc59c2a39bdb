// CameraBench binary classification through the whole report, on real projects: questions
// imported as benchmark items, a run's planned answers stored as a run stores them, scored as
// CamReasoner's eval_bench (accuracy) and CameraBench's evaluator (AP, ROC AUC) score them.
// Expected values are worked out from those evaluators' rules (sklearn's average precision and
// ROC AUC, the evaluator's handling of failed rows) and, on the shipped data, from
// ../shared/data/evaluation.md §1.4's table of positive rates and always-"No" accuracies.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../common/api/contract';
import { PRIMITIVES, primitiveInfo, type Primitive } from '../../common/camerabench/primitives';
import { numpyMean } from '../../common/metrics/numpySummation';
import { createProject, type WritableDB } from '../../db/connection';
import { getRun } from '../../db/runs';
import { addRun, cellOf, ota, tableOf, writeJsonl } from '../../tests/support/evalRuns';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { evaluateRun, projectBenchmarks } from './report';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const BINARY = join(SHARED, 'camreasoner', 'camerabench_binary.json');

function project(): { db: WritableDB; folder: string; path: string } {
  const folder = tempDir();
  const path = join(folder, 'p.frustum');
  return { db: track(createProject(path)), folder, path };
}

function question(primitive: Primitive, clip: string, label: 'Yes' | 'No') {
  const info = primitiveInfo(primitive);
  return { image: `${clip}.mp4`, question: info.question, label, task: info.task, label_name: info.labelName };
}

function sampleOf(db: WritableDB, clip: string, primitive: Primitive): number {
  const row = db.prepare('SELECT s.id FROM samples s JOIN clips c ON c.id = s.clip_id WHERE c.name = ? AND s.primitive = ?').get(`${clip}.mp4`, primitive) as { id: number } | undefined;
  if (row === undefined) throw new Error(`no sample ${clip} ${primitive}`);
  return row.id;
}

/**
 * Tilt up: CameraBench's evaluator case of common/metrics/camerabench.test.ts (labels 1 0 1 0,
 * the lowest-ranked positive last, a failed row left out) with P(Yes) scores. Pan left and
 * truck left: answers only, on the clips of a confusable pair.
 */
function smallProject() {
  const { db, folder, path } = project();
  const truth: Array<[Primitive, string, 'Yes' | 'No']> = [
    ['Tilt_Up', 't1', 'Yes'], ['Tilt_Up', 't2', 'No'], ['Tilt_Up', 't3', 'Yes'], ['Tilt_Up', 't4', 'No'], ['Tilt_Up', 't5', 'Yes'],
    ['Pan_Left', 'c1', 'Yes'], ['Pan_Left', 'c2', 'Yes'], ['Pan_Left', 'c3', 'No'], ['Pan_Left', 'c4', 'No'], ['Pan_Left', 'c5', 'Yes'], ['Pan_Left', 'c6', 'No'], ['Pan_Left', 'c7', 'Yes'],
    ['Move_Left', 'c1', 'No'], ['Move_Left', 'c2', 'No'], ['Move_Left', 'c3', 'Yes'], ['Move_Left', 'c4', 'Yes'], ['Move_Left', 'c5', 'Yes'], ['Move_Left', 'c6', 'No'], ['Move_Left', 'c7', 'No'],
  ];
  importFiles(db, [writeJsonl(folder, 'binary.jsonl', truth.map(([primitive, clip, label]) => question(primitive, clip, label)))]);
  const said = (primitive: Primitive, clip: string, yes: boolean, extra: { score?: number } = {}) => ({ sampleId: sampleOf(db, clip, primitive), output: ota(yes ? 'B' : 'A'), ...extra });
  const runId = addRun(db, 'planned-model', [
    said('Tilt_Up', 't1', true, { score: 0.9 }),
    said('Tilt_Up', 't2', false, { score: 0.2 }),
    said('Tilt_Up', 't3', false, { score: 0.05 }),
    said('Tilt_Up', 't4', false, { score: 0.1 }),
    { sampleId: sampleOf(db, 't5', 'Tilt_Up'), error: 'connection refused' },
    said('Pan_Left', 'c1', true), said('Pan_Left', 'c2', false), said('Pan_Left', 'c3', true), said('Pan_Left', 'c4', false),
    said('Pan_Left', 'c5', true), said('Pan_Left', 'c6', false), said('Pan_Left', 'c7', true),
    said('Move_Left', 'c1', false), said('Move_Left', 'c2', true), said('Move_Left', 'c3', true), said('Move_Left', 'c4', false),
    said('Move_Left', 'c5', true), said('Move_Left', 'c6', false),
    { sampleId: sampleOf(db, 'c7', 'Move_Left'), isPending: true },
  ]);
  return { db, path, runId };
}

async function binaryOf(db: WritableDB, path: string, runId: number): Promise<EvalReport> {
  const run = getRun(db, runId);
  if (run === undefined) throw new Error('no run');
  const { reports } = await evaluateRun(db, path, run);
  expect(reports.map((report) => report.benchmark)).toEqual(['camerabench-binary']);
  return reports[0] as EvalReport;
}

describe('CameraBench binary, scored end to end', () => {
  it('accuracy as eval_bench, AP and AUC as CameraBench\'s evaluator, per primitive and averaged both ways', async () => {
    const { db, path, runId } = smallProject();
    const report = await binaryOf(db, path, runId);
    expect(report).toMatchObject({ runId, model: 'planned-model', items: 19, answered: 17, scoreSource: 'mixed' });
    const table1 = tableOf(report, 'camerabench-binary/table1');
    expect(table1.columns.map((column) => column.key)).toEqual([...PRIMITIVES, 'avg']);

    // Tilt up, P(Yes): ranked .9(+) .2(−) .1(−) .05(+), the failed t5 left out → AP ½·1 + ½·½ = 0.75, AUC 2 of 4 pairs.
    expect(cellOf(table1, 'Run 1 (planned-model): AP', 'Tilt_Up')).toEqual({ value: 0.75, display: '75.0', n: 4, link: { runId, benchmark: 'camerabench-binary', split: 'Tilt_Up' } });
    expect(cellOf(table1, 'Run 1 (planned-model): ROC AUC', 'Tilt_Up')?.value).toBe(0.5);
    // eval_bench: t1, t2, t4 right; t3 wrong; t5 failed, graded as "<answer>ERROR</answer>" (wrong).
    expect(cellOf(table1, 'Run 1 (planned-model): accuracy', 'Tilt_Up')).toMatchObject({ value: 3 / 5, n: 5 });
    expect(cellOf(table1, 'Always "No": accuracy', 'Tilt_Up')?.value).toBe(2 / 5);
    expect(cellOf(table1, 'Constant score: AP', 'Tilt_Up')?.value).toBe(0.5);

    // Pan left from answers (1/0): labels 1 1 0 0 1 0 1, scores 1 0 1 0 1 0 1. sklearn: at score 1,
    // P = 3/4, R = 3/4; at 0, P = 4/7, R = 1 → AP = 3/4·3/4 + 1/4·4/7. AUC: the three Yes scored 1
    // beat two No and tie one (2.5 each), the Yes scored 0 ties two (1) → 8.5 of 12 pairs.
    const panAp = (3 / 4) * (3 / 4) + (1 / 4) * (4 / 7);
    expect(cellOf(table1, 'Run 1 (planned-model): AP', 'Pan_Left')?.value).toBeCloseTo(panAp, 14);
    expect(cellOf(table1, 'Run 1 (planned-model): ROC AUC', 'Pan_Left')?.value).toBeCloseTo(8.5 / 12, 14);
    expect(cellOf(table1, 'Run 1 (planned-model): accuracy', 'Pan_Left')?.value).toBe(5 / 7);
    // Truck left (c7 pending, left out): labels 0 0 1 1 1 0, scores 0 1 1 0 1 0 → AP 2/3·2/3 + 1/3·1/2; AUC 6 of 9.
    const truckAp = (2 / 3) * (2 / 3) + (1 / 3) * (1 / 2);
    expect(cellOf(table1, 'Run 1 (planned-model): AP', 'Move_Left')?.value).toBeCloseTo(truckAp, 14);
    expect(cellOf(table1, 'Run 1 (planned-model): ROC AUC', 'Move_Left')?.value).toBeCloseTo(6 / 9, 14);
    // Avg: np.mean over the evaluated primitives in Table-1 order, as the evaluator's overall.
    expect(cellOf(table1, 'Run 1 (planned-model): AP', 'avg')?.value).toBeCloseTo(numpyMean([truckAp, panAp, 0.75]), 14);
    expect(cellOf(table1, 'Run 1 (planned-model): AP', 'Move_In')).toBeNull();
    expect(table1.rows.find((row) => row.label.startsWith('CamReasoner-7B'))).toMatchObject({ kind: 'published', runId: null });
    expect(table1.rows.find((row) => row.label.startsWith('CamReasoner-7B'))?.basis).toMatch(/ACCURACY/);
    expect(table1.rows.filter((row) => row.kind === 'published').every((row) => /Table 1|leaderboard/.test(row.basis))).toBe(true);

    const detail = tableOf(report, 'camerabench-binary/primitives');
    // Micro accuracy over the 18 graded items: tilt 3 of 5, pan 5 of 7, truck 4 of 6 (c2 and c4 wrong; c7 pending).
    const graded = 5 + 7 + 6;
    const correct = 3 + 5 + 4;
    expect(cellOf(detail, 'All items (micro)', 'accuracy')).toMatchObject({ value: correct / graded, n: graded });
    expect(cellOf(detail, 'Mean over primitives (macro)', 'accuracy')?.value).toBeCloseTo(numpyMean([4 / 6, 5 / 7, 3 / 5]), 14);
    expect(report.notes.join('\n')).toMatch(/1 of 19 items have no prediction/);
    expect(report.notes.join('\n')).toMatch(/1 items failed/);
    expect(detail.rows.find((row) => row.label.startsWith('Tilt Up'))?.basis).toMatch(/score = P\(Yes\)/);
    expect(detail.rows.find((row) => row.label.startsWith('Pan Left'))?.basis).toMatch(/score = the answer/);
    db.close();
  });

  it('counts what the model said on clips with exactly one motion of a confusable pair true', async () => {
    const { db, path, runId } = smallProject();
    const report = await binaryOf(db, path, runId);
    // Only pan left / truck left has clips asked both questions (c1–c6; c7's truck question is pending).
    expect(report.matrices.map((matrix) => matrix.id)).toEqual(['confusable/Pan_Left-Move_Left']);
    const [matrix] = report.matrices;
    expect(matrix?.rowLabels).toEqual(['truly pan left', 'truly truck left']);
    expect(matrix?.columnLabels).toEqual(['Yes to pan left only', 'Yes to truck left only', 'Yes to both', 'Yes to neither']);
    // c1 pans, said pan; c2 pans, said truck; c3 trucks, said both; c4 trucks, said neither; c5 both true and c6 neither are not counted.
    expect(matrix?.counts).toEqual([[1, 1, 0, 0], [0, 0, 1, 1]]);
    expect(matrix?.notes[0]).toBe('6 clips have both questions answered in this run; 4 have exactly one of the two motions true (the rows), 1 both and 1 neither (not counted).');
    db.close();
  });

  it('scores a project imported before benchmark items from its binary Yes/No questions, and says so', async () => {
    const { db, path, runId } = smallProject();
    const before = await binaryOf(db, path, runId);
    db.prepare('DELETE FROM benchmark_items').run();
    expect(projectBenchmarks(db)).toEqual([{
      benchmark: 'camerabench-binary', items: 19, samples: 19,
      splits: [{ split: 'Move_Left', items: 7 }, { split: 'Pan_Left', items: 7 }, { split: 'Tilt_Up', items: 5 }],
    }]);
    const legacy = await binaryOf(db, path, runId);
    expect(legacy.notes[0]).toMatch(/no benchmark import named/);
    expect(legacy.tables).toEqual(before.tables);
    expect(legacy.matrices).toEqual(before.matrices);
    db.close();
  });

  it.runIf(existsSync(BINARY))('on the shipped 7,679 questions, always answering "No": 87.7 % accuracy, AP = the positive rate (evaluation.md §1.4)', async () => {
    const { db, folder, path } = project();
    const records = JSON.parse(readFileSync(BINARY, 'utf8')) as Array<Record<string, unknown>>;
    const results = records.map((record) => ({ ...record, output: '<answer>A</answer>', prediction: 'A', accuracy: record['solution'] === '<answer>A</answer>' ? 1 : 0 }));
    const resultsPath = join(folder, 'always_no.json');
    writeFileSync(resultsPath, JSON.stringify({ results, metrics: {}, meta: { model_path: 'always-no' } }));
    importFiles(db, [BINARY, resultsPath]);
    const report = await binaryOf(db, path, 1);
    expect(report).toMatchObject({ items: 7679, answered: 7679, scoreSource: 'answers' });
    const table1 = tableOf(report, 'camerabench-binary/table1');
    const expected: Record<Primitive, [positiveRate: string, alwaysNo: string]> = {
      Move_In: ['29.3', '70.7'], Move_Out: ['9.7', '90.3'], Move_Up: ['6.7', '93.3'], Move_Down: ['8.6', '91.4'],
      Move_Right: ['15.8', '84.2'], Move_Left: ['11.5', '88.5'], Zoom_In: ['11.1', '88.9'], Zoom_Out: ['10.2', '89.8'],
      Pan_Right: ['15.0', '85.0'], Pan_Left: ['15.4', '84.6'], Tilt_Up: ['12.7', '87.3'], Tilt_Down: ['7.7', '92.3'],
      Roll_Clockwise: ['8.9', '91.1'], Roll_Counterclockwise: ['10.2', '89.8'], Static: ['9.7', '90.3'],
    };
    for (const primitive of PRIMITIVES) {
      const [positiveRate, alwaysNo] = expected[primitive];
      expect(cellOf(table1, 'Run 1 (always-no): AP', primitive)?.display, primitive).toBe(positiveRate);
      expect(cellOf(table1, 'Run 1 (always-no): accuracy', primitive)?.display, primitive).toBe(alwaysNo);
      expect(cellOf(table1, 'Run 1 (always-no): ROC AUC', primitive)?.value, primitive).toBe(0.5);
      // The run is the always-"No" baseline, so the baseline rows say the same.
      expect(cellOf(table1, 'Always "No": accuracy', primitive)?.value).toBe(cellOf(table1, 'Run 1 (always-no): accuracy', primitive)?.value);
      expect(cellOf(table1, 'Constant score: AP', primitive)?.value).toBe(cellOf(table1, 'Run 1 (always-no): AP', primitive)?.value);
    }
    expect(cellOf(table1, 'Run 1 (always-no): AP', 'avg')?.display).toBe('12.2');
    const detail = tableOf(report, 'camerabench-binary/primitives');
    // 6,737 of 7,679 answers are No (942 Yes): eval_bench's overall/acc.
    expect(cellOf(detail, 'All items (micro)', 'accuracy')).toMatchObject({ value: 6737 / 7679, display: '87.7', n: 7679 });
    expect(cellOf(detail, 'All items (micro)', 'positives')?.value).toBe(942);
    // Every clip's answers are No: each confusable matrix has only its "neither" column.
    for (const matrix of report.matrices) for (const row of matrix.counts) expect(row.slice(0, 3)).toEqual([0, 0, 0]);
    expect(report.matrices).toHaveLength(8);
    db.close();
  });
});
