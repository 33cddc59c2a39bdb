// The horizontal field of view, read from the clip itself. A camera that turns by θ moves a
// point at x pixels from the centre by f·θ·(1 + x²/f²): the edges of the picture travel further
// than its middle, and how much further tells the focal length f. A crop sliding over a flat
// picture does not bend at all and reads as a long lens; assuming 60° there made a zoom soak up
// the bend the model expected and could not find. Written here, not taken from OpenCV: its
// calibration wants a pattern or a bundle adjustment, and one number from the pairs that turn
// needs only the rotation + zoom fit the analyzer already has.
import { cameraModel, rotationZoomHomography, applyHomography, DEFAULT_FOV_DEGREES, type Correspondence, type RotationZoom } from './geometry';
import { fitRotationZoom } from './pairMotion';

/** The fields of view the estimate may take, degrees (a long telephoto to a wide action camera). */
export const FOV_RANGE = { min: 20, max: 100 } as const;

export interface FovPair {
  correspondences: readonly Correspondence[];
  /** The pair's rotation + zoom at the default field of view. */
  rotation: RotationZoom;
  /** The pair's parallax at the default field of view (0–1). */
  parallax: number;
}

export interface FovEstimate {
  fovDegrees: number;
  /** Pairs that voted. */
  pairCount: number;
  /** Robust fit cost at the estimate over the cost at the default field of view (< 1). */
  costRatio: number;
}

/** Pairs with more parallax than this are travel, whose bend belongs to depth, not to the lens. */
const MAX_PARALLAX = 0.2;
/** The bend a pair's rotation puts between centre and edge at the default lens must reach this, pixels. */
const MIN_BEND_PIXELS = 0.6;
/** The turning pairs used, most turning first, and tracks per pair (evenly picked): enough to average tracking noise, few enough to be quick. */
const MAX_PAIRS = 8;
const MAX_TRACKS = 120;
const MIN_PAIRS = 3;
/** Residuals beyond this count as outliers (moving objects, bad tracks): truncated quadratic cost. */
const OUTLIER_PIXELS = 1.5;
/** The estimate must explain the pairs this much better than the default lens to replace it. */
const MIN_GAIN = 0.05;
/** Each fit starts where it will nearly end (see cost): a few Gauss–Newton steps settle it. */
const FIT_ITERATIONS = 5;
/** Candidates evenly spaced in log focal length, over a little more than FOV_RANGE so that a lens near its ends is refined like any other. */
const GRID = 10;
const GRID_RANGE = { min: 16, max: 116 } as const;

/**
 * The field of view that best explains the pairs that turn, or null when too few pairs turn
 * enough, or the default explains them nearly as well (then the default stays). Pure rotation
 * and zoom pairs only: see MAX_PARALLAX.
 */
export function estimateFieldOfView(pairs: readonly (FovPair | null)[], width: number, height: number): FovEstimate | null {
  const defaultFocal = cameraModel(width, height, DEFAULT_FOV_DEGREES).focal;
  const halfWidth = width / 2;
  const voters = pairs
    .filter((pair): pair is FovPair => pair !== null && pair.parallax < MAX_PARALLAX && pair.correspondences.length >= 12)
    .map((pair) => ({ pair, bend: Math.hypot(pair.rotation.pan, pair.rotation.tilt) * (halfWidth * halfWidth) / defaultFocal }))
    .filter((voter) => voter.bend >= MIN_BEND_PIXELS)
    .sort((left, right) => right.bend - left.bend)
    .slice(0, MAX_PAIRS)
    .map((voter) => ({ ...voter.pair, correspondences: evenlyPicked(voter.pair.correspondences, MAX_TRACKS) }));
  if (voters.length < MIN_PAIRS) return null;

  const cost = (fovDegrees: number): number => {
    const camera = cameraModel(width, height, fovDegrees);
    // Angles scale with 1/f for the same pixel motion: start each fit where it will end up.
    const scale = defaultFocal / camera.focal;
    let total = 0;
    for (const pair of voters) {
      const start = { ...pair.rotation, pan: pair.rotation.pan * scale, tilt: pair.rotation.tilt * scale };
      const fitted = fitRotationZoom(pair.correspondences, camera, start, FIT_ITERATIONS);
      const homography = rotationZoomHomography(fitted, camera);
      let pairCost = 0;
      for (const { from, to } of pair.correspondences) {
        const predicted = applyHomography(homography, from);
        pairCost += Math.min((to.x - predicted.x) ** 2 + (to.y - predicted.y) ** 2, OUTLIER_PIXELS ** 2);
      }
      total += pairCost / pair.correspondences.length;
    }
    return total;
  };

  // A coarse grid in log focal length, then a parabola through the best point and its neighbours.
  const logFocalOf = (fov: number) => Math.log(1 / Math.tan((fov * Math.PI) / 360));
  const fovOf = (logFocal: number) => (360 / Math.PI) * Math.atan(1 / Math.exp(logFocal));
  const low = logFocalOf(GRID_RANGE.max);
  const high = logFocalOf(GRID_RANGE.min);
  const step = (high - low) / (GRID - 1);
  const grid = Array.from({ length: GRID }, (_, index) => low + index * step);
  const costs = grid.map((logFocal) => cost(fovOf(logFocal)));
  let best = 0;
  for (let index = 1; index < GRID; index += 1) if (costs[index]! < costs[best]!) best = index;
  let bestLogFocal = grid[best]!;
  if (best > 0 && best < GRID - 1) {
    const [left, middle, right] = [costs[best - 1]!, costs[best]!, costs[best + 1]!];
    const curvature = left - 2 * middle + right;
    if (curvature > 0) bestLogFocal += (step * (left - right)) / (2 * curvature);
  }
  const refined = Math.max(FOV_RANGE.min, Math.min(FOV_RANGE.max, fovOf(bestLogFocal)));
  const refinedCost = cost(refined);
  const gridFov = Math.max(FOV_RANGE.min, Math.min(FOV_RANGE.max, fovOf(grid[best]!)));
  const [fovDegrees, bestCost] = refinedCost <= costs[best]! ? [refined, refinedCost] : [gridFov, cost(gridFov)];
  const defaultCost = cost(DEFAULT_FOV_DEGREES);
  const costRatio = defaultCost > 0 ? bestCost / defaultCost : 1;
  // The default lens explains the turns about as well: the clip does not tell them apart.
  if (costRatio > 1 - MIN_GAIN) return null;
  return { fovDegrees, pairCount: voters.length, costRatio };
}

function evenlyPicked<T>(items: readonly T[], count: number): readonly T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]!);
}
