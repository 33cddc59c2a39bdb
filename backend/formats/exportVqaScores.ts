// `frustum export --format camerabench-vqa-scores`: a run's answers to CameraBench's VQA pairs
// as the `vqa_retrieval_scores_*.json` files its official evaluator reads
// (camerabench/vqa_and_retrieval_evaluation.py, linzhiqiu/t2v_metrics @ 6ecb74f; evaluation.md
// §1.2). The files themselves are common/metrics/cameraBenchVqa.ts's (vqaScoreDocuments, checked
// against the generator's and evaluator's own outputs); this file finds each pair's four items
// (db/benchmarks.ts: benchmark 'camerabench-vqa', group_key = the pair, role = the combination)
// and turns the run's answer to each into a yes and a no score.
import { basename, join } from 'node:path';
import { CONVERTED_VQA_PREFIX } from '../../common/camerabench/vqa';
import { UsageError } from '../../common/errors';
import { parseStringArray } from '../../common/formats/jsonText';
import { VQA_COMBINATIONS, vqaScoreDocuments, yesNoFromLetter, type AnsweredVqaPair, type VqaCombination, type VqaItemOutcome } from '../../common/metrics/cameraBenchVqa';
import { pythonIsoformat } from '../../common/metrics/captions';
import { predictionOf } from '../../common/ota/evalAccuracy';
import { firstCodePoint, pyStrip, pyUpper } from '../../common/python';
import { benchmarkItems, type BenchmarkItemRow } from '../../db/benchmarks';
import type { ReadableDB } from '../../db/connection';
import { samplesForExport } from '../../db/exports';
import { predictionsOfRun, type PredictionRow } from '../../db/runs';
import { checkOutFolder, chosenRun, writeAtomically } from './exportCommon';
import type { ExportOptions, ExportReport } from './exportFiles';

/** How the yes and no scores of an export were obtained (its files' metadata.method_type). */
export type VqaScoreMethod = 'answer_token_p_yes' | 'answer_letter' | 'answer_token_p_yes_else_letter';

/**
 * One item's outcome from the run: a failed generation fails the item (and so its pair, an error
 * row the evaluator leaves out); P(Yes) at the answer token where the run has it; otherwise the
 * answer letter read as eval_bench reads it (the answer tag's text, else the stripped output;
 * its first character, upper-cased) and looked up in the options: "A. Yes" gives yes 1, no 0, and
 * a letter that is neither Yes nor No gives 0 and 0, a tie the evaluator counts wrong.
 */
export function vqaItemOutcome(prediction: PredictionRow | undefined, options: readonly string[], runId: number): VqaItemOutcome {
  if (prediction === undefined) return { kind: 'failed', error: `no prediction in run ${runId}` };
  if (prediction.error !== null) return { kind: 'failed', error: prediction.error };
  if (prediction.score !== null) return { kind: 'probabilities', yes: prediction.score };
  const output = prediction.output ?? '';
  const extracted = prediction.prediction ?? predictionOf(output);
  // eval_bench: `extract_answer(response) or response.strip()`.
  const answer = extracted !== '' ? extracted : pyStrip(output);
  const letter = pyUpper(firstCodePoint(pyStrip(answer)));
  return { kind: 'answer', answer: yesNoFromLetter(letter, options) };
}

/** The pair's text as CameraBench's file holds it: the item's question without CamReasoner's yes/no preamble. */
function pairText(question: string): string {
  return question.startsWith(CONVERTED_VQA_PREFIX) ? question.slice(CONVERTED_VQA_PREFIX.length) : question;
}

export function exportVqaScores(db: ReadableDB, options: ExportOptions, outDir: string): ExportReport {
  const run = chosenRun(db, options.run);
  checkOutFolder(outDir, 'camerabench-vqa-scores', 'score files');
  const items = benchmarkItems(db, 'camerabench-vqa');
  if (items.length === 0) {
    throw new UsageError('this project holds no CameraBench VQA pairs: import them first (frustum import PROJECT …/vqa_and_retrieval/<skill> --format camerabench-vqa)');
  }
  const predictions = new Map(predictionsOfRun(db, run.id).map((row) => [row.sample_id, row]));
  const isFiltered = options.split !== undefined || options.status !== undefined;
  const kept = isFiltered ? new Set(samplesForExport(db, { split: options.split, status: options.status }).map((sample) => sample.id)) : null;

  // Pairs in the order their items were first imported (a task file's own order).
  const pairs = new Map<string, Map<string, BenchmarkItemRow>>();
  for (const item of items) {
    const key = item.group_key ?? `${item.split}/${item.task ?? ''}#${item.item_key}`;
    const roles = pairs.get(key) ?? new Map<string, BenchmarkItemRow>();
    pairs.set(key, roles);
    if (item.role !== null && !roles.has(item.role)) roles.set(item.role, item);
  }

  const skipped = new Map<string, number>();
  const skip = (reason: string): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const answered: AnsweredVqaPair[] = [];
  const methods = new Set<'probabilities' | 'answer'>();
  let errorRows = 0;
  for (const roles of pairs.values()) {
    const four = VQA_COMBINATIONS.map((combination) => roles.get(combination));
    if (!four.every((item): item is BenchmarkItemRow => item !== undefined)) {
      skip('pair with fewer than its four items in the project');
      continue;
    }
    const byRole = Object.fromEntries(VQA_COMBINATIONS.map((combination, index) => [combination, four[index] as BenchmarkItemRow])) as Record<VqaCombination, BenchmarkItemRow>;
    if (kept !== null && four.some((item) => !kept.has(item.sample_id))) {
      skip('pair with an item left out by --split / --status');
      continue;
    }
    if (four.every((item) => !predictions.has(item.sample_id))) {
      skip(`pair not asked in run ${run.id}`);
      continue;
    }
    const positive = byRole.pos_text_pos_image;
    const negative = byRole.neg_text_neg_image;
    if (positive.clip_name === null || negative.clip_name === null) {
      skip('pair without its clips');
      continue;
    }
    const outcomes = Object.fromEntries(
      VQA_COMBINATIONS.map((combination) => {
        const item = byRole[combination];
        return [combination, vqaItemOutcome(predictions.get(item.sample_id), parseStringArray(item.options) ?? [], run.id)];
      }),
    ) as Record<VqaCombination, VqaItemOutcome>;
    const outcomeKinds = Object.values(outcomes).map((outcome) => outcome.kind);
    if (outcomeKinds.includes('failed')) errorRows += 1;
    for (const kind of outcomeKinds) if (kind !== 'failed') methods.add(kind);
    answered.push({
      pair: {
        skill: positive.split,
        task: positive.task ?? 'unknown',
        pos_video: basename(positive.clip_name),
        neg_video: basename(negative.clip_name),
        pos_question: pairText(positive.question),
        neg_question: pairText(negative.question),
      },
      items: outcomes,
    });
  }
  if (answered.length === 0) {
    throw new UsageError(`run ${run.id} answered no CameraBench VQA pair${[...skipped].map(([reason, count]) => `; ${count} ${reason}`).join('')}`);
  }

  const method: VqaScoreMethod = methods.size === 2 ? 'answer_token_p_yes_else_letter' : methods.has('probabilities') ? 'answer_token_p_yes' : 'answer_letter';
  const documents = vqaScoreDocuments(answered, {
    model_name: run.model,
    checkpoint: null,
    method_type: method,
    method: run.model,
    generation_timestamp: pythonIsoformat(new Date()),
    // One file per skill is what CameraBench's README runs (--combine_tasks): its overall is the
    // mean over skills. Per task, each file gets a split name of its own, or the evaluator would
    // keep only the last task file of each skill (cameraBenchVqa.ts evaluateVqaRetrievalFiles).
    granularity: options.isPerTask === true ? 'task' : 'skill',
  });
  const report: ExportReport = { format: 'camerabench-vqa-scores', files: [], records: 0, verbatim: 0, changed: 0, fresh: 0, skipped: [], run: run.id };
  for (const document of documents) {
    const file = join(outDir, document.fileName);
    writeAtomically(file, document.text);
    report.files.push(file);
  }
  report.records = answered.length;
  report.fresh = answered.length;
  report.skipped = [...skipped].map(([reason, count]) => ({ reason, count }));
  report.notes = [
    `${answered.length} pairs (${4 * answered.length} yes/no items) in ${documents.length} file(s), one per ${options.isPerTask === true ? 'task' : 'skill'}; scores: ${methodText(method)}`,
    ...(errorRows > 0 ? [`${errorRows} pair(s) with a failed or missing answer written as error rows (the evaluator leaves them out)`] : []),
  ];
  return report;
}

function methodText(method: VqaScoreMethod): string {
  switch (method) {
    case 'answer_token_p_yes':
      return 'P(Yes) at the answer token';
    case 'answer_letter':
      return 'the answer letter (1/0), no log-probs in this run';
    case 'answer_token_p_yes_else_letter':
      return 'P(Yes) at the answer token where the run has it, else the answer letter (1/0)';
    default:
      throw new Error(`unknown score method ${JSON.stringify(method satisfies never)}`);
  }
}
