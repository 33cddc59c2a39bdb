import { importFiles } from '../../../backend/formats/importFiles';
import type { FormatChoice } from '../../../backend/formats/readInput';
import { openProject } from '../../../db/connection';
import { printJson, printLines, table } from '../output';
import { startProgress } from '../progress';

interface Options {
  format: FormatChoice;
  videos?: string;
  split?: string;
  json?: boolean;
}

export async function run(project: string, files: string[], options: Options): Promise<void> {
  const db = openProject(project);
  const progress = await startProgress('importing', options.json === true);
  try {
    const report = importFiles(db, files, {
      format: options.format,
      ...(options.videos !== undefined ? { videosDir: options.videos } : {}),
      ...(options.split !== undefined ? { split: options.split } : {}),
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (options.json) {
      printJson({ ok: true, ...report });
      return;
    }
    const lines = report.files.map(
      (file) => `${file.skipped ? 'skipped' : 'imported'} ${file.path} (${file.format}, ${file.records} records)${file.reason ? `: ${file.reason}` : ''}`,
    );
    lines.push(
      ...table([
        ['samples added', report.samplesAdded],
        ['samples merged', report.samplesMerged],
        ['unchanged (already in project)', report.unchanged],
        ['chains added', report.chainsAdded],
        ['clips added', report.clipsAdded],
        ['clips missing on disk', report.clipsMissing],
        ['predictions', report.predictions],
        ['benchmark items added', report.benchmarkItems],
      ]),
    );
    lines.push(...report.notes);
    if (report.clipsMissing > 0) lines.push(`clips not found are kept as missing; point them at a folder later with: frustum relink ${project} <dir>`);
    printLines(lines);
  } finally {
    progress.stop();
    db.close();
  }
}
