// Point tracking between consecutive sampled frames with opencv.js: corners spread over the
// frame (grid-bucketed, so one textured corner cannot hold every track), pyramidal Lucas–Kanade
// forward and backward (a track that does not come back to where it started is dropped), and a
// RANSAC homography per pair for the inlier ratio and a starting point of the rotation fit.
import type { Correspondence, Matrix3 } from '../../../common/motion/geometry';
import type { CvMat, OpenCv } from './opencv';

export interface TrackingOptions {
  /** Tracks to keep alive; fewer than `redetectBelow` × this triggers detection. */
  targetTracks: number;
  redetectBelow: number;
  /** Grid used to spread new corners. */
  gridColumns: number;
  gridRows: number;
  /** Forward-backward error above which a track is dropped, pixels. */
  maxForwardBackwardError: number;
  /** RANSAC reprojection threshold, pixels. */
  ransacThreshold: number;
  /** Lucas–Kanade window side, pixels (odd). */
  windowSize: number;
}

/**
 * Tuned for frames about 320 px wide. Lucas–Kanade is most of the analyzer's time and grows
 * with tracks × window area: 100 tracks in 9 × 9 windows still give the travel fit
 * (common/motion/travel) enough far and near points; on four development seeds they scored a
 * mean AP of 0.987 against 0.983 for 11 × 11 windows, with two thirds of the window area.
 */
export const DEFAULT_TRACKING: TrackingOptions = {
  targetTracks: 100,
  redetectBelow: 0.7,
  gridColumns: 8,
  gridRows: 6,
  maxForwardBackwardError: 1,
  ransacThreshold: 1.5,
  windowSize: 9,
};

export interface PairTracks {
  correspondences: Correspondence[];
  /** Null when there were too few tracks to fit one. */
  homography: Matrix3 | null;
  inlierRatio: number;
}

export interface Tracker {
  /** Tracks from the previous frame given to this one and returns the pair's correspondences. */
  next(frame: Uint8Array): PairTracks;
  /** Frees the WebAssembly memory; the tracker is unusable after. */
  close(): void;
}

const MIN_DISTANCE = 6;

export function createTracker(cv: OpenCv, first: Uint8Array, width: number, height: number, options: TrackingOptions = DEFAULT_TRACKING): Tracker {
  const toMat = (pixels: Uint8Array): CvMat => {
    if (pixels.length !== width * height) throw new Error(`a frame has ${pixels.length} bytes, expected ${width} × ${height}`);
    const mat = new cv.Mat(height, width, cv.CV_8UC1);
    mat.data.set(pixels);
    return mat;
  };
  let previous = toMat(first);
  let points: number[] = [];
  const windowSize = new cv.Size(options.windowSize, options.windowSize);
  // 0.03 px is well under the tracking noise; iterations past it only cost time.
  const criteria = new cv.TermCriteria(cv.TERM_CRITERIA_EPS | cv.TERM_CRITERIA_COUNT, 20, 0.03);

  const detect = (image: CvMat, existing: readonly number[]): number[] => {
    const corners = new cv.Mat();
    const mask = new cv.Mat();
    try {
      cv.goodFeaturesToTrack(image, corners, options.targetTracks * 4, 0.005, MIN_DISTANCE, mask, 3);
      const found = corners.data32F;
      const cellWidth = width / options.gridColumns;
      const cellHeight = height / options.gridRows;
      const perCell = Math.ceil(options.targetTracks / (options.gridColumns * options.gridRows));
      const counts = new Map<number, number>();
      // Existing tracks fill their cells first, so new corners go where tracks are missing.
      for (let index = 0; index < existing.length; index += 2) {
        const cell = Math.floor(existing[index + 1]! / cellHeight) * options.gridColumns + Math.floor(existing[index]! / cellWidth);
        counts.set(cell, (counts.get(cell) ?? 0) + 1);
      }
      const chosen: number[] = [];
      // goodFeaturesToTrack returns the strongest corners first.
      for (let index = 0; index + 1 < found.length; index += 2) {
        const x = found[index]!;
        const y = found[index + 1]!;
        const cell = Math.floor(y / cellHeight) * options.gridColumns + Math.floor(x / cellWidth);
        if ((counts.get(cell) ?? 0) >= perCell) continue;
        if (isNear(existing, x, y)) continue;
        counts.set(cell, (counts.get(cell) ?? 0) + 1);
        chosen.push(x, y);
      }
      return chosen;
    } finally {
      corners.delete();
      mask.delete();
    }
  };

  const flow = (from: CvMat, to: CvMat, start: CvMat): { end: Float32Array; status: Uint8Array } => {
    const end = new cv.Mat();
    const status = new cv.Mat();
    const error = new cv.Mat();
    try {
      cv.calcOpticalFlowPyrLK(from, to, start, end, status, error, windowSize, 3, criteria);
      return { end: end.data32F.slice(), status: status.data.slice() };
    } finally {
      end.delete();
      status.delete();
      error.delete();
    }
  };

  return {
    next(frame: Uint8Array): PairTracks {
      const current = toMat(frame);
      if (points.length / 2 < options.targetTracks * options.redetectBelow) points = [...points, ...detect(previous, points)];
      const correspondences: Correspondence[] = [];
      if (points.length >= 2) {
        const start = cv.matFromArray(points.length / 2, 1, cv.CV_32FC2, points);
        try {
          const forward = flow(previous, current, start);
          const forwardMat = cv.matFromArray(points.length / 2, 1, cv.CV_32FC2, forward.end);
          try {
            const backward = flow(current, previous, forwardMat);
            for (let track = 0; track < points.length / 2; track += 1) {
              if (forward.status[track] !== 1 || backward.status[track] !== 1) continue;
              const x = points[track * 2]!;
              const y = points[track * 2 + 1]!;
              const toX = forward.end[track * 2]!;
              const toY = forward.end[track * 2 + 1]!;
              const error = Math.hypot(backward.end[track * 2]! - x, backward.end[track * 2 + 1]! - y);
              if (error > options.maxForwardBackwardError) continue;
              if (toX < 0 || toY < 0 || toX >= width || toY >= height) continue;
              correspondences.push({ from: { x, y }, to: { x: toX, y: toY } });
            }
          } finally {
            forwardMat.delete();
          }
        } finally {
          start.delete();
        }
      }
      const ransac = fitHomography(cv, correspondences, options.ransacThreshold);
      points = correspondences.flatMap(({ to }) => [to.x, to.y]);
      previous.delete();
      previous = current;
      return { correspondences, ...ransac };
    },
    close(): void {
      previous.delete();
    },
  };
}

function isNear(points: readonly number[], x: number, y: number): boolean {
  for (let index = 0; index < points.length; index += 2) {
    if (Math.abs(points[index]! - x) < MIN_DISTANCE && Math.abs(points[index + 1]! - y) < MIN_DISTANCE) return true;
  }
  return false;
}

function fitHomography(cv: OpenCv, correspondences: readonly Correspondence[], threshold: number): { homography: Matrix3 | null; inlierRatio: number } {
  if (correspondences.length < 8) return { homography: null, inlierRatio: 0 };
  const source = cv.matFromArray(correspondences.length, 1, cv.CV_32FC2, correspondences.flatMap(({ from }) => [from.x, from.y]));
  const destination = cv.matFromArray(correspondences.length, 1, cv.CV_32FC2, correspondences.flatMap(({ to }) => [to.x, to.y]));
  const mask = new cv.Mat();
  let homography: CvMat | null = null;
  try {
    homography = cv.findHomography(source, destination, cv.RANSAC, threshold, mask);
    if (homography.rows !== 3 || homography.cols !== 3) return { homography: null, inlierRatio: 0 };
    const values = Array.from(homography.data64F) as Matrix3;
    const inliers = mask.data.reduce((sum, flag) => sum + (flag === 0 ? 0 : 1), 0);
    return { homography: values.every(Number.isFinite) ? values : null, inlierRatio: inliers / correspondences.length };
  } finally {
    source.delete();
    destination.delete();
    mask.delete();
    homography?.delete();
  }
}
