import { exportProjectAsync, type ExportFormat } from '../../../backend/formats/exportFiles';
import { BENCHMARKS, type Benchmark } from '../../../common/formats/benchmarks';
import { UsageError } from '../../../common/errors';
import { openProject } from '../../../db/connection';
import { printJson, printLines } from '../output';
import { startProgress } from '../progress';

interface Options {
  format: ExportFormat;
  out: string;
  split?: string;
  status?: string;
  run?: string;
  name?: string;
  benchmark?: string;
  perTask?: boolean;
  videoDir?: string;
  json?: boolean;
}

export async function run(project: string, options: Options): Promise<void> {
  const runId = options.run === undefined ? undefined : Number(options.run);
  if (runId !== undefined && !Number.isInteger(runId)) throw new UsageError(`--run must be a run number, not "${options.run}"`);
  const benchmark = options.benchmark;
  if (benchmark !== undefined && !BENCHMARKS.includes(benchmark as Benchmark)) throw new UsageError(`--benchmark must be one of ${BENCHMARKS.join(', ')}, not "${benchmark}"`);
  const db = openProject(project, { readonly: true });
  const progress = await startProgress('exporting', options.json === true);
  try {
    const report = await exportProjectAsync(db, {
      format: options.format,
      out: options.out,
      split: options.split,
      status: options.status,
      run: runId,
      datasetName: options.name,
      benchmark: benchmark as Benchmark | undefined,
      isPerTask: options.perTask,
      videoDir: options.videoDir,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (options.json) {
      printJson({ ok: true, ...report });
      return;
    }
    const lines = [
      `wrote ${report.records} ${report.format} records${report.run === undefined ? '' : ` of run ${report.run}`}${isFromSources(report.format) ? ` (${report.verbatim} unchanged, ${report.changed} edited, ${report.fresh} new)` : ''}`,
      ...(report.format === 'results' && report.errors ? [`  ${report.errors} failed generation(s) written as eval_bench writes them: <answer>ERROR</answer>`] : []),
      ...(report.notes ?? []).map((note) => `  ${note}`),
      ...report.files.map((file) => `  ${file}`),
      ...report.skipped.map((skip) => `  skipped ${skip.count}: ${skip.reason}`),
    ];
    printLines(lines);
  } finally {
    progress.stop();
    db.close();
  }
}

/** Formats whose records may be the imported ones again (the others are written fresh from a run). */
function isFromSources(format: ExportFormat): boolean {
  return format !== 'camerabench-scores' && format !== 'camerabench-vqa-scores' && format !== 'camerabench-caption-results' && format !== 'vlmevalkit';
}
