// Motion between two sampled frames from tracked points: the best rotation + zoom, and what is
// left over. Rotation and focal change move every point by one homography whatever its depth;
// translation moves near points more than far ones (DESIGN.md "Camera motion, geometrically").
// So the leftover flow after the best rotation + zoom is parallax, and its direction field —
// every residual on a line through one epipole (plane + parallax) — tells which way the camera
// travelled.
import {
  applyHomography, decomposeHomography, median, quantile, rotationZoomHomography,
  type CameraModel, type Correspondence, type Matrix3, type Point, type RotationZoom,
} from './geometry';

export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

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
  /** How well one epipole explains the residual directions, 0–1 (1: all on lines through it). */
  coherence: number;
  /** Strength of depth-dependent motion, 0–1: 0 for rotation and zoom only. */
  parallax: number;
  /**
   * Camera travel direction (unit, camera frame: x right, y down, z forward), read from the
   * parallax; null when there is too little parallax to tell.
   */
  translation: Vector3 | null;
  /** Median speed of the tracks along the travel pattern, pixels per pair (0 without translation). */
  translationPixels: number;
}

/** Tracking noise at the analysis size (~320 px wide): residuals below it carry no direction. */
export const NOISE_PIXELS = 0.3;

const RESIDUAL_QUANTILE = 0.7;
const MAX_AXIAL_FOR_ZOOM_CORRECTION = 0.5;
const MAX_ZOOM_CORRECTION = 0.05;

/**
 * Fits rotation + zoom to the correspondences by Gauss–Newton with Huber weights, so a minority
 * of moving objects or near points does not pull the fit. `initial` (a decomposed RANSAC
 * homography) speeds convergence; the fit is the same from zero for the small motions between
 * sampled frames.
 */
export function fitRotationZoom(correspondences: readonly Correspondence[], camera: CameraModel, initial?: RotationZoom): RotationZoom {
  let parameters = initial ? [initial.pan, initial.tilt, initial.roll, Math.log(initial.zoom)] : [0, 0, 0, 0];
  if (correspondences.length < 3) return toMotion(parameters);
  const step = 1e-6;
  for (let iteration = 0; iteration < 12; iteration += 1) {
    const base = residualsOf(correspondences, rotationZoomHomography(toMotion(parameters), camera));
    const magnitudes = base.map((residual) => Math.hypot(residual.x, residual.y));
    const huber = Math.max(NOISE_PIXELS * 2, 1.5 * median(magnitudes));
    const weights = magnitudes.map((magnitude) => (magnitude <= huber ? 1 : huber / magnitude));
    const jacobians = parameters.map((_, index) => {
      const moved = [...parameters];
      moved[index]! += step;
      return residualsOf(correspondences, rotationZoomHomography(toMotion(moved), camera));
    });
    const normal = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const gradient = [0, 0, 0, 0];
    base.forEach((residual, point) => {
      const weight = weights[point]!;
      const columns = jacobians.map((moved) => ({ x: (moved[point]!.x - residual.x) / step, y: (moved[point]!.y - residual.y) / step }));
      for (let row = 0; row < 4; row += 1) {
        gradient[row]! += weight * (columns[row]!.x * residual.x + columns[row]!.y * residual.y);
        for (let column = 0; column < 4; column += 1) {
          normal[row]![column]! += weight * (columns[row]!.x * columns[column]!.x + columns[row]!.y * columns[column]!.y);
        }
      }
    });
    const delta = solve(normal, gradient.map((value) => -value));
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

/** Gaussian elimination with partial pivoting; null for a singular system. */
function solve(matrix: number[][], vector: number[]): number[] | null {
  const size = vector.length;
  const rows = matrix.map((row, index) => [...row, vector[index]!]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    if (Math.abs(rows[pivot]![column]!) < 1e-18) return null;
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    for (let row = 0; row < size; row += 1) {
      if (row === column) continue;
      const factor = rows[row]![column]! / rows[column]![column]!;
      for (let index = column; index <= size; index += 1) rows[row]![index]! -= factor * rows[column]![index]!;
    }
  }
  return rows.map((row, index) => row[size]! / row[index]!);
}

/** Eigenvalues (ascending) and unit eigenvectors of a symmetric 3×3 matrix, by Jacobi rotations. */
export function symmetricEigen(matrix: Matrix3): { values: [number, number, number]; vectors: [Vector3, Vector3, Vector3] } {
  const a = [[matrix[0], matrix[1], matrix[2]], [matrix[3], matrix[4], matrix[5]], [matrix[6], matrix[7], matrix[8]]];
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep += 1) {
    const off = Math.abs(a[0]![1]!) + Math.abs(a[0]![2]!) + Math.abs(a[1]![2]!);
    if (off < 1e-15) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[p]![q]!;
      if (Math.abs(apq) < 1e-18) continue;
      const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k += 1) {
        const akp = a[k]![p]!;
        const akq = a[k]![q]!;
        a[k]![p] = c * akp - s * akq;
        a[k]![q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k += 1) {
        const apk = a[p]![k]!;
        const aqk = a[q]![k]!;
        a[p]![k] = c * apk - s * aqk;
        a[q]![k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k += 1) {
        const vkp = v[k]![p]!;
        const vkq = v[k]![q]!;
        v[k]![p] = c * vkp - s * vkq;
        v[k]![q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((left, right) => a[left]![left]! - a[right]![right]!);
  const values = order.map((index) => a[index]![index]!) as [number, number, number];
  const vectors = order.map((index) => ({ x: v[0]![index]!, y: v[1]![index]!, z: v[2]![index]! })) as [Vector3, Vector3, Vector3];
  return { values, vectors };
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
  const epipole = travelDirection(correspondences, residuals, camera);
  const parallax = parallaxStrength(residualPixels, flowPixels, epipole.coherence);
  let translation: Vector3 | null = null;
  let translationPixels = 0;
  if (parallax > 0.05 && epipole.direction !== null) {
    // The epipole from the residuals alone is biased when the rotation + zoom fit has soaked up
    // part of the travel (a near layer on one side reads as zoom); refit both together.
    // The rotation is corrected with it: the part of the flow it had wrongly taken is travel.
    const joint = jointTravel(correspondences, residuals, rotation, camera);
    const travel = joint?.travel ?? epipole.direction;
    if (joint !== null) rotation = joint.rotation;
    const along = correspondences.map(({ from }, index) => {
      const pattern = translationPattern(from, travel, camera);
      const length = Math.hypot(pattern.x, pattern.y);
      const flow = flows[index]!;
      return length < 1e-9 ? Number.NaN : (flow.x * pattern.x + flow.y * pattern.y) / length;
    }).filter(Number.isFinite);
    // Content moves along −(travel): flows agreeing with the pattern mean we picked the sign right.
    const sign = median(along) >= 0 ? 1 : -1;
    translation = { x: sign * travel.x, y: sign * travel.y, z: sign * travel.z };
    translationPixels = Math.abs(median(along));
  }
  return {
    rotation,
    trackCount: correspondences.length,
    inlierRatio: ransac?.inlierRatio ?? 1,
    flowPixels: Number.isFinite(flowPixels) ? flowPixels : 0,
    drift: { x: drift.x || 0, y: drift.y || 0 },
    residualPixels: Number.isFinite(residualPixels) ? residualPixels : 0,
    coherence: epipole.coherence,
    parallax,
    translation,
    translationPixels,
  };
}

/**
 * Travel direction (up to sign) and a rotation + zoom correction found together: for each
 * candidate t on a hemisphere grid, the part of each residual across the translation pattern
 * at its point (which depth cannot explain) must be explained by a small change of pan, tilt,
 * roll and zoom (linearised at the fitted rotation); the t leaving the least is kept, then
 * refined on a finer grid around it. The subspace idea of Heeger and Jepson (1992).
 */
function jointTravel(
  correspondences: readonly Correspondence[],
  residuals: readonly Point[],
  rotation: RotationZoom,
  camera: CameraModel,
): { travel: Vector3; rotation: RotationZoom } | null {
  const step = 1e-5;
  const base = rotationZoomHomography(rotation, camera);
  const moved = (['pan', 'tilt', 'roll', 'zoom'] as const).map((key) => rotationZoomHomography({ ...rotation, [key]: rotation[key] + step }, camera));
  // Columns of the rotation's flow Jacobian at each point, pixels per unit of each parameter.
  const columns = correspondences.map(({ from }) => {
    const at = applyHomography(base, from);
    return moved.map((homography) => {
      const shifted = applyHomography(homography, from);
      return { x: (shifted.x - at.x) / step, y: (shifted.y - at.y) / step };
    });
  });
  // Residuals beyond noise only, capped: as in travelDirection.
  const weights = residuals.map((residual) => Math.min(3, Math.max(0, Math.hypot(residual.x, residual.y) - NOISE_PIXELS)) > 0 ? 1 : 0);
  const fit = (travel: Vector3): { cost: number; correction: number[] } => {
    const normal = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const right = [0, 0, 0, 0];
    let total = 0;
    correspondences.forEach(({ from }, index) => {
      if (weights[index] === 0) return;
      const pattern = translationPattern(from, travel, camera);
      const length = Math.hypot(pattern.x, pattern.y);
      if (length < 1e-9) return;
      const across = { x: -pattern.y / length, y: pattern.x / length };
      const residual = residuals[index]!;
      const target = residual.x * across.x + residual.y * across.y;
      const row = columns[index]!.map((column) => column.x * across.x + column.y * across.y);
      for (let i = 0; i < 4; i += 1) {
        right[i]! += row[i]! * target;
        for (let j = 0; j < 4; j += 1) normal[i]![j]! += row[i]! * row[j]!;
      }
      total += target * target;
    });
    // Slight damping: a correction the data barely constrains should stay small.
    for (let i = 0; i < 4; i += 1) normal[i]![i]! += 1e-6 * (normal[i]![i]! + 1);
    const correction = solve(normal, right);
    if (correction === null) return { cost: total, correction: [0, 0, 0, 0] };
    // Least-squares residual: total − correctionᵀ · right.
    return { cost: total - correction.reduce((sum, value, index) => sum + value * right[index]!, 0), correction };
  };
  const search = (center: Vector3 | null, spread: number, steps: number): Vector3 | null => {
    let best: Vector3 | null = null;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= steps; i += 1) {
      for (let j = 0; j <= steps; j += 1) {
        const candidate = center === null ? hemispherePoint(i / steps, j / steps) : nudge(center, spread * (i / steps - 0.5), spread * (j / steps - 0.5));
        const value = fit(candidate).cost;
        if (value < bestCost) {
          bestCost = value;
          best = candidate;
        }
      }
    }
    return best;
  };
  const coarse = search(null, 0, 16);
  if (coarse === null) return null;
  const fine = search(coarse, 0.25, 8) ?? coarse;
  const travel = search(fine, 0.06, 6) ?? fine;
  // Only the zoom takes the correction. A pan or tilt plus travel along the axis is nearly the
  // same flow as travel towards a shifted focus of expansion, so those corrections are poorly
  // determined; zoom is what a near layer on one side of the frame wrongly feeds.
  // Travel along the axis leaves the zoom undetermined (its flow is radial, along the pattern):
  // correct only mostly-sideways travel, and never by more than a plausible per-pair zoom.
  const zoom = Math.abs(travel.z) < MAX_AXIAL_FOR_ZOOM_CORRECTION ? (fit(travel).correction[3] ?? 0) : 0;
  const bounded = Math.max(-MAX_ZOOM_CORRECTION, Math.min(MAX_ZOOM_CORRECTION, Number.isFinite(zoom) ? zoom : 0));
  return { travel, rotation: { ...rotation, zoom: rotation.zoom + bounded } };
}

/** A point of the hemisphere z ≥ 0 from two numbers in [0, 1] (equal-area in z). */
function hemispherePoint(u: number, v: number): Vector3 {
  const z = u;
  const radius = Math.sqrt(Math.max(0, 1 - z * z));
  const angle = 2 * Math.PI * v;
  return { x: radius * Math.cos(angle), y: radius * Math.sin(angle), z };
}

/** `direction` turned by small angles about two axes perpendicular to it, renormalised. */
function nudge(direction: Vector3, first: number, second: number): Vector3 {
  const helper = Math.abs(direction.z) < 0.9 ? { x: 0, y: 0, z: 1 } : { x: 1, y: 0, z: 0 };
  const a = normalize(cross(direction, helper));
  const b = cross(direction, a);
  return normalize({
    x: direction.x + first * a.x + second * b.x,
    y: direction.y + first * a.y + second * b.y,
    z: direction.z + first * a.z + second * b.z,
  });
}

function cross(a: Vector3, b: Vector3): Vector3 {
  return { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x };
}

function normalize(vector: Vector3): Vector3 {
  const length = Math.hypot(vector.x, vector.y, vector.z);
  return { x: vector.x / length, y: vector.y / length, z: vector.z / length };
}

/**
 * Image flow a unit depth-inverse point gets from camera travel `t`: (x·t_z − t_x, y·t_z − t_y)
 * in focal units, returned in pixels per unit (the first-order flow of a translating pinhole).
 */
export function translationPattern(point: Point, travel: Vector3, camera: CameraModel): Point {
  const x = (point.x - camera.centerX) / camera.focal;
  const y = (point.y - camera.centerY) / camera.focal;
  return { x: (x * travel.z - travel.x) * camera.focal, y: (y * travel.z - travel.y) * camera.focal };
}

/**
 * The travel direction t (up to sign) for which every residual r_i lies along the translation
 * pattern at its point: r_i × (x_i·t_z − t_x, y_i·t_z − t_y) = 0, linear in t: the smallest
 * eigenvector of the scatter of those rows. Rows weigh by the squared residual beyond noise
 * (capped, so a few moving objects do not decide), because a short residual's direction is
 * mostly noise. Coordinates are scaled by the half-width so the components of t weigh alike.
 * Coherence: the weighted share of residuals within ~17° of the pattern line at their point,
 * rescaled so random directions score 0.
 */
function travelDirection(
  correspondences: readonly Correspondence[],
  residuals: readonly Point[],
  camera: CameraModel,
): { direction: Vector3 | null; coherence: number } {
  const half = camera.width / 2;
  const scatter: Matrix3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let usable = 0;
  residuals.forEach((residual, index) => {
    const length = Math.hypot(residual.x, residual.y);
    const excess = Math.min(3, Math.max(0, length - NOISE_PIXELS));
    if (excess === 0) return;
    const from = correspondences[index]!.from;
    const x = (from.x - camera.centerX) / half;
    const y = (from.y - camera.centerY) / half;
    const rx = residual.x / length;
    const ry = residual.y / length;
    const row = [ry, -rx, rx * y - ry * x];
    const weight = excess * excess;
    for (let i = 0; i < 3; i += 1) for (let j = 0; j < 3; j += 1) scatter[i * 3 + j]! += weight * row[i]! * row[j]!;
    if (length > 2 * NOISE_PIXELS) usable += 1;
  });
  if (usable < 8) return { direction: null, coherence: 0 };
  const raw = symmetricEigen(scatter).vectors[0];
  // Back from half-width units to focal units: t = (τ·t'_x, τ·t'_y, t'_z), τ = half / focal.
  const scale = half / camera.focal;
  const unscaled = { x: raw.x * scale, y: raw.y * scale, z: raw.z };
  const norm = Math.hypot(unscaled.x, unscaled.y, unscaled.z);
  const direction = { x: unscaled.x / norm, y: unscaled.y / norm, z: unscaled.z / norm };
  let aligned = 0;
  let total = 0;
  residuals.forEach((residual, index) => {
    const length = Math.hypot(residual.x, residual.y);
    const weight = Math.min(1, Math.max(0, (length - NOISE_PIXELS) / NOISE_PIXELS));
    const pattern = translationPattern(correspondences[index]!.from, direction, camera);
    const patternLength = Math.hypot(pattern.x, pattern.y);
    if (weight === 0 || patternLength < 1e-9) return;
    const sine = Math.abs(residual.x * pattern.y - residual.y * pattern.x) / (length * patternLength);
    total += weight;
    if (sine < ALIGNED_SINE) aligned += weight;
  });
  const chance = (2 / Math.PI) * Math.asin(ALIGNED_SINE);
  const coherence = total === 0 ? 0 : Math.max(0, (aligned / total - chance) / (1 - chance));
  return { direction, coherence };
}

const ALIGNED_SINE = 0.3;

/**
 * 0 when the residuals are at the noise level or tiny next to the flow, towards 1 when they are
 * a good share of it and point along one travel direction. The 0.3 (residual share that reads
 * as clear parallax) was set on synthetic truck and dolly shots with depths 2–10 m.
 */
export function parallaxStrength(residualPixels: number, flowPixels: number, coherence: number): number {
  if (!Number.isFinite(residualPixels) || !Number.isFinite(flowPixels)) return 0;
  const excess = Math.max(0, residualPixels - NOISE_PIXELS);
  const share = excess / (0.3 * flowPixels + 2 * NOISE_PIXELS);
  return Math.max(0, Math.min(1, share)) * coherence;
}
