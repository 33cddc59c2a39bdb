// The geometric analyzer (issue #3, part 3): tracked points per sampled frame pair → rotation,
// zoom and parallax per pair (common/motion/pairMotion) → a motion reading with scores for the
// 15 CameraBench primitives (common/motion/reading).
import { cameraModel, DEFAULT_FOV_DEGREES } from '../../../common/motion/geometry';
import { estimatePairMotion, type PairMotion } from '../../../common/motion/pairMotion';
import { readMotion, type MotionReading } from '../../../common/motion/reading';
import { loadOpenCv } from './opencv';
import { createTracker, DEFAULT_TRACKING, type TrackingOptions } from './track';

/**
 * Sampling the caller should decode at: ~8 fps keeps per-pair motion small enough for
 * Lucas–Kanade at 3 pyramid levels (a 30 °/s pan moves ~20 px per pair at 320 px) while a
 * 5-second clip costs only ~40 pairs; 320 px wide keeps a pair near 10 ms of opencv.js.
 */
export const ANALYSIS_DEFAULTS = { fps: 8, width: 320 } as const;

export interface FramesInput {
  /** Grayscale frames, one byte per pixel, rows top to bottom. */
  frames: readonly Uint8Array[];
  width: number;
  height: number;
  /** Rate the frames were sampled at. */
  fps: number;
  /** Horizontal field of view assumed for the intrinsics; default 60°. */
  fovDegrees?: number;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  tracking?: Partial<TrackingOptions>;
}

/** Fewer tracks than this cannot tell rotation from parallax: the pair is left unmeasured. */
const MIN_TRACKS = 12;

export async function analyzeFrames(input: FramesInput, options: AnalyzeOptions = {}): Promise<MotionReading> {
  const { frames, width, height, fps } = input;
  if (!(fps > 0)) throw new Error(`fps must be positive, got ${fps}`);
  const fovDegrees = input.fovDegrees ?? DEFAULT_FOV_DEGREES;
  const camera = cameraModel(width, height, fovDegrees);
  const pairs: (PairMotion | null)[] = [];
  const first = frames[0];
  if (first !== undefined && frames.length >= 2) {
    options.signal?.throwIfAborted();
    const { cv } = await loadOpenCv();
    const tracker = createTracker(cv, first, width, height, { ...DEFAULT_TRACKING, ...options.tracking });
    try {
      for (let index = 1; index < frames.length; index += 1) {
        options.signal?.throwIfAborted();
        const tracks = tracker.next(frames[index]!);
        pairs.push(tracks.correspondences.length < MIN_TRACKS
          ? null
          : estimatePairMotion(tracks.correspondences, camera, tracks.homography === null ? undefined : { homography: tracks.homography, inlierRatio: tracks.inlierRatio }));
        // opencv.js blocks the thread while it works: give aborts and other callbacks a turn.
        if (index % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      tracker.close();
    }
  }
  return readMotion({ pairs, fps, width, height, fovDegrees });
}
