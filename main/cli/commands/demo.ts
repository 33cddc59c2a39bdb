// `frustum demo [PROJECT]`: builds the embedded demo project (backend/demo/createDemo.ts).
import { relative } from 'node:path';
import { UsageError } from '../../../common/errors';
import { createDemo } from '../../../backend/demo/createDemo';
import { printJson, printLines, table } from '../output';
import { startProgress } from '../progress';

export interface DemoCommandOptions {
  force?: boolean;
  count?: string;
  seed?: string;
  json?: boolean;
}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) === 0) throw new UsageError(`${flag} must be a positive whole number, got "${text}"`);
  return Number(text);
}

export async function run(project: string, options: DemoCommandOptions): Promise<void> {
  const isJson = options.json === true;
  const count = wholeNumber('--count', options.count);
  const seed = wholeNumber('--seed', options.seed);
  const progress = await startProgress('rendering frames', isJson);
  const report = await createDemo({
    project,
    force: options.force === true,
    ...(count !== undefined ? { count } : {}),
    ...(seed !== undefined ? { seed } : {}),
    onStep: (step) => {
      if (!isJson) process.stderr.write(`${step}…\n`);
    },
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  if (isJson) {
    printJson({ ok: true, ...report });
    return;
  }
  const shown = relative(process.cwd(), report.project) || report.project;
  printLines([
    `demo project ready: ${shown}`,
    ...table([
      ['clips rendered', `${report.synth.clips} (${report.synth.frames} frames in ${(report.synth.elapsedMs / 1000).toFixed(1)} s)`],
      ['samples', report.imported.samplesAdded],
      ['O-T-A chains', report.imported.chainsAdded],
      ['clips probed', `${report.probed.probed}${report.probed.problems.length ? `, ${report.probed.problems.length} with problems` : ''}`],
      ['clips analyzed', `${report.analyzed.clips.analyzed + report.analyzed.clips.reused}${report.analyzed.failures.length ? `, ${report.analyzed.failures.length} failed` : ''}`],
    ]),
    `next: frustum stats ${shown}   ·   frustum export ${shown} --format sft --out train.json`,
  ]);
}
