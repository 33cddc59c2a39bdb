// `frustum probe PROJECT` probes every clip that has a file and stores the result or the
// reason it failed; `frustum probe FILE...` prints the probe of loose files. Bad clips are
// findings, not failures: the batch goes on and each is reported with its reason.
import { InputError } from '../../../common/errors';
import { mapPool, probeClip, resolveFfmpeg, type ClipProbe, type ProbeResult } from '../../../backend/media/index';
import { probeProjectClips } from '../../../backend/media/probeProject';
import { hasSqliteHeader, openProject } from '../../../db/connection';
import { EXIT } from '../failure';
import { printJson, printLines } from '../output';
import { startProgress } from '../progress';

export interface ProbeCommandOptions {
  json?: boolean;
  /** Probe clips again even when their file has not changed since the last probe. */
  force?: boolean;
  concurrency?: string;
}

function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 64) throw new InputError([{ file: '--concurrency', reason: `must be a whole number from 1 to 64, got ${text}` }]);
  return value;
}

/** Ctrl-C cancels the batch (killing running ffmpeg/ffprobe); what finished is kept. */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onInterrupt) };
}

export function describeProbe(probe: ClipProbe): string {
  const rate = probe.isVariableFrameRate ? `variable rate, ~${probe.averageFrameRate.toFixed(2)} fps` : `${Number(probe.averageFrameRate.toFixed(3))} fps`;
  const size = `${probe.width}×${probe.height}`;
  const shown = probe.rotation !== 0 ? `${size} shown ${probe.displayWidth}×${probe.displayHeight} (rotated ${probe.rotation}°)` : size;
  const bitRate = probe.bitRate !== null ? `, ${(probe.bitRate / 1e6).toFixed(2)} Mb/s` : '';
  const frames = `${probe.frameCount} frames${probe.frameCountMethod === 'duration' ? ' (estimated)' : ''}`;
  return `${probe.durationSeconds.toFixed(2)} s, ${rate}, ${frames}, ${shown}, ${probe.codec} ${probe.pixelFormat ?? ''}`.trimEnd() + `${probe.hasAudio ? ', audio' : ''}${bitRate}`;
}

export async function run(paths: string[], options: ProbeCommandOptions): Promise<void> {
  const concurrency = parseConcurrency(options.concurrency);
  // Fail early and once when no ffprobe exists, rather than once per clip.
  await resolveFfmpeg();
  if (paths.length === 1 && hasSqliteHeader(paths[0] as string)) await probeProject(paths[0] as string, options, concurrency);
  else await probeFiles(paths, options, concurrency);
}

async function probeFiles(paths: string[], options: ProbeCommandOptions, concurrency: number | undefined): Promise<void> {
  const interrupt = interruptSignal();
  const progress = await startProgress('probing', options.json === true);
  let results: ProbeResult[];
  try {
    results = await mapPool(paths, (path) => probeClip(path, { signal: interrupt.signal }), {
      concurrency,
      signal: interrupt.signal,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  const failed = results.filter((result) => !result.ok).length;
  // Like bad input elsewhere: every file is reported, and any failure makes the exit code 1.
  process.exitCode = failed > 0 ? EXIT.input : EXIT.ok;
  if (options.json) {
    printJson({
      ok: failed === 0,
      files: results.map((result, index) => (result.ok ? { file: paths[index], ok: true, probe: result.probe } : { file: paths[index], ok: false, reason: result.reason })),
    });
    return;
  }
  printLines(results.map((result, index) => `${paths[index]}: ${result.ok ? describeProbe(result.probe) : `error: ${result.reason}`}`));
}

async function probeProject(project: string, options: ProbeCommandOptions, concurrency: number | undefined): Promise<void> {
  const db = openProject(project);
  const interrupt = interruptSignal();
  const progress = await startProgress('probing clips', options.json === true);
  try {
    const report = await probeProjectClips(db, {
      force: options.force === true,
      concurrency,
      signal: interrupt.signal,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    const { clips, probed, unchanged, withoutFile, problems, wasInterrupted } = report;
    if (wasInterrupted) process.exitCode = 130;
    if (options.json) {
      printJson({ ok: !wasInterrupted, clips, probed, unchanged, withoutFile, problems, ...(wasInterrupted ? { interrupted: true } : {}) });
      return;
    }
    const shown = problems.slice(0, 20).map((problem) => `  ${problem.file}: ${problem.reason}`);
    const more = problems.length > 20 ? [`  … and ${problems.length - 20} more`] : [];
    printLines([
      `${wasInterrupted ? 'interrupted: ' : ''}probed ${probed} clip(s), ${unchanged} unchanged, ${problems.length} with problems, ${withoutFile} without a file (of ${clips})`,
      ...shown,
      ...more,
    ]);
  } finally {
    progress.stop();
    interrupt.dispose();
    db.close();
  }
}
