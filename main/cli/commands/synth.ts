// `frustum synth --out DIR --count N --seed S [--size WxH] [--fps F] [--duration SECONDS]`:
// synthetic clips with exact ground truth and records in every format `frustum import` reads.
import { UsageError } from '../../../common/errors';
import { DEFAULTS, synthesize } from '../../../backend/motion/synth/synthesize';
import { printJson, printLines, table } from '../output';
import { startProgress } from '../progress';

export interface SynthCommandOptions {
  out: string;
  count: string;
  seed: string;
  size?: string;
  fps?: string;
  duration?: string;
  json?: boolean;
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} must be a whole number, got "${text}"`);
  return Number(text);
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number, got "${text}"`);
  return value;
}

export function parseSize(text: string): { width: number; height: number } {
  const match = /^\s*(\d+)\s*[xX×]\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`--size must look like 480x272, got "${text}"`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

export async function run(options: SynthCommandOptions): Promise<void> {
  const size = options.size === undefined ? { width: DEFAULTS.width, height: DEFAULTS.height } : parseSize(options.size);
  const isJson = options.json === true;
  const progress = await startProgress('rendering frames', isJson);
  // Ctrl-C stops the workers and ffmpeg and removes the partial clips instead of leaving them.
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new UsageError('interrupted'));
  process.once('SIGINT', onInterrupt);
  try {
    const report = await synthesize({
      out: options.out,
      count: wholeNumber('--count', options.count),
      seed: wholeNumber('--seed', options.seed),
      ...size,
      fps: options.fps === undefined ? DEFAULTS.fps : positiveNumber('--fps', options.fps),
      durationSeconds: options.duration === undefined ? DEFAULTS.durationSeconds : positiveNumber('--duration', options.duration),
      signal: controller.signal,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    const byKind = new Map<string, number>();
    for (const clip of report.clips) byKind.set(clip.program.kind, (byKind.get(clip.program.kind) ?? 0) + 1);
    if (isJson) {
      printJson({
        ok: true,
        out: report.out,
        clips: report.clips.length,
        frames: report.frames,
        seconds: Math.round(report.elapsedMs) / 1000,
        files: report.files,
        byKind: Object.fromEntries(byKind),
      });
      return;
    }
    printLines([
      `wrote ${report.clips.length} clip(s), ${report.frames} frames, to ${report.out} in ${(report.elapsedMs / 1000).toFixed(1)} s`,
      ...table([
        ['clips', 'clips/*.mp4'],
        ['ground truth', 'ground_truth/*.json'],
        ['evaluation', report.files.questions],
        ['SFT', report.files.sft],
        ['RL', report.files.rl],
        ['CameraBench', 'camerabench/<Primitive>.jsonl'],
      ]),
      `import with: frustum import PROJECT ${report.out}/questions.json ${report.out}/sft.json ${report.out}/rl.json --videos ${report.out}`,
    ]);
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onInterrupt);
  }
}
