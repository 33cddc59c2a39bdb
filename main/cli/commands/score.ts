import { InputError } from '../../../common/errors';
import { formatTable1 } from '../../../common/metrics/camerabench';
import { scoreCameraBench, scoreResults } from '../../../backend/evaluation/score';
import { readInputFile } from '../../../backend/formats/readInput';
import { percent, printJson, printLines, table } from '../output';

export function run(files: string[], options: { json?: boolean }): void {
  const inputs = files.map((file) => readInputFile(file));
  const results = inputs.filter((input) => input.format === 'results');
  const scoreFiles = inputs.filter((input) => input.format === 'camerabench-scores');
  const others = inputs.filter((input) => input.format !== 'results' && input.format !== 'camerabench-scores');
  if (others.length > 0) {
    throw new InputError(
      others.map((input) => ({
        file: input.path,
        reason: `is a ${input.format} file; score takes evaluation results (CamReasoner evaluator output) or CameraBench score files`,
      })),
    );
  }
  const evaluation = results.map(scoreResults);
  const cameraBench = scoreFiles.length > 0 ? scoreCameraBench(scoreFiles) : null;
  if (options.json) {
    printJson({ results: evaluation, camerabench: cameraBench });
    return;
  }
  const lines: string[] = [];
  for (const result of evaluation) {
    lines.push(`${result.file}: ${result.count} results`);
    lines.push(...table(Object.entries(result.metrics).map(([key, value]) => [key, percent(value, 2)])));
    if (result.mismatches > 0) lines.push(`  ! ${result.mismatches} record(s) carry an "accuracy" that differs from the evaluator's rule`);
    lines.push('  accuracy by primitive');
    lines.push(...table(result.byPrimitive.map((row) => [row.primitive, `${percent(row.accuracy)}  (${row.correct}/${row.count})`]), '    '));
    if (result.cameraBench) {
      lines.push('  CameraBench average precision from the letters (score 1/0), %');
      lines.push(...formatTable1(result.cameraBench.table, 'ap').split('\n').map((line) => `    ${line}`));
    }
  }
  if (cameraBench) {
    lines.push(...cameraBench.splits.map((split) => `${split.split_name}: AP ${percent(split.average_precision)}  AUC ${percent(split.roc_auc)}  (${split.num_samples} samples, ${split.num_positive}+/${split.num_negative}-)`));
    if (cameraBench.summary) {
      lines.push(`mean over ${cameraBench.summary.evaluated_splits} splits: AP ${percent(cameraBench.summary.mean_average_precision)}  AUC ${percent(cameraBench.summary.mean_roc_auc)}`);
    }
    if (cameraBench.table) {
      lines.push('average precision, %', formatTable1(cameraBench.table, 'ap'), 'ROC AUC, %', formatTable1(cameraBench.table, 'auc'));
    }
  }
  printLines(lines);
}
