// CameraBench VQA for one run, both ways its numbers are published:
// - CameraBench's evaluator (vqa_and_retrieval_evaluation.py): each pair's four yes/no items
//   become a score row (yes/no scores: P(Yes) where the run has log-probs, else the answer's
//   1/0), one score file per skill as its generator writes with --combine_tasks, then
//   binary_acc ("Acc") and question_acc ("Q-Acc") per skill and their unweighted mean over the
//   skill files (macro); retrieval text/image/group beside them;
// - CamReasoner's eval_bench: each item right or wrong by its answer letter, per skill and over
//   every item (micro: Table 2's "Avg Overall 74.5", evaluation.md §0.1).
// And CamReasoner's own file (run.py's "which option is more likely to have the answer
// 'yes'/'no'", camerabench-vqa-runpy), scored apart, as filed and by the pairs' semantics,
// since its "'no'" half is labelled inverted (evaluation.md §0.2).
import type { EvalReport, EvalTable } from '../../common/api/contract';
import { CONVERTED_VQA_PREFIX, VQA_ROLES, type VqaRole } from '../../common/camerabench/vqa';
import {
  PUBLISHED_TABLE2_ROWS, VQA_SKILLS, evaluateVqaRetrievalFiles, table2MacroRow, table2MicroRow, vqaMicroAccuracy, vqaScoreDocuments,
  vqaSkillOf, yesNoFromLetter, type AnsweredVqaPair, type Table2Row, type VqaItemOutcome, type VqaItemResult, type VqaRetrievalEvaluation,
} from '../../common/metrics/cameraBenchVqa';
import type { RunItemRow } from '../../db/evaluation';
import {
  answerLetter, countCell, evalBenchAccuracy, itemState, linkOf, optionsOf, percentCell, runLabel, scoreSourceOf, scoreSourceText,
  stateCounts, stateNotes, type EvalRow, type RunInfo,
} from './runItems';

const TABLE2_COLUMNS = [...VQA_SKILLS.map((entry) => ({ key: entry.skill, label: entry.column })), { key: 'avg', label: 'Avg' }];

function basisText(row: Table2Row): string {
  const metric = row.basis.metric === 'accuracy' ? 'accuracy' : 'Q-Acc';
  return `${metric}, ${row.basis.average}: ${row.description}`;
}

function table2Row(row: Table2Row, kind: EvalRow['kind'], runId: number | null, link: (skill?: string) => ReturnType<typeof linkOf> | undefined, nOf: (skill?: string) => number | undefined): EvalRow {
  return {
    label: row.label,
    basis: basisText(row),
    kind,
    runId,
    cells: [
      ...VQA_SKILLS.map((entry) => percentCell(row.values[entry.skill], nOf(entry.skill), link(entry.skill))),
      percentCell(row.avg, nOf(), link()),
    ],
  };
}

/** The outcome CameraBench's generator would have scored for an item. */
function outcomeOf(row: RunItemRow): VqaItemOutcome {
  if (itemState(row) === 'failed') return { kind: 'failed', error: row.error ?? 'failed' };
  if (row.score !== null) return { kind: 'probabilities', yes: row.score };
  return { kind: 'answer', answer: yesNoFromLetter(answerLetter(row), optionsOf(row)) };
}

function pairText(row: RunItemRow): string {
  return row.question.startsWith(CONVERTED_VQA_PREFIX) ? row.question.slice(CONVERTED_VQA_PREFIX.length) : row.question;
}

interface PairBuild {
  answered: AnsweredVqaPair[];
  /** Pairs the run holds only some items of, or some not yet answered. */
  incomplete: number;
}

/** Each pair whose four items all have a prediction, as the generator would have asked it. */
function answeredPairs(rows: readonly RunItemRow[], outcome: (row: RunItemRow) => VqaItemOutcome): PairBuild {
  const groups = new Map<string, Map<VqaRole, RunItemRow>>();
  for (const row of rows) {
    if (row.group_key === null || row.role === null) continue;
    const group = groups.get(row.group_key) ?? new Map<VqaRole, RunItemRow>();
    groups.set(row.group_key, group);
    group.set(row.role as VqaRole, row);
  }
  const answered: AnsweredVqaPair[] = [];
  let incomplete = 0;
  for (const group of groups.values()) {
    const roles = VQA_ROLES.map((role) => group.get(role));
    if (roles.some((row) => row === undefined || itemState(row) === 'pending')) {
      incomplete += 1;
      continue;
    }
    const [posPos, posNeg, negPos] = roles as RunItemRow[];
    const first = posPos as RunItemRow;
    answered.push({
      pair: {
        skill: first.split,
        task: first.task ?? '',
        pos_video: first.clip_name ?? '',
        neg_video: (posNeg as RunItemRow).clip_name ?? '',
        pos_question: pairText(first),
        neg_question: pairText(negPos as RunItemRow),
      },
      items: Object.fromEntries(VQA_ROLES.map((role) => [role, outcome(group.get(role) as RunItemRow)])) as AnsweredVqaPair['items'],
    });
  }
  return { answered, incomplete };
}

/** CameraBench's evaluator over one score file per skill (its README's --combine_tasks), as Frustum's export writes them. */
function evaluatePairs(run: RunInfo, answered: readonly AnsweredVqaPair[]): VqaRetrievalEvaluation {
  const documents = vqaScoreDocuments(answered, {
    model_name: run.model,
    checkpoint: null,
    method_type: 'Frustum',
    method: run.model,
    generation_timestamp: '',
    granularity: 'skill',
  });
  return evaluateVqaRetrievalFiles(documents.map((document) => document.document), 'both');
}

function skillOfItem(row: RunItemRow): string {
  return vqaSkillOf(row.split) ?? row.split;
}

/** The report for the correctly labelled yes/no form (CameraBench's pairs, CamReasoner's converted_vqa). */
export function vqaReport(run: RunInfo, rows: readonly RunItemRow[]): EvalReport {
  const benchmark = 'camerabench-vqa';
  const link = (skill?: string) => linkOf(run.id, benchmark, skill);
  const counts = stateCounts(rows);
  const label = runLabel(run);

  // CamReasoner's way: every item with a prediction, right by its letter (a failure as eval_bench grades "ERROR").
  const graded = rows.filter((row) => evalBenchAccuracy(row) !== null);
  const micro = vqaMicroAccuracy(graded.map((row): VqaItemResult => ({ skill: skillOfItem(row), isCorrect: evalBenchAccuracy(row) === 1 })));
  const noLetterOf = (row: RunItemRow) => optionsOf(row).find((option) => /^[A-Z]\.\s*no\s*$/i.test(option))?.[0] ?? 'B';
  const alwaysNoMicro = vqaMicroAccuracy(graded.map((row): VqaItemResult => ({ skill: skillOfItem(row), isCorrect: row.answer === noLetterOf(row) })));

  // CameraBench's way: whole pairs, yes/no scores, the evaluator.
  const pairs = answeredPairs(rows, outcomeOf);
  const evaluation = evaluatePairs(run, pairs.answered);
  const alwaysNo = evaluatePairs(run, answeredPairs(rows, (row) => (itemState(row) === 'failed' ? outcomeOf(row) : { kind: 'answer', answer: 'no' })).answered);
  let probabilities = 0;
  let answers = 0;
  for (const row of rows) {
    if (itemState(row) !== 'answered') continue;
    if (row.score !== null) probabilities += 1;
    else answers += 1;
  }
  const source = scoreSourceText(probabilities, answers, run);

  // The evaluator's result per skill file (one file per skill), keyed by skill folder.
  const splitResults = new Map<string, NonNullable<VqaRetrievalEvaluation['results_by_split'][string]>>();
  for (const entry of Object.values(evaluation.results_by_split)) {
    const skill = vqaSkillOf(entry.skill_name) ?? vqaSkillOf(entry.split_name) ?? String(entry.skill_name);
    splitResults.set(skill, entry);
  }
  const scoredPairs = (skill?: string) => (skill === undefined
    ? [...splitResults.values()].reduce((sum, entry) => sum + (entry.vqa?.num_samples ?? 0), 0)
    : splitResults.get(skill)?.vqa?.num_samples ?? 0);
  const itemsOfSkill = (skill?: string) => (skill === undefined ? micro.overall.total : micro.bySkill.get(skill)?.total ?? 0);
  const pairItemsOfSkill = (skill?: string) => 4 * scoredPairs(skill);

  const microRow = table2MicroRow(`${label}: accuracy, micro`, micro,
    "CamReasoner's eval_bench: each item right by its answer letter; per skill over its items, Avg over every item (how Table 2's 74.5 is averaged), on the correctly labelled yes/no form");
  const binaryRow = table2MacroRow(`${label}: Acc (binary_acc), macro`, evaluation, 'binary_acc',
    `CameraBench's evaluator: items whose expected answer scores strictly higher, per skill file; Avg = unweighted mean over skills; ${source}`);
  const questionRow = table2MacroRow(`${label}: Q-Acc (question_acc), macro`, evaluation, 'question_acc',
    `CameraBench's evaluator: questions right on both videos of the pair; Avg = unweighted mean over skills; ${source}`);
  const baselineRows: Table2Row[] = [
    table2MicroRow('Always "No": accuracy, micro', alwaysNoMicro, 'answering No to every item of this run, scored as the run row above'),
    table2MacroRow('Always "No": Acc, macro', alwaysNo, 'binary_acc', 'answering No to every item of this run\'s pairs (yes 0, no 1), through CameraBench\'s evaluator'),
    table2MacroRow('Always "No": Q-Acc, macro', alwaysNo, 'question_acc', 'answering No to every item: no question can be right on both of its videos'),
  ];
  const table2: EvalTable = {
    id: 'camerabench-vqa/table2',
    title: 'CameraBench VQA, Table-2 layout (%)',
    columns: TABLE2_COLUMNS,
    rows: [
      table2Row(microRow, 'run', run.id, link, itemsOfSkill),
      table2Row(binaryRow, 'run', run.id, link, pairItemsOfSkill),
      table2Row(questionRow, 'run', run.id, link, (skill) => pairItemsOfSkill(skill) / 2),
      ...baselineRows.map((row, index) => table2Row(row, 'baseline', run.id, link, index === 0 ? itemsOfSkill : pairItemsOfSkill)),
      ...PUBLISHED_TABLE2_ROWS.map((row) => table2Row(row, 'published', null, () => undefined, () => undefined)),
    ],
    notes: [
      "Two averages: CameraBench's evaluator averages skills (macro, one score file per skill); CamReasoner's Table 2 averages items (micro: 74.5 is the mean over 14,172 items, the mean of its 9 skills is 71.5). Compare like with like: each row's basis says which.",
      "CamReasoner's Table-2 rows were scored on run.py's two-option form (benchmark camerabench-vqa-runpy), whose \"'no'\" half is labelled inverted (evaluation.md §0.2): they are not comparable with any row of this yes/no form.",
      'The CameraBench leaderboard gives Q-Acc overall only, averaged over split files as its evaluator does (macro): comparable with the Q-Acc macro rows.',
    ],
  };

  const detailColumns = [
    { key: 'pairs', label: 'pairs' },
    { key: 'items', label: 'items' },
    { key: 'accuracy', label: 'accuracy (micro)' },
    { key: 'binary_acc', label: 'Acc' },
    { key: 'question_acc', label: 'Q-Acc' },
    { key: 'text', label: 'retrieval text' },
    { key: 'image', label: 'retrieval image' },
    { key: 'group', label: 'retrieval group' },
  ];
  const skills = [...VQA_SKILLS.map((entry) => entry.skill as string), ...[...micro.bySkill.keys()].filter((skill) => vqaSkillOf(skill) === null)];
  const detailRows: EvalRow[] = skills.flatMap((skill): EvalRow[] => {
    const accuracy = micro.bySkill.get(skill);
    const result = splitResults.get(skill);
    if (accuracy === undefined && result === undefined) return [];
    const pairCount = result?.vqa?.num_samples ?? 0;
    return [{
      label: VQA_SKILLS.find((entry) => entry.skill === skill)?.column ?? skill,
      basis: `this run's ${skill} items: accuracy over ${accuracy?.total ?? 0} graded items (eval_bench), the rest over ${pairCount} whole pairs (CameraBench's evaluator); ${source}`,
      kind: 'run',
      runId: run.id,
      cells: [
        countCell(pairCount, link(skill)),
        countCell(accuracy?.total ?? 0, link(skill)),
        percentCell(accuracy?.accuracy, accuracy?.total, link(skill)),
        percentCell(result?.vqa?.binary_acc, 4 * pairCount, link(skill)),
        percentCell(result?.vqa?.question_acc, 2 * pairCount, link(skill)),
        percentCell(result?.retrieval?.text, pairCount, link(skill)),
        percentCell(result?.retrieval?.image, pairCount, link(skill)),
        percentCell(result?.retrieval?.group, pairCount, link(skill)),
      ],
    }];
  });
  const statistics = evaluation.overall_statistics;
  if (detailRows.length > 0) {
    detailRows.push({
      label: 'All items (micro)',
      basis: "every graded item counted once: CamReasoner's averaging",
      kind: 'run',
      runId: run.id,
      cells: [countCell(scoredPairs(), link()), countCell(micro.overall.total, link()), percentCell(micro.overall.accuracy, micro.overall.total, link()), null, null, null, null, null],
    }, {
      label: 'Mean over skills (macro)',
      basis: "CameraBench's evaluator: the unweighted mean over the skill files (overall_binary_acc, overall_question_acc, overall_retrieval_*)",
      kind: 'run',
      runId: run.id,
      cells: [
        null,
        null,
        null,
        percentCell(statistics.vqa?.mean_binary_acc, undefined, link()),
        percentCell(statistics.vqa?.mean_question_acc, undefined, link()),
        percentCell(statistics.retrieval?.mean_text, undefined, link()),
        percentCell(statistics.retrieval?.mean_image, undefined, link()),
        percentCell(statistics.retrieval?.mean_group, undefined, link()),
      ],
    });
  }
  const detail: EvalTable = {
    id: 'camerabench-vqa/skills',
    title: 'CameraBench VQA per skill (%): VQA and retrieval as CameraBench\'s evaluator scores them, accuracy as CamReasoner\'s',
    columns: detailColumns,
    rows: detailRows,
    notes: [
      'A pair is scored only with all four of its items answered; a pair with a failed item is an error row, which CameraBench\'s evaluator leaves out.',
      'Retrieval reads the yes scores only: text = each video prefers its own text, image = each text prefers its own video, group = both (strictly greater; ties are wrong).',
    ],
  };

  const notes = [
    `Scores for CameraBench's evaluator: ${source}. From answers, a pair's yes/no scores are 1/0: ties (an unreadable answer) are wrong both ways, as the evaluator compares strictly.`,
    `${scoredPairs()} pairs scored through CameraBench's evaluator (${pairs.answered.length - scoredPairs()} with a failed item left out)${pairs.incomplete > 0 ? `; ${pairs.incomplete} pairs left out because the run lacks or has not answered some of their four items` : ''}.`,
    ...stateNotes(counts, 'counted wrong in the micro accuracy as eval_bench grades its "<answer>ERROR</answer>"; their pairs become error rows, which CameraBench\'s evaluator leaves out.'),
  ];
  return {
    runId: run.id,
    model: run.model,
    benchmark,
    items: counts.items,
    answered: counts.answered,
    scoreSource: scoreSourceOf(probabilities, answers),
    tables: [table2, detail],
    matrices: [],
    notes,
  };
}

/** The report for CamReasoner's run.py form: accuracy as filed (CamReasoner's number) and by the pairs' semantics, apart from everything else. */
export function vqaRunPyReport(run: RunInfo, rows: readonly RunItemRow[]): EvalReport {
  const benchmark = 'camerabench-vqa-runpy';
  const link = (skill?: string) => linkOf(run.id, benchmark, skill);
  const counts = stateCounts(rows);
  const label = runLabel(run);
  const asFiled = (row: RunItemRow) => (typeof row.meta['labelAsFiled'] === 'string' ? row.meta['labelAsFiled'] : row.answer);
  const bySemantics = (row: RunItemRow) => (typeof row.meta['labelByPairSemantics'] === 'string' ? row.meta['labelByPairSemantics'] : null);
  const graded = rows.filter((row) => evalBenchAccuracy(row, asFiled(row)) !== null);
  const filed = vqaMicroAccuracy(graded.map((row) => ({ skill: skillOfItem(row), isCorrect: evalBenchAccuracy(row, asFiled(row)) === 1 })));
  const semanticRows = graded.filter((row) => bySemantics(row) !== null);
  const semantic = vqaMicroAccuracy(semanticRows.map((row) => ({ skill: skillOfItem(row), isCorrect: evalBenchAccuracy(row, bySemantics(row)) === 1 })));
  // Reads the problem's wording only: "'yes'" → A, "'no'" → B.
  const wordingLetter = (row: RunItemRow) => (row.meta['asks'] === 'no' ? 'B' : 'A');
  const wordingFiled = vqaMicroAccuracy(graded.map((row) => ({ skill: skillOfItem(row), isCorrect: wordingLetter(row) === asFiled(row) })));
  const wordingSemantic = vqaMicroAccuracy(semanticRows.map((row) => ({ skill: skillOfItem(row), isCorrect: wordingLetter(row) === bySemantics(row) })));
  const inverted = rows.filter((row) => bySemantics(row) !== null && bySemantics(row) !== asFiled(row)).length;
  const itemsOf = (result: ReturnType<typeof vqaMicroAccuracy>) => (skill?: string) => (skill === undefined ? result.overall.total : result.bySkill.get(skill)?.total ?? 0);

  const rowsOut: EvalRow[] = [
    table2Row(table2MicroRow(`${label}: accuracy as filed, micro`, filed,
      "CamReasoner's number: eval_bench's letter accuracy against the file's labels, whose \"'no'\" half is inverted; per skill over its items, Avg over every item"), 'run', run.id, link, itemsOf(filed)),
    table2Row(table2MicroRow(`${label}: accuracy by the pairs' semantics, micro`, semantic,
      "eval_bench's letter accuracy against the letter the pair's semantics give (meta.labelByPairSemantics): the number a correct reader of these questions earns"), 'run', run.id, link, itemsOf(semantic)),
    table2Row(table2MicroRow('Problem wording only (\'yes\' → A, \'no\' → B): as filed', wordingFiled,
      'answers A when the problem asks "yes" and B when it asks "no", without the video or the options, against the file\'s labels'), 'baseline', run.id, link, itemsOf(wordingFiled)),
    table2Row(table2MicroRow('Problem wording only: by the pairs\' semantics', wordingSemantic,
      'the same rule against the labels the pairs\' semantics give'), 'baseline', run.id, link, itemsOf(wordingSemantic)),
    ...PUBLISHED_TABLE2_ROWS.filter((row) => row.basis.metric === 'accuracy').map((row) => table2Row(row, 'published', null, () => undefined, () => undefined)),
  ];
  const table: EvalTable = {
    id: 'camerabench-vqa-runpy/table2',
    title: "CamReasoner's camerabench_vqa.json (run.py form), Table-2 layout (%)",
    columns: TABLE2_COLUMNS,
    rows: rowsOut,
    notes: [
      "CamReasoner's Table 2 (74.5) was computed on this file with these labels: comparable with the \"as filed\" row only.",
      "CameraBench's evaluator cannot score this form (its items are not yes/no questions about one text): see the camerabench-vqa benchmark for Acc and Q-Acc.",
    ],
  };
  const notes = [
    `WARNING: run.py labels every "'no'" item with the option whose answer is actually "yes" for its video (evaluation.md §0.2): ${inverted} of ${rows.length} items here are labelled against their pair's semantics. A rule reading only the problem's wording scores ${percentCell(wordingFiled.overall.accuracy)?.display ?? '-'} % as filed; a model that reasons correctly loses the "'no'" half.`,
    ...stateNotes(counts, 'graded as eval_bench grades its "<answer>ERROR</answer>".'),
  ];
  return {
    runId: run.id,
    model: run.model,
    benchmark,
    items: counts.items,
    answered: counts.answered,
    // Graded by the letter only: CamReasoner's evaluator has no use for a probability here.
    scoreSource: counts.answered > 0 ? 'answers' : 'not-applicable',
    tables: [table],
    matrices: [],
    notes,
  };
}
