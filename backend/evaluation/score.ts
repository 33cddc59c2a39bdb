// Scoring files the way the benchmarks' own evaluators do: CamReasoner's evaluator for
// results files (per-sample accuracy recomputed, metrics keyed as it keys them, plus accuracy
// and letter-based CameraBench AP per primitive), and CameraBench's official evaluator for
// score files (AP and ROC AUC per split, mean, Table-1 layout).
import { basename, extname } from 'node:path';
import { isPrimitive, letterOfOption, primitiveFromQuestion, yesNoOfOption, type Primitive } from '../../common/camerabench/primitives';
import { InputError } from '../../common/errors';
import { normalizeRecord } from '../../common/formats/normalize';
import { cameraBenchScore, evalRecord } from '../../common/formats/schemas';
import {
  evaluateScoreFile,
  summarizeSplits,
  table1,
  type CameraBenchScoreRow,
  type CameraBenchSplitResult,
} from '../../common/metrics/camerabench';
import { accuracyByPrimitive, evaluationMetrics, type EvaluatedRow } from '../../common/metrics/evaluation';
import { multipleChoiceAccuracy, predictionOf } from '../../common/ota/evalAccuracy';
import type { InputFile } from '../formats/readInput';

export type ResultsScore = ReturnType<typeof scoreResults>;
export type CameraBenchScore = ReturnType<typeof scoreCameraBench>;

export function scoreResults(input: InputFile) {
  const rows: EvaluatedRow[] = [];
  const letterScores = new Map<Primitive, CameraBenchScoreRow[]>();
  let mismatches = 0;
  input.records.forEach((entry, index) => {
    const parsed = evalRecord.safeParse(entry.value);
    const record = entry.value as Record<string, unknown>;
    if (!parsed.success || typeof record['output'] !== 'string') {
      throw new InputError([{ file: input.path, record: index, line: entry.line, reason: 'not an evaluation result (needs the question fields and a string "output")' }]);
    }
    const output = record['output'];
    const stored = typeof record['accuracy'] === 'number' ? record['accuracy'] : null;
    // Multiple choice is recomputed with the evaluator's rule; other types keep their stored value.
    const isMultipleChoice = parsed.data.problem_type.trim().toLowerCase() === 'multiple choice';
    const accuracy = isMultipleChoice ? multipleChoiceAccuracy(output, parsed.data.solution) : (stored ?? 0);
    if (stored !== null && stored !== accuracy) mismatches++;
    rows.push({ problem_type: parsed.data.problem_type, accuracy, problem_id: String(parsed.data.problem_id) });
    const normalized = normalizeRecord('eval', entry.value);
    const primitive = normalized.ok ? (normalized.record.sample.primitive ?? primitiveFromQuestion(parsed.data.problem)) : null;
    if (primitive && normalized.ok) {
      const truthOption = parsed.data.options.find((option) => letterOfOption(option) === normalized.record.sample.answer);
      const truth = truthOption === undefined ? null : yesNoOfOption(truthOption);
      const letter = (Array.from(predictionOf(output).trim())[0] ?? '').toUpperCase();
      const chosen = parsed.data.options.find((option) => letterOfOption(option) === letter);
      if (truth !== null) {
        const list = letterScores.get(primitive) ?? [];
        list.push({
          video_path: parsed.data.path,
          question: parsed.data.problem,
          ground_truth_label: truth === 'yes' ? 'Yes' : 'No',
          method: 'letters',
          score: chosen !== undefined && yesNoOfOption(chosen) === 'yes' ? 1 : 0,
          error: null,
        });
        letterScores.set(primitive, list);
      }
    }
  });
  const byPrimitive = accuracyByPrimitive(rows).primitives;
  const perSplit: Partial<Record<Primitive, CameraBenchSplitResult>> = {};
  for (const [primitive, scores] of letterScores) {
    const result = evaluateScoreFile({ scores }, primitive);
    if (result) perSplit[primitive] = result;
  }
  return {
    file: input.path,
    count: rows.length,
    metrics: evaluationMetrics(rows),
    mismatches,
    byPrimitive,
    cameraBench: letterScores.size > 0 ? { splits: perSplit, table: table1(perSplit) } : null,
  };
}

export function scoreCameraBench(inputs: readonly InputFile[]) {
  const splits: CameraBenchSplitResult[] = [];
  for (const input of inputs) {
    const scores: CameraBenchScoreRow[] = input.records.map((entry, index) => {
      const parsed = cameraBenchScore.safeParse(entry.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError([{ file: input.path, record: index, line: entry.line, ...(issue?.path.length ? { field: issue.path.join('.') } : {}), reason: issue?.message ?? 'invalid score' }]);
      }
      return { ...parsed.data, method: parsed.data.method ?? '', score: parsed.data.score ?? NaN };
    });
    const metadata = (input.container?.['metadata'] ?? {}) as Record<string, unknown>;
    const splitName = typeof metadata['split_name'] === 'string' ? metadata['split_name'] : undefined;
    const result = evaluateScoreFile({ metadata: splitName === undefined ? {} : { split_name: splitName }, scores }, basename(input.path, extname(input.path)));
    if (result) splits.push(result);
  }
  const summary = summarizeSplits(splits);
  const byPrimitive: Partial<Record<Primitive, CameraBenchSplitResult>> = {};
  for (const split of splits) if (isPrimitive(split.split_name)) byPrimitive[split.split_name] = split;
  const isTable = Object.keys(byPrimitive).length > 0;
  return { splits, summary, table: isTable ? table1(byPrimitive) : null };
}
