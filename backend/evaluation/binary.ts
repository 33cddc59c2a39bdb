// CameraBench binary classification for one run: accuracy as CamReasoner's evaluator computes it
// (eval_bench.py, first letter of the answer), AP and ROC AUC as CameraBench's official evaluator
// computes them (binary_classification_evaluation.py: sklearn per primitive, failed rows left
// out, a one-class primitive 0, the mean over primitives), with the score P(Yes) where the run has
// log-probs and the answer (1/0) where it has not, labelled; the majority baseline (always "No")
// and a constant score's AP (= the positive rate) computed on the same items; the Table-1 layout
// with the published rows; and the confusable-pair matrices (./confusable.ts).
import { PRIMITIVES, isPrimitive, primitiveInfo, type Primitive } from '../../common/camerabench/primitives';
import { evaluateScoreFile, summarizeSplits, type CameraBenchScoreRow, type CameraBenchSplitResult } from '../../common/metrics/camerabench';
import { PUBLISHED_TABLE1_ROWS } from '../../common/metrics/camerabenchPublished';
import type { EvalReport, EvalTable } from '../../common/api/contract';
import type { RunItemRow } from '../../db/evaluation';
import { confusableMatrices, type SaidYesItem } from './confusable';
import {
  chosenYesNo, countCell, evalBenchAccuracy, itemState, linkOf, meanOf, percentCell, referenceYesNo, runLabel,
  scoreSourceOf, scoreSourceText, stateCounts, stateNotes, type EvalRow, type RunInfo,
} from './runItems';

const BENCHMARK = 'camerabench-binary';

/** One binary question of the run, as both evaluators see it. */
interface BinaryItem {
  row: RunItemRow;
  primitive: Primitive;
  truth: 'yes' | 'no';
  /** eval_bench accuracy; null when it cannot be computed (pending, no text). */
  accuracy: 0 | 1 | null;
  /** The evaluator's score for AP; null when left out (pending, failed, nothing to score). */
  score: number | null;
  scoreKind: 'probability' | 'answer' | null;
}

function binaryItem(row: RunItemRow): BinaryItem | null {
  const primitive = isPrimitive(row.split) ? row.split : null;
  const truth = referenceYesNo(row);
  if (primitive === null || truth === null) return null;
  const state = itemState(row);
  let score: number | null = null;
  let scoreKind: BinaryItem['scoreKind'] = null;
  if (state === 'answered') {
    if (row.score !== null) {
      score = row.score;
      scoreKind = 'probability';
    } else if (row.output !== null || row.prediction !== null) {
      // As `frustum score` reads a results file: 1 when the chosen option is Yes, else 0 (an unreadable letter too).
      score = chosenYesNo(row) === 'yes' ? 1 : 0;
      scoreKind = 'answer';
    }
  }
  return { row, primitive, truth, accuracy: evalBenchAccuracy(row), score, scoreKind };
}

interface PrimitiveFigures {
  primitive: Primitive;
  items: BinaryItem[];
  /** Items with an eval_bench accuracy: answered with text, and failed. */
  graded: number;
  correct: number;
  /** Of the graded items, those whose reference is No: what always answering No gets right. */
  gradedNegatives: number;
  /** CameraBench's evaluator on the run's scores, and on a constant score; null when nothing was scored. */
  run: CameraBenchSplitResult | null;
  constant: CameraBenchSplitResult | null;
  probabilities: number;
  answers: number;
}

function scoreRows(items: readonly BinaryItem[], scoreOf: (item: BinaryItem) => number): CameraBenchScoreRow[] {
  return items.filter((item) => item.score !== null).map((item) => ({
    video_path: item.row.clip_name ?? '',
    question: item.row.question,
    ground_truth_label: item.truth === 'yes' ? 'Yes' : 'No',
    method: 'frustum',
    score: scoreOf(item),
    error: null,
  }));
}

function figuresOf(primitive: Primitive, items: BinaryItem[]): PrimitiveFigures {
  const graded = items.filter((item) => item.accuracy !== null);
  return {
    primitive,
    items,
    graded: graded.length,
    correct: graded.filter((item) => item.accuracy === 1).length,
    gradedNegatives: graded.filter((item) => item.truth === 'no').length,
    run: evaluateScoreFile({ scores: scoreRows(items, (item) => item.score ?? 0) }, primitive),
    // A constant score ties every item: sklearn's AP is then the positive rate, AUC ½ (data/README.md "random chance").
    constant: evaluateScoreFile({ scores: scoreRows(items, () => 0.5) }, primitive),
    probabilities: items.filter((item) => item.scoreKind === 'probability').length,
    answers: items.filter((item) => item.scoreKind === 'answer').length,
  };
}

const TABLE1_COLUMNS = [...PRIMITIVES.map((primitive) => ({ key: primitive, label: primitiveInfo(primitive).task })), { key: 'avg', label: 'Avg' }];

/**
 * The report for a run's binary items. `isLegacy`: the items are binary Yes/No questions that no
 * benchmark import named (see db/evaluation.ts runLegacyBinaryItems), which the notes say.
 */
export function binaryReport(run: RunInfo, rows: readonly RunItemRow[], options: { isLegacy: boolean }): EvalReport {
  const link = (split?: string) => linkOf(run.id, BENCHMARK, split);
  const counts = stateCounts(rows);
  const items: BinaryItem[] = [];
  let unusable = 0;
  for (const row of rows) {
    const item = binaryItem(row);
    if (item === null) unusable += 1;
    else items.push(item);
  }
  const figures = PRIMITIVES.flatMap((primitive) => {
    const own = items.filter((item) => item.primitive === primitive);
    return own.length === 0 ? [] : [figuresOf(primitive, own)];
  });
  const byPrimitive = new Map(figures.map((figure) => [figure.primitive, figure]));
  const accuracyOf = (figure: PrimitiveFigures) => (figure.graded === 0 ? null : figure.correct / figure.graded);
  const alwaysNoOf = (figure: PrimitiveFigures) => (figure.graded === 0 ? null : figure.gradedNegatives / figure.graded);
  const probabilities = figures.reduce((sum, figure) => sum + figure.probabilities, 0);
  const answers = figures.reduce((sum, figure) => sum + figure.answers, 0);
  const source = scoreSourceText(probabilities, answers, run);
  const label = runLabel(run);

  // The evaluator's overall: the mean over primitives that could be evaluated (summarizeSplits).
  const runSummary = summarizeSplits(figures.map((figure) => figure.run));
  const constantSummary = summarizeSplits(figures.map((figure) => figure.constant));
  const macro = (values: Array<number | null>) => meanOf(values.filter((value): value is number => value !== null));

  const table1Row = (rowLabel: string, kind: EvalRow['kind'], basis: string, valueOf: (figure: PrimitiveFigures) => number | null, avg: number | null, nOf: (figure: PrimitiveFigures) => number): EvalRow => ({
    label: rowLabel,
    basis,
    kind,
    runId: kind === 'published' ? null : run.id,
    cells: [
      ...PRIMITIVES.map((primitive) => {
        const figure = byPrimitive.get(primitive);
        return figure === undefined ? null : percentCell(valueOf(figure), nOf(figure), link(primitive));
      }),
      percentCell(avg, figures.reduce((sum, figure) => sum + nOf(figure), 0), link()),
    ],
  });
  const scoredCount = (figure: PrimitiveFigures) => figure.run?.num_samples ?? 0;
  const gradedCount = (figure: PrimitiveFigures) => figure.graded;

  const publishedRows: EvalRow[] = PUBLISHED_TABLE1_ROWS.map((published) => ({
    label: published.label,
    basis: published.description,
    kind: 'published',
    runId: null,
    cells: [
      ...PRIMITIVES.map((primitive) => percentCell(published.values[primitive])),
      percentCell(published.avg),
    ],
  }));

  const table1: EvalTable = {
    id: 'camerabench-binary/table1',
    title: 'CameraBench binary classification, Table-1 layout (%)',
    columns: TABLE1_COLUMNS,
    rows: [
      table1Row(`${label}: AP`, 'run', `AP (CameraBench's evaluator: sklearn average precision per primitive, failed items left out), Avg = mean over primitives; ${source}`,
        (figure) => figure.run?.average_precision ?? null, runSummary?.mean_average_precision ?? null, scoredCount),
      table1Row(`${label}: ROC AUC`, 'run', `ROC AUC (CameraBench's evaluator), Avg = mean over primitives; ${source}`,
        (figure) => figure.run?.roc_auc ?? null, runSummary?.mean_roc_auc ?? null, scoredCount),
      table1Row(`${label}: accuracy`, 'run', "accuracy (CamReasoner's eval_bench: the answer's first letter against the reference), Avg = mean over primitives as in CamReasoner's Table 1",
        accuracyOf, macro(figures.map(accuracyOf)), gradedCount),
      table1Row('Constant score: AP (= positive rate)', 'baseline', "AP of a constant score on this run's items (every item tied): each primitive's positive rate, Avg = mean over primitives",
        (figure) => figure.constant?.average_precision ?? null, constantSummary?.mean_average_precision ?? null, scoredCount),
      table1Row('Always "No": accuracy', 'baseline', "accuracy of answering No to every question of this run, Avg = mean over primitives (the majority class)",
        alwaysNoOf, macro(figures.map(alwaysNoOf)), gradedCount),
      ...publishedRows,
    ],
    notes: [
      "CamReasoner's own Table-1 row is ACCURACY while its baselines (Random Chance, COLMAP, MegaSAM, the VLMs) are CameraBench AVERAGE PRECISION (evaluation.md §0.3): compare accuracy rows with accuracy rows and AP rows with AP rows only.",
      'Always answering "No" scores 87.7 % accuracy on the full 7,679 questions: an accuracy is worth what it adds to the always-"No" row beside it.',
      answers > 0
        ? 'AP from answers (1/0) ranks every Yes above every No and ties the rest: it is the precision–recall of one threshold, not comparable with AP from a continuous score such as P(Yes) (CameraBench ranks by VQAScore P("Yes")).'
        : 'AP from P(Yes) at the answer token: the ranking CameraBench\'s VQAScore gives (P("Yes")), here read from the answer letter\'s log-probs.',
    ],
  };

  // Per primitive, then the two ways of averaging, each on its own row.
  const detailColumns = [
    { key: 'items', label: 'items' },
    { key: 'positives', label: 'Yes' },
    { key: 'accuracy', label: 'accuracy' },
    { key: 'always-no', label: 'always No' },
    { key: 'ap', label: 'AP' },
    { key: 'ap-constant', label: 'AP constant' },
    { key: 'auc', label: 'ROC AUC' },
  ];
  const detailRows: EvalRow[] = figures.map((figure) => {
    const info = primitiveInfo(figure.primitive);
    return {
      label: info.label === info.task.toLowerCase() ? info.task : `${info.task} (${info.label})`,
      basis: `this run's ${figure.primitive} items; accuracy and always No over ${figure.graded} graded, AP and AUC over ${scoredCount(figure)} scored; ${scoreSourceText(figure.probabilities, figure.answers, run)}`,
      kind: 'run',
      runId: run.id,
      cells: [
        countCell(figure.items.length, link(figure.primitive)),
        countCell(figure.items.filter((item) => item.truth === 'yes').length, link(figure.primitive)),
        percentCell(accuracyOf(figure), figure.graded, link(figure.primitive)),
        percentCell(alwaysNoOf(figure), figure.graded, link(figure.primitive)),
        percentCell(figure.run?.average_precision, scoredCount(figure), link(figure.primitive)),
        percentCell(figure.constant?.average_precision, scoredCount(figure), link(figure.primitive)),
        percentCell(figure.run?.roc_auc, scoredCount(figure), link(figure.primitive)),
      ],
    };
  });
  const graded = figures.reduce((sum, figure) => sum + figure.graded, 0);
  const correct = figures.reduce((sum, figure) => sum + figure.correct, 0);
  const gradedNegatives = figures.reduce((sum, figure) => sum + figure.gradedNegatives, 0);
  const scored = figures.reduce((sum, figure) => sum + scoredCount(figure), 0);
  const positives = items.filter((item) => item.truth === 'yes').length;
  if (figures.length > 0) {
    detailRows.push({
      label: 'All items (micro)',
      basis: "every graded item counted once: CamReasoner's eval_bench overall/acc; AP is not averaged this way",
      kind: 'run',
      runId: run.id,
      cells: [
        countCell(items.length, link()),
        countCell(positives, link()),
        percentCell(graded === 0 ? null : correct / graded, graded, link()),
        percentCell(graded === 0 ? null : gradedNegatives / graded, graded, link()),
        null,
        null,
        null,
      ],
    });
    detailRows.push({
      label: 'Mean over primitives (macro)',
      basis: "the mean of the per-primitive values: CameraBench's overall AP and AUC, CamReasoner's Table-1 Avg",
      kind: 'run',
      runId: run.id,
      cells: [
        null,
        null,
        percentCell(macro(figures.map(accuracyOf)), graded, link()),
        percentCell(macro(figures.map(alwaysNoOf)), graded, link()),
        percentCell(runSummary?.mean_average_precision, scored, link()),
        percentCell(constantSummary?.mean_average_precision, scored, link()),
        percentCell(runSummary?.mean_roc_auc, scored, link()),
      ],
    });
  }
  const detail: EvalTable = {
    id: 'camerabench-binary/primitives',
    title: 'CameraBench binary classification per primitive (%), with the majority baseline beside each',
    columns: detailColumns,
    rows: detailRows,
    notes: [
      'always No: the accuracy of answering No to every question (the majority class); AP constant: the AP of a score that ties every item, which is the positive rate.',
      'A primitive whose items are all Yes or all No scores AP 0 and AUC 0, as CameraBench\'s evaluator scores it.',
    ],
  };

  const saidYes: SaidYesItem[] = items.flatMap((item) => {
    if (itemState(item.row) !== 'answered' || item.row.clip_id === null) return [];
    const chosen = item.row.output !== null || item.row.prediction !== null ? chosenYesNo(item.row) : null;
    // A score file has no answer: its score over ½ stands for a Yes.
    const isYes = chosen !== null ? chosen === 'yes' : item.row.score !== null ? item.row.score > 0.5 : null;
    return isYes === null ? [] : [{ clipId: item.row.clip_id, primitive: item.primitive, truth: item.truth, saidYes: isYes }];
  });

  const notes = [
    ...(options.isLegacy
      ? ['These items are the run\'s binary Yes/No questions about a primitive that no benchmark import named (a project imported before benchmark items, the demo\'s synthetic clips): scored as CameraBench binary items, split by their primitive. Published rows are about CameraBench\'s 7,679 questions, not these.']
      : []),
    `Accuracy: CamReasoner's eval_bench (Inference/infer/eval_bench.py), the first letter of the answer against the reference, over ${graded} graded items; micro over all items ${percentCell(graded === 0 ? null : correct / graded)?.display ?? '-'} %, always "No" ${percentCell(graded === 0 ? null : gradedNegatives / graded)?.display ?? '-'} %.`,
    `AP and ROC AUC: CameraBench's evaluator (binary_classification_evaluation.py) over ${scored} scored items, ${source}.`,
    ...stateNotes(counts, 'graded as eval_bench grades its "<answer>ERROR</answer>" (wrong unless the reference is E); left out of AP and AUC, as CameraBench\'s evaluator leaves out rows with an error.'),
    ...(unusable > 0 ? [`${unusable} items were left out: no Yes/No reference option or no primitive.`] : []),
    ...(graded === 0 && scored > 0 ? ['Accuracy is not computed: the run has scores but no answers (a CameraBench score file), and eval_bench grades answers.'] : []),
  ];
  return {
    runId: run.id,
    model: run.model,
    benchmark: BENCHMARK,
    items: counts.items,
    answered: counts.answered,
    scoreSource: scoreSourceOf(probabilities, answers),
    tables: [table1, detail],
    matrices: confusableMatrices(saidYes),
    notes,
  };
}
