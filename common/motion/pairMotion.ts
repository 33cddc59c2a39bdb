// Motion between two sampled frames from tracked points: rotation + zoom, and camera travel.
// Rotation and focal change move every point by one homography whatever its depth; translation
// moves near points more than far ones (DESIGN.md "Camera motion, geometrically"). A rotation +
// zoom fitted to all points first (robustly) soaks up whatever part of a travel looks like one
// (a truck like a pan, a dolly like a zoom); ./travel then separates the two on the points,
// with the far points as the reference, and tells how much parallax there is.
import {
  applyHomography, decomposeHomography, median, quantile, rotationZoomHomography, solveLinear,
  type CameraModel, type Correspondence, type Matrix3, type Point, type RotationZoom,
} from './geometry';
import { fitTravel, type Vector3 } from './travel';

export type { Vector3 } from './travel';

export interface PairMotion {
  /** Rotation (radians) and zoom factor from the first frame of the pair to the second. */
  rotation: RotationZoom;
  /** Tracked points that survived the forward-backward check. */
  trackCount: number;
  /** Share of the tracks the RANSAC homography kept (1 when no homography was given). */
  inlierRatio: number;
  /** Median displacement of the tracks, pixels. */
  flowPixels: number;
  /** Median displacement, pixels, x right and y down: how the content drifts. */
  drift: Point;
  /** 70th percentile of the tracks' distances from where rotation + zoom puts them, pixels. */
  residualPixels: number;
  /** Share of the residual after rotation + zoom that one travel direction explains, 0–1. */
  coherence: number;
  /** Strength of depth-dependent motion, 0–1: 0 for rotation and zoom only. */
  parallax: number;
  /**
   * Camera travel direction (unit, camera frame: x right, y down, z forward), read from the
   * parallax; null when there is too little parallax to tell.
   */
  translation: Vector3 | null;
  /** Mean speed of the tracks along the travel pattern, pixels per pair (0 without translation). */
  translationPixels: number;
  /** Mean translation flow by travel component, pixels, signed as the travel (see ./travel); zero without translation. */
  translationComponents?: Vector3;
  /** Pixels² per track that the travel explains beyond rotation + zoom (see ./travel). */
  travelGain?: number;
}

/** Tracking noise at the analysis size (~320 px wide): the rotation fit's Huber scale starts at twice it. */
export const NOISE_PIXELS = 0.3;

const RESIDUAL_QUANTILE = 0.7;

/** Below this parallax the pair is read as rotation + zoom only. */
const MIN_PARALLAX = 0.05;

/**
 * Parallax 0–1 from the travel fit's gain (pixels² per track that travel explains beyond the
 * rotation + zoom): GAIN_HALF is where it reads 0.5.
 */
export function parallaxOfGain(gain: number): number {
  return Number.isFinite(gain) && gain > 0 ? gain / (gain + GAIN_HALF) : 0;
}

const GAIN_HALF = 0.05;

/**
 * Fits rotation + zoom to the correspondences by Gauss–Newton with Huber weights, so a minority
 * of moving objects or near points does not pull the fit. `initial` (a decomposed RANSAC
 * homography) speeds convergence; the fit is the same from zero for the small motions between
 * sampled frames.
 */
export function fitRotationZoom(correspondences: readonly Correspondence[], camera: CameraModel, initial?: RotationZoom, maxIterations = 12): RotationZoom {
  let parameters = initial ? [initial.pan, initial.tilt, initial.roll, Math.log(initial.zoom)] : [0, 0, 0, 0];
  if (correspondences.length < 3) return toMotion(parameters);
  const step = 1e-6;
  const count = correspondences.length;
  // Flat buffers reused across iterations: the fit runs once per pair, and per-point objects
  // for the base and four moved homographies were most of its cost. Same arithmetic as residualsOf.
  const residualX = new Float64Array(count);
  const residualY = new Float64Array(count);
  const movedX = new Float64Array(count * 4);
  const movedY = new Float64Array(count * 4);
  const magnitudes = new Array<number>(count);
  const fill = (homography: Matrix3, outX: Float64Array, outY: Float64Array, offset: number, stride: number) => {
    for (let point = 0; point < count; point += 1) {
      const { from, to } = correspondences[point]!;
      const predicted = applyHomography(homography, from);
      outX[point * stride + offset] = to.x - predicted.x;
      outY[point * stride + offset] = to.y - predicted.y;
    }
  };
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    fill(rotationZoomHomography(toMotion(parameters), camera), residualX, residualY, 0, 1);
    for (let point = 0; point < count; point += 1) magnitudes[point] = Math.hypot(residualX[point]!, residualY[point]!);
    const huber = Math.max(NOISE_PIXELS * 2, 1.5 * median(magnitudes));
    for (let index = 0; index < 4; index += 1) {
      const moved = [...parameters];
      moved[index]! += step;
      fill(rotationZoomHomography(toMotion(moved), camera), movedX, movedY, index, 4);
    }
    const normal = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const gradient = [0, 0, 0, 0];
    const columnX = [0, 0, 0, 0];
    const columnY = [0, 0, 0, 0];
    for (let point = 0; point < count; point += 1) {
      const magnitude = magnitudes[point]!;
      const weight = magnitude <= huber ? 1 : huber / magnitude;
      const x = residualX[point]!;
      const y = residualY[point]!;
      for (let index = 0; index < 4; index += 1) {
        columnX[index] = (movedX[point * 4 + index]! - x) / step;
        columnY[index] = (movedY[point * 4 + index]! - y) / step;
      }
      for (let row = 0; row < 4; row += 1) {
        gradient[row]! += weight * (columnX[row]! * x + columnY[row]! * y);
        for (let column = 0; column < 4; column += 1) {
          normal[row]![column]! += weight * (columnX[row]! * columnX[column]! + columnY[row]! * columnY[column]!);
        }
      }
    }
    const delta = solveLinear(normal, gradient.map((value) => -value));
    if (delta === null) break;
    parameters = parameters.map((value, index) => value + delta[index]!);
    if (Math.hypot(...delta) < 1e-9) break;
  }
  return toMotion(parameters);
}

function toMotion(parameters: readonly number[]): RotationZoom {
  return { pan: parameters[0]!, tilt: parameters[1]!, roll: parameters[2]!, zoom: Math.exp(parameters[3]!) };
}

/** Where each point actually went minus where the homography puts it, pixels. */
export function residualsOf(correspondences: readonly Correspondence[], homography: Matrix3): Point[] {
  return correspondences.map(({ from, to }) => {
    const predicted = applyHomography(homography, from);
    return { x: to.x - predicted.x, y: to.y - predicted.y };
  });
}

/**
 * Everything about one frame pair. `homography` is the RANSAC fit (pixels, first → second frame)
 * and `inlierRatio` its share of inliers; both optional so tests can feed bare correspondences.
 */
export function estimatePairMotion(
  correspondences: readonly Correspondence[],
  camera: CameraModel,
  ransac?: { homography: Matrix3; inlierRatio: number },
): PairMotion {
  const flows = correspondences.map(({ from, to }) => ({ x: to.x - from.x, y: to.y - from.y }));
  const flowPixels = median(flows.map((flow) => Math.hypot(flow.x, flow.y)));
  const drift = { x: median(flows.map((flow) => flow.x)), y: median(flows.map((flow) => flow.y)) };
  const initial = ransac ? decomposeHomography(ransac.homography, camera) : undefined;
  let rotation = fitRotationZoom(correspondences, camera, initial && Number.isFinite(initial.zoom) ? initial : undefined);
  const residuals = residualsOf(correspondences, rotationZoomHomography(rotation, camera));
  // The 70th percentile, not the median: in a two-depth scene the far layer may hold most of the
  // tracks, and the rotation + zoom fit follows it; the near layer's residuals must still show.
  const residualPixels = quantile(residuals.map((residual) => Math.hypot(residual.x, residual.y)), RESIDUAL_QUANTILE);
  // Travel and rotation separated on the points (./travel): the rotation + zoom fitted to all
  // points above has taken whatever part of the travel looks like a rotation or a zoom.
  const travelFit = fitTravel(correspondences, camera, rotation);
  const parallax = travelFit === null ? 0 : parallaxOfGain(travelFit.gain);
  let translation: Vector3 | null = null;
  let translationPixels = 0;
  let translationComponents: Vector3 = { x: 0, y: 0, z: 0 };
  if (travelFit !== null && parallax > MIN_PARALLAX) {
    rotation = travelFit.rotation;
    translation = travelFit.travel;
    translationPixels = travelFit.translationPixels;
    translationComponents = travelFit.componentPixels;
  }
  return {
    rotation,
    trackCount: correspondences.length,
    inlierRatio: ransac?.inlierRatio ?? 1,
    flowPixels: Number.isFinite(flowPixels) ? flowPixels : 0,
    drift: { x: drift.x || 0, y: drift.y || 0 },
    residualPixels: Number.isFinite(residualPixels) ? residualPixels : 0,
    coherence: travelFit?.coherence ?? 0,
    parallax,
    translation,
    translationPixels,
    translationComponents,
    travelGain: travelFit?.gain ?? 0,
  };
}
