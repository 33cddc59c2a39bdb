// Analysis of clip files: decode grayscale frames at the analysis rate and size (backend/media),
// then track. opencv.js runs on this thread, one pair at a time; what overlaps across clips is
// decoding (ffmpeg child processes, up to `concurrency` at once) with tracking.
import { readGrayFrames } from '../../media';
import type { MotionReading } from '../../../common/motion/reading';
import { ANALYSIS_DEFAULTS, analyzeFrames } from './analyzeFrames';

export interface ClipAnalysisOptions {
  /** Sampling rate, frames per second (default 8). */
  fps?: number;
  /** Analysis width in pixels (default 320); the height follows the aspect ratio. */
  width?: number;
  fovDegrees?: number;
  /** Clips decoding at once while one is tracked (default 2). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each clip finishes, in completion order. */
  onClip?: (result: ClipAnalysis, done: number, total: number) => void;
}

export type ClipAnalysis =
  | { path: string; ok: true; reading: MotionReading }
  | { path: string; ok: false; error: string };

export async function analyzeClip(path: string, options: Omit<ClipAnalysisOptions, 'concurrency' | 'onClip'> = {}): Promise<MotionReading> {
  const fps = options.fps ?? ANALYSIS_DEFAULTS.fps;
  const decoded = await readGrayFrames(path, { fps, width: options.width ?? ANALYSIS_DEFAULTS.width, signal: options.signal });
  return analyzeFrames({ ...decoded, fovDegrees: options.fovDegrees }, { signal: options.signal });
}

/**
 * Every clip, in input order. A clip that cannot be decoded or analyzed becomes an error entry
 * (the score files mark its rows with it) instead of failing the batch; an abort still throws.
 */
export async function analyzeClips(paths: readonly string[], options: ClipAnalysisOptions = {}): Promise<ClipAnalysis[]> {
  const fps = options.fps ?? ANALYSIS_DEFAULTS.fps;
  const width = options.width ?? ANALYSIS_DEFAULTS.width;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const results: ClipAnalysis[] = new Array(paths.length);
  let done = 0;
  // Decoding runs ahead by `concurrency` clips; tracking takes them one by one, in order.
  const decodes = new Map<number, ReturnType<typeof readGrayFrames>>();
  const startDecode = (index: number) => {
    const path = paths[index];
    if (path === undefined || decodes.has(index)) return;
    const decoding = readGrayFrames(path, { fps, width, signal: options.signal });
    decoding.catch(() => undefined);
    decodes.set(index, decoding);
  };
  for (let index = 0; index < Math.min(concurrency, paths.length); index += 1) startDecode(index);
  for (let index = 0; index < paths.length; index += 1) {
    options.signal?.throwIfAborted();
    const path = paths[index]!;
    startDecode(index);
    let result: ClipAnalysis;
    try {
      const decoded = await decodes.get(index)!;
      decodes.delete(index);
      startDecode(index + concurrency);
      const reading = await analyzeFrames({ ...decoded, fovDegrees: options.fovDegrees }, { signal: options.signal });
      result = { path, ok: true, reading };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      decodes.delete(index);
      startDecode(index + concurrency);
      result = { path, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    results[index] = result;
    done += 1;
    options.onClip?.(result, done, paths.length);
  }
  return results;
}
