import { exportProject, type ExportFormat } from '../../../backend/formats/exportFiles';
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
  json?: boolean;
}

export async function run(project: string, options: Options): Promise<void> {
  const runId = options.run === undefined ? undefined : Number(options.run);
  if (runId !== undefined && !Number.isInteger(runId)) throw new UsageError(`--run must be a run number, not "${options.run}"`);
  const db = openProject(project, { readonly: true });
  const progress = await startProgress('exporting', options.json === true);
  try {
    const report = exportProject(db, {
      format: options.format,
      out: options.out,
      split: options.split,
      status: options.status,
      run: runId,
      datasetName: options.name,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (options.json) {
      printJson({ ok: true, ...report });
      return;
    }
    const lines = [
      `wrote ${report.records} ${report.format} records${report.run === undefined ? '' : ` of run ${report.run}`} (${report.verbatim} unchanged, ${report.changed} edited, ${report.fresh} new)`,
      ...(report.errors ? [`  ${report.errors} failed generation(s) written as eval_bench writes them: <answer>ERROR</answer>`] : []),
      ...report.files.map((file) => `  ${file}`),
      ...report.skipped.map((skip) => `  skipped ${skip.count}: ${skip.reason}`),
    ];
    printLines(lines);
  } finally {
    progress.stop();
    db.close();
  }
}
