// `frustum eval`: a run scored as each benchmark it holds items of (backend/evaluation/report.ts,
// the studio's Evaluate view): each table in its benchmark's own layout with the run's rows, the
// baselines computed on the same items and the published rows, each row's basis (what its numbers
// are) below it, the confusable-pair matrices, the notes saying what is comparable, and the
// run's lineage.
import { BENCHMARKS, type BenchmarkName, type ConfusionMatrix, type EvalReport, type EvalTable, type RunLineage } from '../../../common/api/contract';
import { UsageError } from '../../../common/errors';
import { openAIJudge, type Judge } from '../../../backend/evaluation/judge';
import { evaluateRun } from '../../../backend/evaluation/report';
import { openProject } from '../../../db/connection';
import { getRun, listRuns } from '../../../db/runs';
import { printJson, printLines } from '../output';

interface Options {
  run?: string;
  benchmark?: string;
  json?: boolean;
  judgeEndpoint?: string;
  judgeModel?: string;
  judgeApiKeyEnv?: string;
}

function judgeOf(options: Options): Judge | null {
  if (options.judgeEndpoint === undefined && options.judgeModel === undefined) {
    if (options.judgeApiKeyEnv !== undefined) throw new UsageError('--judge-api-key-env needs --judge-endpoint and --judge-model');
    return null;
  }
  if (options.judgeEndpoint === undefined || options.judgeModel === undefined) throw new UsageError('a judge needs both --judge-endpoint URL and --judge-model NAME');
  if (options.judgeApiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.judgeApiKeyEnv)) {
    throw new UsageError(`--judge-api-key-env takes the NAME of an environment variable, not "${options.judgeApiKeyEnv}"`);
  }
  return openAIJudge({
    endpoint: options.judgeEndpoint,
    model: options.judgeModel,
    ...(options.judgeApiKeyEnv !== undefined ? { apiKeyEnv: options.judgeApiKeyEnv } : {}),
  });
}

export async function run(project: string, options: Options): Promise<void> {
  const runId = options.run === undefined ? undefined : Number(options.run);
  if (runId !== undefined && !(Number.isInteger(runId) && runId > 0)) throw new UsageError(`--run must be a run number, not "${options.run}"`);
  const benchmark = options.benchmark as BenchmarkName | undefined;
  if (benchmark !== undefined && !(BENCHMARKS as readonly string[]).includes(benchmark)) throw new UsageError(`--benchmark must be one of ${BENCHMARKS.join(', ')}`);
  const judge = judgeOf(options);
  const db = openProject(project, { readonly: true });
  try {
    const runs = listRuns(db);
    const chosen = runId === undefined ? runs.at(-1) : getRun(db, runId);
    if (chosen === undefined) {
      throw new UsageError(runId === undefined
        ? 'this project has no runs yet: import a results or score file, or ask a model (frustum infer)'
        : `no run ${runId}; runs: ${runs.map((row) => row.id).join(', ') || 'none'}`);
    }
    const result = await evaluateRun(db, project, chosen, { ...(benchmark !== undefined ? { benchmark } : {}), judge });
    if (options.json) {
      printJson(result);
      return;
    }
    const lines: string[] = [];
    if (result.reports.length === 0) lines.push(`run ${chosen.id} holds no benchmark items: import a benchmark's question set (frustum import --format camerabench|camerabench-vqa|…) and ask the model its questions`);
    for (const report of result.reports) lines.push(...reportLines(report, result.lineage.kind), '');
    lines.push(...lineageLines(result.lineage));
    printLines(lines);
  } finally {
    db.close();
  }
}

const SOURCE_WORDS: Record<EvalReport['scoreSource'], string> = {
  probabilities: 'scores are P(Yes) at the answer token',
  answers: 'scored from the answers (a Yes/No answer as 1/0): no log-probs',
  mixed: 'scores are P(Yes) where the run has log-probs, the answer (1/0) elsewhere',
  'not-applicable': 'graded by the answers',
};

function reportLines(report: EvalReport, runKind: RunLineage['kind']): string[] {
  const source = runKind === 'scores' && report.scoreSource === 'probabilities' ? "scores are the score file's" : SOURCE_WORDS[report.scoreSource];
  const lines = [`== ${report.benchmark}: run ${report.runId} (${report.model}), ${report.items} items, ${report.answered} answered; ${source}`];
  for (const table of report.tables) lines.push('', ...tableLines(table));
  for (const matrix of report.matrices) lines.push('', ...matrixLines(matrix));
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((note) => `  - ${note}`));
  return lines;
}

const KIND_MARK: Record<EvalTable['rows'][number]['kind'], string> = { run: ' ', baseline: '~', published: '*' };

/** The table as aligned text: labels left, values right, "-" for an empty cell; then each row's basis by number. */
export function tableLines(table: EvalTable): string[] {
  const header = ['', ...table.columns.map((column) => column.label)];
  const body = table.rows.map((row, index) => [
    `${KIND_MARK[row.kind]} [${index + 1}] ${row.label}`,
    ...table.columns.map((_, column) => row.cells[column]?.display ?? '-'),
  ]);
  const grid = [header, ...body];
  const widths = header.map((_, column) => Math.max(...grid.map((cells) => (cells[column] ?? '').length)));
  const lines = [table.title];
  for (const cells of grid) {
    lines.push(cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd());
  }
  if (table.rows.length === 0) lines.push('  (no rows: nothing of this benchmark was answered)');
  lines.push('  rows (~ baseline computed on these items, * published):');
  // Rows one after another with the same basis (published rows of one source) share one line.
  for (let first = 0; first < table.rows.length;) {
    let last = first;
    while (last + 1 < table.rows.length && table.rows[last + 1]?.basis === table.rows[first]?.basis) last += 1;
    lines.push(`    [${first + 1}${last > first ? `–${last + 1}` : ''}] ${table.rows[first]?.basis ?? ''}`);
    first = last + 1;
  }
  for (const note of table.notes) lines.push(`  note: ${note}`);
  return lines;
}

function matrixLines(matrix: ConfusionMatrix): string[] {
  const grid = [['', ...matrix.columnLabels], ...matrix.rowLabels.map((label, row) => [label, ...(matrix.counts[row] ?? []).map(String)])];
  const widths = grid[0]?.map((_, column) => Math.max(...grid.map((cells) => (cells[column] ?? '').length))) ?? [];
  return [
    `Confusable pair — ${matrix.title}`,
    ...grid.map((cells) => `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd()}`),
    ...matrix.notes.map((note) => `  note: ${note}`),
  ];
}

function lineageLines(lineage: RunLineage): string[] {
  const lines = [`Lineage of run ${lineage.runId} (${lineage.kind}, created ${lineage.createdAt})`];
  if (lineage.trainJob !== null) {
    const job = lineage.trainJob;
    lines.push(`  dataset snapshot of training job ${job.jobId}: ${job.snapshotHash ?? 'unknown (no run.json)'}${job.samples !== null ? ` (${job.samples} samples)` : ''}`);
    lines.push(`  training job ${job.jobId}: ${job.engine} ${job.objective}, run folder ${job.runFolder}`);
  }
  if (lineage.checkpoint !== null) lines.push(`  checkpoint: ${lineage.checkpoint}`);
  lines.push(`  model: ${lineage.model}`);
  if (lineage.settings !== null) {
    const settings = lineage.settings;
    const frames = settings.engine === 'openai' ? `, frames ${settings.frames.sampling} ${settings.frames.fps} fps ≤ ${settings.frames.maxFrames} as ${settings.frames.parts}` : '';
    lines.push(`  settings: ${settings.engine}${settings.endpoint !== undefined ? ` ${settings.endpoint}` : ''}, temperature ${settings.temperature}, max tokens ${settings.maxTokens}${frames}`);
  }
  if (lineage.snapshotHash !== null) lines.push(`  samples asked (snapshot): ${lineage.snapshotHash}`);
  if (lineage.filter !== null) lines.push(`  chosen with filter: ${JSON.stringify(lineage.filter)}`);
  if (lineage.source !== null) lines.push(`  imported from: ${lineage.source}`);
  return lines;
}
