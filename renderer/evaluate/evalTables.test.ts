import { describe, expect, it } from 'vitest';
import type { EvalReport, EvalTable } from '../../common/api/contract';
import { basisDifferences, cellDelta, focusLabel, groupMatrices, mergeReports, parseBasis, rowShares, shortRowLabel, tableMarkdown, tableTsv } from './evalTables';

const cell = (value: number, display: string, link?: { runId: number }) => ({
  value, display, ...(link ? { link: { runId: link.runId, benchmark: 'camerabench-binary' as const, split: 'Move_In' } } : {}),
});

const AP_P = 'AP, macro over 15 primitives, score = P(Yes)';
const AP_LETTERS = 'AP, macro over 15 primitives, score = 1/0 from the answer letter';
const ACCURACY = 'accuracy, micro over the items (CamReasoner\'s evaluator)';

function table1(runId: number, model: string, values: [number, number], extra: Partial<EvalTable> = {}): EvalTable {
  return {
    id: 'table1',
    title: 'Table 1: CameraBench binary',
    columns: [{ key: 'Move_In', label: 'Move_In' }, { key: 'mean', label: 'Mean' }],
    rows: [
      { label: model, basis: AP_P, kind: 'run', runId, cells: [cell(values[0], values[0].toFixed(1), { runId }), cell(values[1], values[1].toFixed(1), { runId })] },
      { label: 'majority "No"', basis: 'AP, macro over 15 primitives, score = 1/0 (always No)', kind: 'baseline', runId: null, cells: [cell(12.5, '12.5'), cell(10, '10.0')] },
      { label: 'CamReasoner-7B', basis: 'accuracy, micro (CamReasoner Table 1)', kind: 'published', runId: null, cells: [cell(90.1, '90.1'), cell(87.7, '87.7')] },
      { label: 'GPT-4o', basis: 'AP, macro over 15 primitives (CameraBench Table 1)', kind: 'published', runId: null, cells: [null, cell(41.2, '41.2')] },
    ],
    notes: ['Published rows are quoted, not recomputed.'],
    ...extra,
  };
}

function report(runId: number, model: string, tables: EvalTable[], matrices: EvalReport['matrices'] = []): EvalReport {
  return { runId, model, benchmark: 'camerabench-binary', items: 60, answered: 60, scoreSource: 'probabilities', tables, matrices, notes: [] };
}

describe('basis', () => {
  it('reads the metric, the averaging and the score source', () => {
    expect(parseBasis(AP_P)).toEqual({ metric: 'AP', isKnownMetric: true, averaging: 'macro', score: 'P(Yes)' });
    expect(parseBasis(AP_LETTERS)).toEqual({ metric: 'AP', isKnownMetric: true, averaging: 'macro', score: '1/0' });
    expect(parseBasis('AP; score = the answer (Yes 1, No 0): the run has no log-probs').score).toBe('1/0');
    expect(parseBasis('AP; score = P(Yes) at the answer token for 3 items, the answer (Yes 1, No 0) for 2 without log-probs').score).toBe('mixed');
    expect(parseBasis(ACCURACY)).toEqual({ metric: 'accuracy', isKnownMetric: true, averaging: 'micro', score: null });
    expect(parseBasis('Q-Acc, macro over skills: CameraBench Table 2').metric).toBe('question_acc');
    // A row holding several metrics in its columns names none in its first clause.
    expect(parseBasis("this run's Pan_Left items; accuracy and always No over 4 graded, AP over 4 scored")).toMatchObject({ metric: "this run's pan_left items", isKnownMetric: false });
    expect(parseBasis('binary_acc, macro over 9 skills (CameraBench)').metric).toBe('binary_acc');
    expect(parseBasis('question_acc, micro over 14,172 questions').metric).toBe('question_acc');
    expect(parseBasis('average precision per primitive').metric).toBe('AP');
    expect(parseBasis('ROC AUC, macro').metric).toBe('ROC AUC');
    expect(parseBasis('mean of 8 dimensions')).toMatchObject({ metric: 'mean of 8 dimensions', isKnownMetric: false });
  });

  it('says why two rows do not compare: metric, averaging, score source', () => {
    expect(basisDifferences(AP_P, AP_P)).toEqual([]);
    expect(basisDifferences(AP_P, 'accuracy, micro (CamReasoner Table 1)')).toEqual(['accuracy vs AP', 'micro vs macro average']);
    expect(basisDifferences(AP_P, AP_LETTERS)).toEqual(['score 1/0 vs P(Yes)']);
    // What a basis leaves unsaid is not held against it.
    expect(basisDifferences(AP_P, 'AP (CameraBench Table 1)')).toEqual([]);
    expect(basisDifferences('accuracy, macro over 8 dimensions', 'accuracy, micro over 464 questions')).toEqual(['micro vs macro average']);
    // The score source matters only for ranking metrics.
    expect(basisDifferences('accuracy from the answer letter', 'accuracy, P(Yes) > 0.5')).toEqual([]);
    expect(basisDifferences(AP_P, AP_LETTERS, { isScoreIgnored: true })).toEqual([]);
  });
});

describe('deltas', () => {
  it('are taken in the units and precision shown', () => {
    expect(cellDelta(cell(0.761, '76.1'), cell(0.784, '78.4'))).toEqual({ text: '+2.3', sign: 1 });
    expect(cellDelta(cell(0.745, '0.745'), cell(0.7, '0.700'))).toEqual({ text: '−0.045', sign: -1 });
    expect(cellDelta(cell(50, '50%'), cell(50, '50%'))).toEqual({ text: '±0', sign: 0 });
    expect(cellDelta(cell(50, '50%'), cell(62.5, '62.5%'))).toEqual({ text: '+12.5%', sign: 1 });
    // Not a number as printed: the values, to three places.
    expect(cellDelta(cell(0.5, 'n/a'), cell(0.75, '3/4'))).toEqual({ text: '+0.250', sign: 1 });
    expect(cellDelta(null, cell(1, '1'))).toBeNull();
    expect(cellDelta(cell(1, '1'), undefined)).toBeNull();
  });
});

describe('mergeReports', () => {
  it('draws one run\'s table in its groups, flagging the rows measured otherwise', () => {
    const [shown] = mergeReports([report(3, 'builtin step 4', [table1(3, 'builtin step 4', [25, 20])])]);
    expect(shown?.key).toBe('camerabench-binary/table1');
    expect(shown?.rows.map((row) => [row.kind, row.label])).toEqual([
      ['run', 'builtin step 4'], ['baseline', 'majority "No"'], ['published', 'CamReasoner-7B'], ['published', 'GPT-4o'],
    ]);
    const [run, baseline, camReasoner, gpt] = shown?.rows ?? [];
    expect(run?.isReference).toBe(true);
    expect(run?.deltas).toBeNull();
    // The baseline's AP over its 1/0 scores is the floor the run's AP is read against.
    expect(baseline?.incomparable).toEqual([]);
    expect(camReasoner?.incomparable).toEqual(['accuracy vs AP', 'micro vs macro average']);
    expect(gpt?.incomparable).toEqual([]);
    expect(gpt?.cells[0]).toBeNull();
    expect(shown?.notes).toEqual(['Published rows are quoted, not recomputed.']);
  });

  it('puts several runs side by side, one row each, with deltas against the first run and the shared rows once', () => {
    const tables = mergeReports([
      report(5, 'second', [table1(5, 'second', [25, 20])]),
      report(4, 'first', [table1(4, 'first', [30, 18.5])]),
    ]);
    expect(tables).toHaveLength(1);
    const rows = tables[0]?.rows ?? [];
    expect(rows.filter((row) => row.kind === 'run').map((row) => [row.runId, row.label, row.isReference])).toEqual([[5, 'second', true], [4, 'first', false]]);
    expect(rows.filter((row) => row.kind !== 'run')).toHaveLength(3);
    expect(rows[0]?.deltas).toBeNull();
    expect(rows[1]?.deltas).toEqual([{ text: '+5.0', sign: 1 }, { text: '−1.5', sign: -1 }]);
    expect(rows[1]?.comparedWith).toBe('second');
    // Each run's cells keep their own links into Inspect.
    expect(rows[1]?.cells[0]?.link?.runId).toBe(4);
  });

  it('aligns columns by key, the union in order of first appearance', () => {
    const narrow = table1(1, 'a', [10, 10]);
    const wide: EvalTable = {
      ...table1(2, 'b', [20, 20]),
      columns: [{ key: 'mean', label: 'Mean' }, { key: 'Zoom_In', label: 'Zoom_In' }],
      rows: [{ label: 'b', basis: AP_P, kind: 'run', runId: 2, cells: [cell(20, '20.0'), cell(7, '7.0')] }],
    };
    const [merged] = mergeReports([report(1, 'a', [narrow]), report(2, 'b', [wide])]);
    expect(merged?.columns.map((column) => column.key)).toEqual(['Move_In', 'mean', 'Zoom_In']);
    const second = merged?.rows.find((row) => row.runId === 2);
    expect(second?.cells.map((shown) => shown?.display ?? null)).toEqual([null, '20.0', '7.0']);
    expect(second?.deltas?.map((delta) => delta?.text ?? null)).toEqual([null, '+10.0', null]);
  });

  it('shows each version of a baseline the runs disagree on, with its runs', () => {
    const other = table1(8, 'b', [1, 1]);
    other.rows[1] = { ...other.rows[1]!, cells: [cell(25, '25.0'), cell(11, '11.0')] };
    const [merged] = mergeReports([report(7, 'a', [table1(7, 'a', [1, 1])]), report(8, 'b', [other]), report(9, 'c', [table1(9, 'c', [1, 1])])]);
    expect(merged?.rows.filter((row) => row.kind === 'baseline').map((row) => row.label)).toEqual(['majority "No" (runs #7, #9)', 'majority "No" (run #8)']);
  });

  it('gives no deltas to a run row measured otherwise, and says why', () => {
    const letters = table1(2, 'letters only', [10, 10]);
    letters.rows[0] = { ...letters.rows[0]!, basis: AP_LETTERS };
    const [merged] = mergeReports([report(1, 'probabilities', [table1(1, 'probabilities', [30, 30])]), report(2, 'letters only', [letters])]);
    const second = merged?.rows.find((row) => row.runId === 2);
    expect(second?.deltas).toBeNull();
    expect(second?.incomparable).toEqual(['score 1/0 vs P(Yes)']);
  });

  it('keeps tables of different benchmarks apart, and takes the first run that has a table as its reference', () => {
    const shot: EvalReport = {
      ...report(2, 'b', [{ id: 'table1', title: 'ShotBench', columns: [{ key: 'cm', label: 'Camera movement' }], rows: [{ label: 'b', basis: 'accuracy, macro over 8 dimensions', kind: 'run', runId: 2, cells: [cell(40, '40.0')] }], notes: [] }]),
      benchmark: 'shotbench',
    };
    const tables = mergeReports([report(1, 'a', [table1(1, 'a', [1, 1])]), shot]);
    expect(tables.map((table) => table.key)).toEqual(['camerabench-binary/table1', 'shotbench/table1']);
    expect(tables[1]?.rows[0]?.isReference).toBe(true);
  });
});

describe('a Table 1 as the backend writes it: AP, ROC AUC and accuracy rows of each run', () => {
  const P = 'score = P(Yes) at the answer token';
  const ANSWER = 'score = the answer (Yes 1, No 0): the run has no log-probs';
  const rowsOf = (runId: number, source: string, ap: number, accuracy: number): EvalTable['rows'] => [
    { label: `Run ${runId} (m): AP`, basis: `AP (CameraBench's evaluator: sklearn average precision per primitive, failed items left out), Avg = mean over primitives; ${source}`, kind: 'run', runId, cells: [cell(ap, ap.toFixed(1))] },
    { label: `Run ${runId} (m): ROC AUC`, basis: `ROC AUC (CameraBench's evaluator), Avg = mean over primitives; ${source}`, kind: 'run', runId, cells: [cell(50, '50.0')] },
    { label: `Run ${runId} (m): accuracy`, basis: "accuracy (CamReasoner's eval_bench: the answer's first letter against the reference), Avg = mean over primitives as in CamReasoner's Table 1", kind: 'run', runId, cells: [cell(accuracy, accuracy.toFixed(1))] },
    { label: 'Always "No": accuracy', basis: 'accuracy of answering No to every question of this run, Avg = mean over primitives (the majority class)', kind: 'baseline', runId, cells: [cell(87.7, '87.7')] },
    { label: 'CamReasoner-7B (paper, Table 1)', basis: "accuracy, CamReasoner paper, Table 1: ACCURACY, CamReasoner Table 1: CamReasoner's code computes only accuracy (eval_bench), while the table's baselines are AP", kind: 'published', runId: null, cells: [cell(78.4, '78.4')] },
    { label: 'GPT-4o (leaderboard)', basis: 'AP, CameraBench leaderboard: VQAScore P("Yes") averaged over primitives', kind: 'published', runId: null, cells: [cell(40, '40.0')] },
  ];
  const table = (runId: number, source: string, ap: number, accuracy: number): EvalTable => ({
    id: 'camerabench-binary/table1', title: 'Table 1', columns: [{ key: 'avg', label: 'Avg' }], rows: rowsOf(runId, source, ap, accuracy), notes: [],
  });

  it('reads each published row against the run row of its own metric', () => {
    const [shown] = mergeReports([report(3, 'm', [table(3, P, 30, 80)])]);
    const byLabel = new Map(shown?.rows.map((row) => [row.label, row]));
    expect(byLabel.get('CamReasoner-7B (paper, Table 1)')).toMatchObject({ metric: 'accuracy', incomparable: [], comparableWith: ['#3 accuracy'] });
    expect(byLabel.get('GPT-4o (leaderboard)')).toMatchObject({ metric: 'AP', incomparable: [], comparableWith: ['#3 AP'] });
    expect(byLabel.get('Always "No": accuracy')?.comparableWith).toEqual(['#3 accuracy']);
  });

  it('flags AP from P(Yes) against a run that scored only its answers (1/0)', () => {
    const [shown] = mergeReports([report(4, 'm', [table(4, ANSWER, 30, 80)])]);
    const gpt = shown?.rows.find((row) => row.label === 'GPT-4o (leaderboard)');
    expect(gpt?.incomparable).toEqual(['score P(Yes) vs 1/0']);
    expect(gpt?.comparableWith).toEqual([]);
  });

  it('matches each run\'s AP, AUC and accuracy rows to the first run\'s, and refuses deltas across score sources', () => {
    const [same] = mergeReports([report(1, 'm', [table(1, P, 30, 80)]), report(2, 'm', [table(2, P, 35.5, 70)])]);
    // Each of the first run's rows, then the other run's row read against it.
    expect(same?.rows.filter((row) => row.kind === 'run').map((row) => row.label)).toEqual([
      'Run 1 (m): AP', 'Run 2 (m): AP', 'Run 1 (m): ROC AUC', 'Run 2 (m): ROC AUC', 'Run 1 (m): accuracy', 'Run 2 (m): accuracy',
    ]);
    expect(same?.rows.find((row) => row.kind === 'published' && row.metric === 'accuracy')?.comparableWith).toEqual(['#1 accuracy']);
    const second = same?.rows.filter((row) => row.runId === 2 && row.kind === 'run') ?? [];
    expect(second.map((row) => [row.comparedWith, row.deltas?.[0]?.text])).toEqual([
      ['Run 1 (m): AP', '+5.5'], ['Run 1 (m): ROC AUC', '±0'], ['Run 1 (m): accuracy', '−10.0'],
    ]);
    const [mixed] = mergeReports([report(1, 'm', [table(1, P, 30, 80)]), report(2, 'm', [table(2, ANSWER, 35.5, 70)])]);
    const other = mixed?.rows.filter((row) => row.runId === 2 && row.kind === 'run') ?? [];
    expect(other.map((row) => [row.deltas === null, row.incomparable])).toEqual([
      [false, []], [true, ['score 1/0 vs P(Yes)']], [true, ['score 1/0 vs P(Yes)']],
    ]);
    // Matched rows sit under their match; those matching nothing come after.
    expect(mixed?.rows.filter((row) => row.kind === 'run').map((row) => row.label)).toEqual([
      'Run 1 (m): AP', 'Run 1 (m): ROC AUC', 'Run 1 (m): accuracy', 'Run 2 (m): accuracy', 'Run 2 (m): AP', 'Run 2 (m): ROC AUC',
    ]);
    // The baselines the two runs share are shown once.
    expect(mixed?.rows.filter((row) => row.kind === 'baseline')).toHaveLength(1);
  });
});

describe('matrices', () => {
  it('groups each run\'s matrix by id and shades counts by their row', () => {
    const matrix = { id: 'pan-truck', title: 'pan vs truck', rowLabels: ['pan', 'truck'], columnLabels: ['pan', 'truck'], counts: [[3, 1], [0, 0]], notes: [] };
    const groups = groupMatrices([report(1, 'a', [], [matrix]), report(2, 'b', [], [matrix])]);
    expect(groups.map((group) => [group.key, group.byRun.map((entry) => entry.runId)])).toEqual([['camerabench-binary/pan-truck', [1, 2]]]);
    expect(rowShares(matrix.counts)).toEqual([[0.75, 0.25], [0, 0]]);
  });
});

describe('copy as Markdown and TSV', () => {
  const [merged] = mergeReports([report(3, 'model | v2', [table1(3, 'model | v2', [25, 20])])]);

  it('writes Markdown with each row\'s kind and basis, what is not comparable said, notes below', () => {
    expect(tableMarkdown(merged!)).toBe([
      '**Table 1: CameraBench binary** (CameraBench binary)',
      '',
      '|  | Move_In | Mean | Kind | Basis |',
      '| --- | ---: | ---: | --- | --- |',
      `| #3 model \\| v2 | 25.0 | 20.0 | run | ${AP_P} |`,
      '| majority "No" | 12.5 | 10.0 | baseline | AP, macro over 15 primitives, score = 1/0 (always No) |',
      '| CamReasoner-7B | 90.1 | 87.7 | published | accuracy, micro (CamReasoner Table 1) — not comparable with the run: accuracy vs AP; micro vs macro average |',
      '| GPT-4o | – | 41.2 | published | AP, macro over 15 primitives (CameraBench Table 1) |',
      '',
      '- Published rows are quoted, not recomputed.',
      '',
    ].join('\n'));
  });

  it('writes TSV: a header, a line per row, no tabs inside cells', () => {
    const lines = tableTsv(merged!).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('\tMove_In\tMean\tKind\tBasis');
    expect(lines[1]).toBe(`#3 model | v2\t25.0\t20.0\trun\t${AP_P}`);
    expect(lines[4]?.split('\t')).toEqual(['GPT-4o', '', '41.2', 'published', 'AP, macro over 15 primitives (CameraBench Table 1)']);
  });

  it('shortens a run row\'s name to what it measures, the run being on the row already', () => {
    expect(shortRowLabel({ kind: 'run', runId: 3, label: 'Run 3 (…/runs/2/checkpoints/global_step_36/actor): ROC AUC' })).toBe('ROC AUC');
    expect(shortRowLabel({ kind: 'run', runId: 3, label: 'Move In (dolly in)' })).toBe('Move In (dolly in)');
    expect(shortRowLabel({ kind: 'run', runId: 4, label: 'Run 3 (m): AP' })).toBe('Run 3 (m): AP');
    expect(shortRowLabel({ kind: 'published', runId: null, label: 'GPT-4o (paper, Table 1)' })).toBe('GPT-4o (paper, Table 1)');
  });

  it('names an Evaluate cell\'s items for Inspect\'s chip', () => {
    expect(focusLabel({ benchmark: 'shotbench', split: 'camera movement' })).toBe('Camera movement · shotbench');
    expect(focusLabel({ benchmark: 'camerabench-binary' })).toBe('camerabench-binary');
  });
});
