// Analysis of clip files: decode grayscale frames at the analysis rate and size (backend/media),
// then track. opencv.js runs on this thread, one pair at a time; what overlaps across clips is
// decoding (ffmpeg child processes, up to `concurrency` at once) with tracking. A single clip
// (analyzeClip) is tracked while it decodes (backend/media openGrayFrameStream).
import { openGrayFrameStream, readGrayFrames, type ClipProbe } from '../../media';
import type { MotionReading } from '../../../common/motion/reading';
import { ANALYSIS_DEFAULTS, analyzeFramesWithEvidence, createFrameAnalyzer, type FrameAnalyzer, type ReadingWithEvidence } from './analyzeFrames';

export interface ClipAnalysisOptions {
  /** Sampling rate, frames per second (default 8). */
  fps?: number;
  /** Analysis width in pixels (default 320); the height follows the aspect ratio. */
  width?: number;
  /** Horizontal field of view, degrees; 'auto' or left out: read from each clip (common/motion/fieldOfView). */
  fovDegrees?: number | 'auto';
  /** Clips decoding at once while one is tracked (default 2). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each clip finishes, in completion order. */
  onClip?: (result: ClipAnalysis, done: number, total: number) => void;
}

/** A clip by path, optionally with its probe as the store already has it (saves an ffprobe run). */
export type ClipInput = string | { path: string; probe?: ClipProbe };

/** The field of view the frame analyzer is given: none when it is to read it from the clip. */
function givenFov(setting: number | 'auto' | undefined): number | undefined {
  return setting === 'auto' ? undefined : setting;
}

function sourceOf(input: ClipInput): { path: string; probe?: ClipProbe } {
  return typeof input === 'string' ? { path: input } : input;
}

export type ClipAnalysis =
  | { path: string; ok: true; reading: MotionReading }
  | { path: string; ok: false; error: string };

/** A clip's analysis with its motion evidence (./evidence.ts), one vector per frame pair. */
export type ClipAnalysisWithEvidence =
  | { path: string; ok: true; reading: MotionReading; evidence: Float32Array[] }
  | { path: string; ok: false; error: string };

type SingleClipOptions = Omit<ClipAnalysisOptions, 'concurrency' | 'onClip'>;

export async function analyzeClip(clip: ClipInput, options: SingleClipOptions = {}): Promise<MotionReading> {
  return trackClip(clip, options, (analyzer) => analyzer.finish());
}

/** analyzeClip with the motion evidence of each pair, from the same tracking pass. */
export async function analyzeClipWithEvidence(clip: ClipInput, options: SingleClipOptions = {}): Promise<ReadingWithEvidence> {
  return trackClip(clip, options, (analyzer) => ({ reading: analyzer.finish(), evidence: analyzer.evidence() }));
}

/** Only the motion evidence: the reading (its lens estimate and re-measuring) is skipped. */
export async function clipEvidence(clip: ClipInput, options: Omit<SingleClipOptions, 'fovDegrees'> = {}): Promise<Float32Array[]> {
  return trackClip(clip, options, (analyzer) => analyzer.evidence());
}

/** Decodes and tracks every frame of a clip, then hands the analyzer to `use` (and closes it). */
async function trackClip<T>(clip: ClipInput, options: SingleClipOptions, use: (analyzer: FrameAnalyzer) => T): Promise<T> {
  const fps = options.fps ?? ANALYSIS_DEFAULTS.fps;
  const { path, probe } = sourceOf(clip);
  const stream = await openGrayFrameStream(path, { fps, width: options.width ?? ANALYSIS_DEFAULTS.width, signal: options.signal, ...(probe ? { probe } : {}) });
  const analyzer = await createFrameAnalyzer({ width: stream.width, height: stream.height, fps, fovDegrees: givenFov(options.fovDegrees) }, { signal: options.signal });
  // Frames queue up as ffmpeg writes them and are tracked one per turn of the event loop, so
  // the pipe is read between pairs and ffmpeg never waits for the tracker (pushing inside the
  // data callback would stall it behind a pipe buffer of about one frame).
  const queue: Uint8Array[] = [];
  let wake: (() => void) | null = null;
  let isDecoded = false;
  let failure: { error: unknown } | null = null;
  const decoding = stream.run((frame) => {
    queue.push(frame);
    wake?.();
  }).then(
    () => undefined,
    (error: unknown) => {
      failure = { error };
    },
  ).finally(() => {
    isDecoded = true;
    wake?.();
  });
  try {
    for (;;) {
      const frame = queue.shift();
      if (frame !== undefined) {
        analyzer.push(frame);
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (isDecoded) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
    await decoding;
    if (failure !== null) throw (failure as { error: unknown }).error;
    return use(analyzer);
  } finally {
    analyzer.close();
  }
}

/**
 * Every clip, in input order. A clip that cannot be decoded or analyzed becomes an error entry
 * (the score files mark its rows with it) instead of failing the batch; an abort still throws.
 */
export async function analyzeClips(clips: readonly ClipInput[], options: ClipAnalysisOptions = {}): Promise<ClipAnalysis[]> {
  // The evidence is dropped here, not only not printed: `frustum analyze --json` writes these results as they are.
  const { onClip } = options;
  const results = await analyzeClipsWithEvidence(clips, { ...options, ...(onClip ? { onClip: (result, done, total) => onClip(withoutEvidence(result), done, total) } : {}) });
  return results.map(withoutEvidence);
}

function withoutEvidence(result: ClipAnalysisWithEvidence): ClipAnalysis {
  return result.ok ? { path: result.path, ok: true, reading: result.reading } : result;
}

/** analyzeClips with each clip's motion evidence, from the same tracking pass. */
export async function analyzeClipsWithEvidence(
  clips: readonly ClipInput[],
  options: Omit<ClipAnalysisOptions, 'onClip'> & { onClip?: (result: ClipAnalysisWithEvidence, done: number, total: number) => void } = {},
): Promise<ClipAnalysisWithEvidence[]> {
  const sources = clips.map(sourceOf);
  const fps = options.fps ?? ANALYSIS_DEFAULTS.fps;
  const width = options.width ?? ANALYSIS_DEFAULTS.width;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const results: ClipAnalysisWithEvidence[] = new Array(sources.length);
  let done = 0;
  // Decoding runs ahead by `concurrency` clips; tracking takes them one by one, in order.
  const decodes = new Map<number, ReturnType<typeof readGrayFrames>>();
  const startDecode = (index: number) => {
    const source = sources[index];
    if (source === undefined || decodes.has(index)) return;
    const decoding = readGrayFrames(source.path, { fps, width, signal: options.signal, ...(source.probe ? { probe: source.probe } : {}) });
    decoding.catch(() => undefined);
    decodes.set(index, decoding);
  };
  for (let index = 0; index < Math.min(concurrency, sources.length); index += 1) startDecode(index);
  for (let index = 0; index < sources.length; index += 1) {
    options.signal?.throwIfAborted();
    const { path } = sources[index]!;
    startDecode(index);
    let result: ClipAnalysisWithEvidence;
    try {
      const decoded = await decodes.get(index)!;
      decodes.delete(index);
      startDecode(index + concurrency);
      const { reading, evidence } = await analyzeFramesWithEvidence({ ...decoded, fovDegrees: givenFov(options.fovDegrees) }, { signal: options.signal });
      result = { path, ok: true, reading, evidence };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      decodes.delete(index);
      startDecode(index + concurrency);
      result = { path, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    results[index] = result;
    done += 1;
    options.onClip?.(result, done, sources.length);
  }
  return results;
}
