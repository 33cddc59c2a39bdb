// ShotBench and RefineShot for one run, matched and averaged as their scripts do
// (common/metrics/shotBench.ts): the model's whole output → answer tag → a lone option letter →
// a lone option text; ShotBench then asks a GPT judge (only when the person names one here, and
// never a random letter after it), RefineShot counts the row "Z". Per-dimension accuracy, the
// README's Avg (macro over the 8 dimensions) and the scripts' Overall (micro), and for RefineShot
// its think/answer consistency check: by the judge when one is named, else by rule, labelled.
import type { BenchmarkName, EvalReport, EvalTable } from '../../common/api/contract';
import { letterOfOption } from '../../common/camerabench/primitives';
import {
  PUBLISHED_SHOTBENCH_ROWS, SHOTBENCH_DIMENSIONS, SHOTBENCH_JUDGE, canInfer, gradeRefineShotPrediction, gradeShotBenchPrediction,
  parseRefineShotConsistencyReply, refineShotConsistencyPrompt, ruleBasedConsistency, shotBenchAccuracySheet, shotBenchJudgePrompt, shotBenchSummary,
  type ConsistencyCheck, type ShotBenchChoices, type ShotBenchMatchVia, type ShotBenchPublishedRow, type ShotBenchScoredRow, type ShotBenchSummary,
} from '../../common/metrics/shotBench';
import type { RunItemRow } from '../../db/evaluation';
import { mapWithLimit, type Judge } from './judge';
import { answerText, countCell, itemState, linkOf, optionsOf, percentCell, runLabel, stateCounts, stateNotes, type EvalRow, type RunInfo } from './runItems';

/** "A. Zoom in" → ["A", "Zoom in"], in the options' order (the import wrote them from ShotBench's object in key order). */
function choicesOf(row: RunItemRow): ShotBenchChoices {
  return optionsOf(row).flatMap((option): Array<[string, string]> => {
    const letter = letterOfOption(option);
    return letter === null ? [] : [[letter, option.slice(option.indexOf('.') + 1).trim()]];
  });
}

interface Graded {
  row: RunItemRow;
  category: string;
  hit: 0 | 1;
  via: ShotBenchMatchVia | 'inconsistent' | 'not-adherent';
  /** RefineShot with the consistency check. */
  checked?: { hit: 0 | 1; consistency: boolean };
}

/** ShotBench's judge loop: up to three replies, asking again only while a reply names no option; a failed call counts as no reply. */
async function judgeReplies(judge: Judge, row: RunItemRow, text: string, choices: ShotBenchChoices): Promise<string[]> {
  const replies: string[] = [];
  for (let attempt = 0; attempt < SHOTBENCH_JUDGE.attempts; attempt += 1) {
    try {
      const reply = await judge.ask(shotBenchJudgePrompt(row.question, choices, text), { maxTokens: 64, temperature: SHOTBENCH_JUDGE.temperature });
      replies.push(reply.text);
      if (canInfer(reply.text, choices).letter !== null) break;
    } catch {
      // ShotBench retries a failed call the same way as an unreadable reply.
    }
  }
  return replies;
}

async function consistencyOf(judge: Judge | null, row: RunItemRow, text: string, choices: ShotBenchChoices): Promise<ConsistencyCheck> {
  if (judge === null) return ruleBasedConsistency(text, choices);
  try {
    // RefineShot's judge (Qwen3-4B) generates up to 1,024 tokens; a failed call counts as consistent, as in its script.
    const reply = await judge.ask(refineShotConsistencyPrompt(row.question, choices, text), { maxTokens: 1024, temperature: 0 });
    return parseRefineShotConsistencyReply(reply.text);
  } catch {
    return parseRefineShotConsistencyReply(null);
  }
}

function summaryRow(label: string, basis: string, kind: EvalRow['kind'], runId: number | null, summary: ShotBenchSummary, link: (category?: string) => ReturnType<typeof linkOf>): EvalRow {
  return {
    label,
    basis,
    kind,
    runId,
    cells: [
      ...summary.dimensions.map((dimension) => percentCell(dimension.accuracy, dimension.total, link(dimension.category))),
      percentCell(summary.macro, summary.micro.total, link()),
      percentCell(summary.micro.accuracy, summary.micro.total, link()),
    ],
  };
}

function publishedRow(row: ShotBenchPublishedRow): EvalRow {
  const averaging = row.basis.average === 'macro' ? 'Avg = mean of the 8 dimensions' : 'Overall = correct / all rows';
  const check = row.basis.consistencyCheck ? '; with the consistency check' : '';
  return {
    label: `${row.model}${row.basis.consistencyCheck ? ' + consistency check' : ''} (${row.source.split(' (')[0] ?? row.source})`,
    basis: `accuracy, ${row.source}: ${averaging}; questions: ${row.basis.questions}; matching: ${row.basis.matching}${check}. ${row.description}`,
    kind: 'published',
    runId: null,
    cells: [
      ...SHOTBENCH_DIMENSIONS.map((dimension) => percentCell(row.values[dimension.abbreviation])),
      row.basis.average === 'macro' ? percentCell(row.avg) : null,
      row.basis.average === 'micro' ? percentCell(row.avg) : null,
    ],
  };
}

export async function shotBenchReport(run: RunInfo, benchmark: Extract<BenchmarkName, 'shotbench' | 'refineshot'>, rows: readonly RunItemRow[], judge: Judge | null): Promise<EvalReport> {
  const link = (category?: string) => linkOf(run.id, benchmark, category);
  const counts = stateCounts(rows);
  const label = runLabel(run);
  const isRefineShot = benchmark === 'refineshot';
  const asked = rows.filter((row) => itemState(row) !== 'pending' && row.answer !== null);
  const graded: Graded[] = await mapWithLimit(asked, judge?.settings.concurrency ?? 8, async (row): Promise<Graded> => {
    const choices = choicesOf(row);
    const answer = row.answer as string;
    // The model's whole response is what both scripts read; a failed request has none (RefineShot's NaN → "Z").
    const text = itemState(row) === 'failed' ? null : answerText(row);
    const category = row.split;
    if (!isRefineShot) {
      let grade = gradeShotBenchPrediction(text ?? '', answer, choices, null);
      if (grade.via === 'unmatched' && judge !== null && text !== null) grade = gradeShotBenchPrediction(text, answer, choices, await judgeReplies(judge, row, text, choices));
      return { row, category, hit: grade.hit, via: grade.via };
    }
    const plain = gradeRefineShotPrediction(text, answer, choices, null);
    // RefineShot checks what it grades: an empty (NaN) prediction is "Z", and the judge is asked about "Z".
    const consistency = await consistencyOf(judge, row, text === null || text.toLowerCase() === 'nan' ? 'Z' : text, choices);
    const checked = gradeRefineShotPrediction(text, answer, choices, consistency);
    return { row, category, hit: plain.hit, via: plain.via, checked: { hit: checked.hit, consistency: checked.consistency } };
  });

  const scored: ShotBenchScoredRow[] = graded.map((item) => ({ category: item.category, hit: item.hit }));
  const summary = shotBenchSummary(scored);
  const checkedRows: ShotBenchScoredRow[] = graded.map((item) => ({ category: item.category, hit: item.checked?.hit ?? item.hit, consistency: item.checked?.consistency ?? true }));
  const checkedSummary = shotBenchSummary(checkedRows);
  const matching = isRefineShot
    ? 'RefineShot\'s matching: answer tag → option letter → option text, unmatched = "Z" (no judge)'
    : judge === null
      ? 'ShotBench\'s matching: answer tag → option letter → option text; unmatched = "Z" (no judge was given: ShotBench asks GPT-4o, then draws at random)'
      : `ShotBench's matching: answer tag → option letter → option text → judge ${judge.label} (3 tries); still unmatched = "Z", never ShotBench's random draw`;
  const checkLabel = judge === null ? 'rule-based consistency check (Frustum\'s rule, standing in for RefineShot\'s Qwen3 judge)' : `consistency check judged by ${judge.label} with RefineShot's prompt`;

  const runRows: EvalRow[] = [
    summaryRow(`${label}: accuracy`, `accuracy per dimension; Avg = mean of the dimensions present (README), Overall = correct / all rows (script); ${matching}`, 'run', run.id, summary, link),
    ...(isRefineShot
      ? [summaryRow(`${label}: accuracy + consistency check`, `accuracy with an answer its <think> contradicts counted "Z" (RefineShot --check_consistency); ${checkLabel}; Avg and Overall as above`, 'run', run.id, checkedSummary, link)]
      : []),
  ];
  const questions = isRefineShot ? 'RefineShot refined' : 'ShotBench';
  const table: EvalTable = {
    id: `${benchmark}/dimensions`,
    title: `${isRefineShot ? 'RefineShot' : 'ShotBench'}: accuracy per dimension (%)`,
    columns: [
      ...SHOTBENCH_DIMENSIONS.map((dimension) => ({ key: dimension.category, label: dimension.abbreviation })),
      { key: 'avg', label: 'Avg (macro)' },
      { key: 'overall', label: 'Overall (micro)' },
    ],
    rows: [...runRows, ...PUBLISHED_SHOTBENCH_ROWS.filter((row) => row.basis.questions === questions).map(publishedRow)],
    notes: [
      "ShotBench's README Avg is the mean of its 8 dimensions (macro); its script's and RefineShot's Overall is correct / all rows (micro): each published row fills the column its source printed.",
      ...(summary.isComplete ? [] : [`This run has ${summary.dimensions.filter((dimension) => dimension.accuracy !== null).length} of the 8 dimensions: its Avg is the mean of those, not the README's Avg.`]),
      ...(isRefineShot ? ['RefineShot\'s published "+check" rows used its Qwen3 judge; a rule-based check is not the same measurement.'] : []),
    ],
  };

  const sheet = shotBenchAccuracySheet(isRefineShot ? checkedRows : scored);
  const detailColumns = [
    { key: 'total', label: 'total' },
    { key: 'correct', label: 'correct' },
    { key: 'accuracy', label: 'accuracy' },
    ...(isRefineShot ? [{ key: 'consistent', label: 'consistent' }, { key: 'consistency_rate', label: 'consistency rate' }] : []),
  ];
  const detail: EvalTable = {
    id: `${benchmark}/categories`,
    title: `${isRefineShot ? 'RefineShot' : 'ShotBench'}: the scripts' "Accuracy" sheet (%)`,
    columns: detailColumns,
    rows: sheet.map((line): EvalRow => {
      const lineLink = line.category === 'Overall' ? link() : link(line.category);
      return {
        label: line.category,
        basis: line.category === 'Overall' ? 'correct / all rows (micro), as the scripts\' last line' : `rows of category "${line.category}"`,
        kind: 'run',
        runId: run.id,
        cells: [
          countCell(line.total, lineLink),
          countCell(line.correct, lineLink),
          percentCell(line.accuracy, line.total, lineLink),
          ...(isRefineShot ? [countCell(line.consistent_count ?? 0, lineLink), percentCell(line.consistency_rate, line.total, lineLink)] : []),
        ],
      };
    }),
    notes: isRefineShot ? [`With the consistency check: ${checkLabel}. Categories in the scripts' (sorted) order.`] : ["Categories in the script's (sorted) order."],
  };

  const viaCounts = new Map<string, number>();
  for (const item of graded) viaCounts.set(item.via, (viaCounts.get(item.via) ?? 0) + 1);
  const notes = [
    `Matching (${graded.length} rows): ${[...viaCounts].map(([via, count]) => `${count} ${via}`).join(', ') || 'none'}. ${matching}.`,
    ...(isRefineShot ? [`Consistency: ${checkLabel}; ${checkedRows.filter((row) => row.consistency === false).length} answers contradicted by their <think>.`] : []),
    ...stateNotes(counts, 'graded as an empty answer ("Z", wrong).'),
  ];
  return {
    runId: run.id,
    model: run.model,
    benchmark,
    items: counts.items,
    answered: counts.answered,
    scoreSource: 'not-applicable',
    tables: [table, detail],
    matrices: [],
    notes,
  };
}
