// The geometric analyzer (issue #3, part 3): tracked points per sampled frame pair → rotation,
// zoom and parallax per pair (common/motion/pairMotion) → a motion reading with scores for the
// 15 CameraBench primitives (common/motion/reading).
import { estimateFieldOfView } from '../../../common/motion/fieldOfView';
import { cameraModel, DEFAULT_FOV_DEGREES, type Correspondence, type Matrix3 } from '../../../common/motion/geometry';
import { estimatePairMotion, type PairMotion } from '../../../common/motion/pairMotion';
import { readMotion, type MotionReading } from '../../../common/motion/reading';
import { MIN_TRACKS, pairEvidence } from './evidence';
import { loadOpenCv } from './opencv';
import { createTracker, DEFAULT_TRACKING, type Tracker, type TrackingOptions } from './track';

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
  /**
   * Horizontal field of view for the intrinsics. Left out, it is read from the pairs that turn
   * (common/motion/fieldOfView), and 60° where none turns enough to tell.
   */
  fovDegrees?: number;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  tracking?: Partial<TrackingOptions>;
}

/** An estimated lens within this (natural log of the focal ratio, about 53°–68° around 60°) rescales the pairs' turns instead of measuring them again. */
const RESCALE_LOG_FOCAL = 0.15;

export async function analyzeFrames(input: FramesInput, options: AnalyzeOptions = {}): Promise<MotionReading> {
  return (await analyzeFramesWithEvidence(input, options)).reading;
}

/** A reading and the motion evidence of each pair (./evidence.ts), from one tracking pass. */
export interface ReadingWithEvidence {
  reading: MotionReading;
  /** One vector per frame pair, in order, unmeasured pairs included (all zeros). */
  evidence: Float32Array[];
}

export async function analyzeFramesWithEvidence(input: FramesInput, options: AnalyzeOptions = {}): Promise<ReadingWithEvidence> {
  const { frames } = input;
  const analyzer = await createFrameAnalyzer(input, options);
  try {
    for (let index = 0; index < frames.length; index += 1) {
      options.signal?.throwIfAborted();
      analyzer.push(frames[index]!);
      // opencv.js blocks the thread while it works: give aborts and other callbacks a turn.
      if (index % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return { reading: analyzer.finish(), evidence: analyzer.evidence() };
  } finally {
    analyzer.close();
  }
}

export interface FrameAnalyzer {
  /** Tracks from the previous frame into this one and measures the pair (synchronous). */
  push(frame: Uint8Array): void;
  /** The reading of every frame pushed so far. */
  finish(): MotionReading;
  /** The motion evidence of every pair so far, in order (no reading needed: finish may be skipped). */
  evidence(): Float32Array[];
  /** Frees the tracker's WebAssembly memory; idempotent. */
  close(): void;
}

/**
 * The analyzer one frame at a time, so that a clip can be tracked while ffmpeg is still
 * decoding it (./analyzeClips). Loads opencv.js first: `push` itself never waits.
 */
export async function createFrameAnalyzer(input: Omit<FramesInput, 'frames'>, options: AnalyzeOptions = {}): Promise<FrameAnalyzer> {
  const { width, height, fps } = input;
  if (!(fps > 0)) throw new Error(`fps must be positive, got ${fps}`);
  const camera = cameraModel(width, height, input.fovDegrees ?? DEFAULT_FOV_DEGREES);
  options.signal?.throwIfAborted();
  const { cv } = await loadOpenCv();
  const pairs: (PairMotion | null)[] = [];
  // What each pair was measured from, kept to measure it again under an estimated lens.
  const measured: ({ correspondences: Correspondence[]; ransac?: { homography: Matrix3; inlierRatio: number } } | null)[] = [];
  // Computed as each pair is tracked: the tracks are not kept for it, and there is no second pass.
  const evidence: Float32Array[] = [];
  let tracker: Tracker | null = null;
  let isClosed = false;
  return {
    push(frame: Uint8Array): void {
      if (isClosed) throw new Error('the frame analyzer was closed');
      if (tracker === null) {
        tracker = createTracker(cv, frame, width, height, { ...DEFAULT_TRACKING, ...options.tracking });
        return;
      }
      const tracks = tracker.next(frame);
      evidence.push(pairEvidence(tracks, width, height));
      if (tracks.correspondences.length < MIN_TRACKS) {
        pairs.push(null);
        measured.push(null);
        return;
      }
      const ransac = tracks.homography === null ? undefined : { homography: tracks.homography, inlierRatio: tracks.inlierRatio };
      pairs.push(estimatePairMotion(tracks.correspondences, camera, ransac));
      measured.push({ correspondences: tracks.correspondences, ransac });
    },
    finish(): MotionReading {
      if (input.fovDegrees !== undefined) return readMotion({ pairs, fps, width, height, fovDegrees: input.fovDegrees, fovSource: 'given' });
      const estimate = estimateFieldOfView(
        pairs.map((pair, index) => (pair === null ? null : { correspondences: measured[index]!.correspondences, rotation: pair.rotation, parallax: pair.parallax })),
        width,
        height,
      );
      if (estimate === null) return readMotion({ pairs, fps, width, height, fovDegrees: DEFAULT_FOV_DEGREES, fovSource: 'default' });
      const estimated = cameraModel(width, height, estimate.fovDegrees);
      const focalRatio = camera.focal / estimated.focal;
      // The pairs were measured through the default lens. Near it, the same pixels are a turn
      // smaller in proportion to the focal length (to first order), and the fitted zoom and
      // travel barely move: rescaling the turns is enough. Further off, the default lens's bend
      // went into the zoom and travel fits (a crop read as zooming), so every pair is measured
      // again; that costs about a third of the analysis.
      const lensPairs = Math.abs(Math.log(focalRatio)) < RESCALE_LOG_FOCAL
        ? pairs.map((pair) => (pair === null ? null : { ...pair, rotation: { ...pair.rotation, pan: pair.rotation.pan * focalRatio, tilt: pair.rotation.tilt * focalRatio } }))
        : measured.map((pair) => (pair === null ? null : estimatePairMotion(pair.correspondences, estimated, pair.ransac)));
      return readMotion({ pairs: lensPairs, fps, width, height, fovDegrees: estimate.fovDegrees, fovSource: 'estimated' });
    },
    evidence(): Float32Array[] {
      return [...evidence];
    },
    close(): void {
      if (isClosed) return;
      isClosed = true;
      tracker?.close();
    },
  };
}
