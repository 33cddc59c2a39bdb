// Rotation + zoom and camera travel separated on the points themselves. Every track's flow is
// modelled as the flow of one rotation + zoom (the same at every depth) plus a translation
// flow q·â along the translation pattern at its point (DESIGN.md "Camera motion,
// geometrically"), with q ≥ 0 (points lie in front of the camera) and a small linear price
// on q. The price is what breaks the classic ambiguity: a zoom is a dolly over a scene at one
// depth and a pan a truck, so any constant part of the parallax could move into the rotation
// + zoom. Charging for parallax gives the rotation + zoom whatever the far points do (their q
// goes to 0) and leaves to travel only what depth differences demand: the far background is
// the reference, as a camera operator reads a shot. For a fixed travel direction the problem
// is convex in (rotation correction, q); the direction is searched on the sphere (the sign
// matters: q ≥ 0 tells travelling towards the content from travelling away from it). Then
// Occam: pan, tilt or zoom that the travel makes unnecessary are dropped, and the
// depth-reversed reading and travel along the optical axis compete on the same terms, and a
// reading that puts the top of the frame nearer than the bottom pays for it (a ground plane is
// what most shots have below the horizon; see depthOrder, fitTravel). Parallax is measured
// against the better of the rotation + zoom and a general homography (./planeFit).
//
// The constants below were set on synthetic clips of seeds no test or benchmark uses.
import { applyHomography, rotationZoomHomography, solveLinear, type CameraModel, type Correspondence, type RotationZoom } from './geometry';
import { fitPlane } from './planeFit';

export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

export interface TravelFit {
  /** Rotation + zoom with the travel taken out. */
  rotation: RotationZoom;
  /** Camera travel direction (unit, camera frame x right, y down, z forward). */
  travel: Vector3;
  /** Mean translation flow of the tracks, pixels (q above). */
  translationPixels: number;
  /**
   * The mean translation flow split by travel component, pixels, signed as the travel: x the
   * sideways flow a truck causes, y a pedestal's, z the radial flow of a dolly (ρ·r·t_z). A
   * travel direction slightly off the true one shifts little flow between components, where
   * its unit components would swing.
   */
  componentPixels: Vector3;
  /**
   * Squared residual per track (pixels², scaled down when few tracks show it) that the travel
   * removes compared with the best rotation + zoom or single plane, price included: ~0 for
   * rotation and zoom, grows with parallax.
   */
  gain: number;
  /** Residual per track after the fit, pixels (root mean square). */
  residualPixels: number;
  /** Share of the reference's residual cost (rotation + zoom or one plane) that the travel removes, 0–1. */
  coherence: number;
}

/**
 * Price of parallax per pixel of translation flow, about half the tracking noise. It need only
 * break ties (which of two readings needs less parallax); larger, it would hide the slow
 * dolly's sub-pixel parallax per pair and push the rotation + zoom off the far points.
 */
export const PARALLAX_PRICE_PIXELS = 0.05;

/**
 * How much the price of parallax falls from the top of the frame to the bottom (0: flat). The
 * two ways of reading a flow field with travel along the axis — dolly out + zoom in, or dolly
 * in + zoom out with every depth order reversed — fit the tracks alike; what tells them apart
 * is which points are near. Height in the visual field is the oldest depth cue: the ground
 * below the horizon comes nearest at the bottom of the frame.
 */
export const GROUND_PRIOR = 0.8;

/**
 * How much more a point moving against the travel pattern costs than one moving along it
 * unexplained. Only noise moves points that way, so a large weight puts the rotation + zoom at
 * the farthest points; the price balance leaves them ~μ·(near/far count ratio)/weight off.
 */
const NEGATIVE_WEIGHT = 10;

/** Residuals across the pattern beyond this weigh less (Huber): bad tracks and moving things. */
const HUBER_PIXELS = 1;

/** Columns of the rotation + zoom flow Jacobian at each point, pixels per unit of pan, tilt, roll, zoom. */
function rotationColumns(correspondences: readonly Correspondence[], rotation: RotationZoom, camera: CameraModel): Float64Array {
  const step = 1e-5;
  const base = rotationZoomHomography(rotation, camera);
  const moved = (['pan', 'tilt', 'roll', 'zoom'] as const).map((key) => rotationZoomHomography({ ...rotation, [key]: rotation[key] + step }, camera));
  const columns = new Float64Array(correspondences.length * 8);
  correspondences.forEach(({ from }, index) => {
    const at = applyHomography(base, from);
    moved.forEach((homography, parameter) => {
      const shifted = applyHomography(homography, from);
      columns[index * 8 + parameter] = (shifted.x - at.x) / step;
      columns[index * 8 + 4 + parameter] = (shifted.y - at.y) / step;
    });
  });
  return columns;
}

interface Problem {
  count: number;
  /** Per point: residual after the initial rotation (x, y), pixels. */
  residuals: Float64Array;
  /** Per point: Jacobian rows, x row then y row, 4 each. */
  columns: Float64Array;
  /** Normalised image coordinates of the points (focal units). */
  points: Float64Array;
  /** Per point, the price of its parallax, pixels (see {@link GROUND_PRIOR}). */
  prices: Float64Array;
  /** Per point, JᵀJ's lower triangle (10 values): the same for every direction, so computed once. */
  normals: Float64Array;
}

function normalsOf(count: number, columns: Float64Array): Float64Array {
  const normals = new Float64Array(count * 10);
  for (let index = 0; index < count; index += 1) {
    const jx = index * 8;
    for (let row = 0, k = 0; row < 4; row += 1) {
      for (let column = 0; column <= row; column += 1, k += 1) {
        normals[index * 10 + k] = columns[jx + row]! * columns[jx + column]! + columns[jx + 4 + row]! * columns[jx + 4 + column]!;
      }
    }
  }
  return normals;
}

interface DirectionFit {
  cost: number;
  delta: number[];
  translationPixels: number;
}

/**
 * Best rotation correction δ for travel direction `travel`: minimises
 * Σ w·(|e|² − [p > μ](p − μ)²), e = r − Jδ, p = e·â (â: unit pattern). The q = max(0, p − μ)
 * part is solved in closed form; δ by Newton steps on the piecewise quadratic (few: the
 * active set settles fast). Halving keeps each step downhill where the cost is flat (a dolly
 * along the axis leaves the zoom decided only by the price).
 */
function fitDirection(
  problem: Problem,
  travel: Vector3 | null,
  maxIterations = 8,
  start: readonly number[] = [0, 0, 0, 0],
  pinned: readonly boolean[] = [false, false, false, false],
  pointCosts?: Float64Array,
): DirectionFit {
  const { count, residuals, columns, points, prices } = problem;
  const patternX = new Float64Array(count);
  const patternY = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    if (travel === null) continue;
    const x = points[index * 2]! * travel.z - travel.x;
    const y = points[index * 2 + 1]! * travel.z - travel.y;
    const length = Math.hypot(x, y);
    if (length < 1e-9) continue;
    patternX[index] = x / length;
    patternY[index] = y / length;
  }
  // g = Jᵀâ per point: fixed for the direction, so computed once rather than per Newton step.
  const projected = new Float64Array(count * 4);
  for (let index = 0; index < count; index += 1) {
    const jx = index * 8;
    const ax = patternX[index]!;
    const ay = patternY[index]!;
    for (let row = 0; row < 4; row += 1) projected[index * 4 + row] = columns[jx + row]! * ax + columns[jx + 4 + row]! * ay;
  }
  const { normals } = problem;
  // The derivatives cost as much as the cost itself: skipped where no Newton step will use them.
  const evaluate = (delta: readonly number[], withDerivatives: boolean) => {
    const d0 = delta[0]!;
    const d1 = delta[1]!;
    const d2 = delta[2]!;
    const d3 = delta[3]!;
    let cost = 0;
    let flow = 0;
    const gradient = [0, 0, 0, 0];
    // Lower triangle, row-major (00, 10, 11, 20, 21, 22, 30, 31, 32, 33), as in Problem.normals.
    const triangle = new Float64Array(10);
    for (let index = 0; index < count; index += 1) {
      const jx = index * 8;
      const ex = residuals[index * 2]! - (columns[jx]! * d0 + columns[jx + 1]! * d1 + columns[jx + 2]! * d2 + columns[jx + 3]! * d3);
      const ey = residuals[index * 2 + 1]! - (columns[jx + 4]! * d0 + columns[jx + 5]! * d1 + columns[jx + 6]! * d2 + columns[jx + 7]! * d3);
      const ax = patternX[index]!;
      const ay = patternY[index]!;
      const along = ex * ax + ey * ay;
      const price = prices[index]!;
      const q = Math.max(0, along - price);
      // What no travel along this direction explains: across the pattern, and any shortfall.
      const leftX = ex - q * ax;
      const leftY = ey - q * ay;
      // Math.sqrt, not Math.hypot: this line runs ~20 000 times a pair, and V8's hypot is several times slower.
      const left = Math.sqrt(leftX * leftX + leftY * leftY);
      const weight = left <= HUBER_PIXELS ? 1 : HUBER_PIXELS / left;
      const across = leftX * leftX + leftY * leftY - (along - q) * (along - q);
      // Along the pattern: q ≥ 0 costs its price; a point moving against the pattern (behind
      // the camera, were it travel) costs NEGATIVE_WEIGHT times its square, so the rotation +
      // zoom settles on the far points rather than on the bulk.
      let alongCost: number;
      let gradientCoefficient: number;
      let hessianCoefficient: number;
      if (along >= price) {
        alongCost = 2 * price * along - price * price;
        gradientCoefficient = along - price;
        hessianCoefficient = -1;
      } else if (along >= 0) {
        alongCost = along * along;
        gradientCoefficient = 0;
        hessianCoefficient = 0;
      } else {
        alongCost = NEGATIVE_WEIGHT * along * along;
        gradientCoefficient = (1 - NEGATIVE_WEIGHT) * along;
        hessianCoefficient = NEGATIVE_WEIGHT - 1;
      }
      cost += weight * (across + alongCost);
      if (pointCosts !== undefined) pointCosts[index] = weight * (across + alongCost);
      flow += q;
      if (!withDerivatives) continue;
      // Gradient/2 = Σ w·(−Jᵀe + c·g), Hessian/2 = Σ w·(JᵀJ + h·g gᵀ), g = Jᵀâ (c, h above).
      const g0 = projected[index * 4]!;
      const g1 = projected[index * 4 + 1]!;
      const g2 = projected[index * 4 + 2]!;
      const g3 = projected[index * 4 + 3]!;
      gradient[0]! += weight * (gradientCoefficient * g0 - (columns[jx]! * ex + columns[jx + 4]! * ey));
      gradient[1]! += weight * (gradientCoefficient * g1 - (columns[jx + 1]! * ex + columns[jx + 5]! * ey));
      gradient[2]! += weight * (gradientCoefficient * g2 - (columns[jx + 2]! * ex + columns[jx + 6]! * ey));
      gradient[3]! += weight * (gradientCoefficient * g3 - (columns[jx + 3]! * ex + columns[jx + 7]! * ey));
      const n = index * 10;
      const h = hessianCoefficient;
      triangle[0]! += weight * (normals[n]! + h * g0 * g0);
      triangle[1]! += weight * (normals[n + 1]! + h * g1 * g0);
      triangle[2]! += weight * (normals[n + 2]! + h * g1 * g1);
      triangle[3]! += weight * (normals[n + 3]! + h * g2 * g0);
      triangle[4]! += weight * (normals[n + 4]! + h * g2 * g1);
      triangle[5]! += weight * (normals[n + 5]! + h * g2 * g2);
      triangle[6]! += weight * (normals[n + 6]! + h * g3 * g0);
      triangle[7]! += weight * (normals[n + 7]! + h * g3 * g1);
      triangle[8]! += weight * (normals[n + 8]! + h * g3 * g2);
      triangle[9]! += weight * (normals[n + 9]! + h * g3 * g3);
    }
    const hessian = new Float64Array(16);
    for (let row = 0, k = 0; row < 4; row += 1) {
      for (let column = 0; column <= row; column += 1, k += 1) hessian[row * 4 + column] = hessian[column * 4 + row] = triangle[k]!;
    }
    return { cost, flow, gradient, hessian };
  };
  let delta = [...start];
  let current = evaluate(delta, maxIterations > 0);
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    // Plain loops: Array.from with a length object cost ~5 % of the analysis time here (profiled).
    const hessian = current.hessian;
    const matrix: number[][] = [];
    for (let row = 0; row < 4; row += 1) matrix.push([hessian[row * 4]!, hessian[row * 4 + 1]!, hessian[row * 4 + 2]!, hessian[row * 4 + 3]!]);
    // Damping keeps the step finite along directions the data leave flat (see above).
    for (let row = 0; row < 4; row += 1) matrix[row]![row]! += 1e-3 * matrix[row]![row]! + 1e-9;
    // A pinned parameter stays where `start` put it.
    const right = current.gradient.map((value, row) => (pinned[row] ? 0 : -value));
    for (let row = 0; row < 4; row += 1) {
      if (!pinned[row]) continue;
      for (let column = 0; column < 4; column += 1) matrix[row]![column] = matrix[column]![row] = row === column ? 1 : 0;
    }
    const step = solveLinear(matrix, right);
    if (step === null) break;
    let scale = 1;
    let accepted = false;
    for (let attempt = 0; attempt < 4; attempt += 1, scale /= 2) {
      const candidate = delta.map((value, index) => value + scale * step[index]!);
      const next = evaluate(candidate, iteration + 1 < maxIterations);
      if (next.cost <= current.cost) {
        delta = candidate;
        const improvement = current.cost - next.cost;
        current = next;
        accepted = improvement > 1e-9 * (1 + next.cost);
        break;
      }
    }
    if (!accepted) break;
  }
  return { cost: current.cost, delta, translationPixels: count === 0 ? 0 : current.flow / count };
}

/**
 * At a solved direction: the mean per-component translation flow (see {@link TravelFit}) and
 * the share of tracks the travel moves by more than SPREAD.pixels.
 */
function travelFlows(problem: Problem, travel: Vector3, delta: readonly number[]): { components: Vector3; movedShare: number } {
  const { count, points } = problem;
  const sum = { x: 0, y: 0, z: 0 };
  let moved = 0;
  for (let index = 0; index < count; index += 1) {
    const { q, length } = translationAt(problem, travel, delta, index);
    if (length < 1e-9) continue;
    if (q > SPREAD.pixels) moved += 1;
    // q = ρ·|pattern|: ρ (inverse depth × speed, pixels per focal unit) times each component's share.
    const rho = q / length;
    sum.x += rho * travel.x;
    sum.y += rho * travel.y;
    sum.z += rho * Math.hypot(points[index * 2]!, points[index * 2 + 1]!) * travel.z;
  }
  return { components: { x: sum.x / count, y: sum.y / count, z: sum.z / count }, movedShare: count === 0 ? 0 : moved / count };
}

/** Track `index`'s translation flow q (pixels, price paid) at the solved δ, and the length of its travel pattern. */
function translationAt(problem: Problem, travel: Vector3, delta: readonly number[], index: number): { q: number; length: number } {
  const { residuals, columns, points, prices } = problem;
  const patternX = points[index * 2]! * travel.z - travel.x;
  const patternY = points[index * 2 + 1]! * travel.z - travel.y;
  const length = Math.hypot(patternX, patternY);
  if (length < 1e-9) return { q: 0, length };
  const jx = index * 8;
  const ex = residuals[index * 2]! - (columns[jx]! * delta[0]! + columns[jx + 1]! * delta[1]! + columns[jx + 2]! * delta[2]! + columns[jx + 3]! * delta[3]!);
  const ey = residuals[index * 2 + 1]! - (columns[jx + 4]! * delta[0]! + columns[jx + 5]! * delta[1]! + columns[jx + 6]! * delta[2]! + columns[jx + 7]! * delta[3]!);
  return { q: Math.max(0, (ex * patternX + ey * patternY) / length - prices[index]!), length };
}

/**
 * Correlation, −1 to 1, between the inverse depth the reading gives each track (its translation
 * flow over the pattern length) and how low in the frame the track is: positive when lower
 * points are nearer, as over a ground plane.
 */
function depthOrder(problem: Problem, travel: Vector3, delta: readonly number[]): number {
  const { count, points } = problem;
  let n = 0;
  let sumRho = 0;
  let sumY = 0;
  let sumRhoRho = 0;
  let sumYY = 0;
  let sumRhoY = 0;
  for (let index = 0; index < count; index += 1) {
    const { q, length } = translationAt(problem, travel, delta, index);
    // Near the focus of expansion the inverse depth is q over almost nothing: noise.
    if (length < 0.05) continue;
    const rho = q / length;
    const y = points[index * 2 + 1]!;
    n += 1;
    sumRho += rho;
    sumY += y;
    sumRhoRho += rho * rho;
    sumYY += y * y;
    sumRhoY += rho * y;
  }
  if (n < 8) return 0;
  const covariance = sumRhoY / n - (sumRho / n) * (sumY / n);
  const spread = Math.sqrt(Math.max(0, sumRhoRho / n - (sumRho / n) ** 2) * Math.max(0, sumYY / n - (sumY / n) ** 2));
  return spread > 1e-12 ? covariance / spread : 0;
}

/**
 * Cost per track, pixels², of a reading whose depths put the top of the frame nearest
 * (weighted by how strongly, see depthOrder). Six times PIN_TOLERANCE: a reading that saves a
 * parameter by reversing every depth order loses to one that keeps the ground near. That is
 * the dolly zoom (dolly out + zoom in) against its reversal, a plain dolly in that needs no
 * zoom at all once the far background is taken for the nearest thing in view.
 */
const ORDER_PENALTY = 3;
/**
 * Correlation below zero that goes unpaid: with ~100 tracks at depths unrelated to their height
 * (a scene without a ground in view) the correlation scatters about ±0.1, and that noise must
 * not overturn the Occam choice.
 */
const ORDER_SLACK = 0.15;

/** Roughly even directions on the whole sphere (Fibonacci lattice). */
export function sphereDirections(count: number): Vector3[] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({ length: count }, (_, index) => {
    const z = 1 - (2 * (index + 0.5)) / count;
    const radius = Math.sqrt(1 - z * z);
    return { x: radius * Math.cos(golden * index), y: radius * Math.sin(golden * index), z };
  });
}

/**
 * The coarse search's lattice (about 35° apart). It only picks the basin the refinement starts
 * in, and the readings that matter most are tried directly besides (the depth reversal and the
 * optical axis, see fitTravel): 64 directions read the development clips no better.
 */
const COARSE = sphereDirections(32);
/** Dolly in and dolly out: always candidates (see fitTravel). */
const AXIS: readonly Vector3[] = [{ x: 0, y: 0, z: 1 }, { x: 0, y: 0, z: -1 }];
const COARSE_TRACKS = 80;
/**
 * 0 when the travel moves fewer than SPREAD.from of the tracks by more than SPREAD.pixels (3 ×
 * the tracking noise: noise alone almost never does), 1 from SPREAD.to on. Travel moves much
 * of the picture; a passer-by, however fast, does not.
 */
function spreadFactor(movedShare: number): number {
  return Math.max(0, Math.min(1, (movedShare - SPREAD.from) / (SPREAD.to - SPREAD.from)));
}

const SPREAD = { pixels: 0.3, from: 0.15, to: 0.3 } as const;

/** Pan, tilt and zoom: the rotation + zoom components a travel can stand in for. */
const PINNABLE = [0, 1, 3] as const;

/**
 * Cost per track, pixels², that dropping one of them may add and still be preferred. Dropping
 * a pan a truck made up costs only the price of the far points' parallax (price × their drift,
 * ~0.1); dropping a real pan makes points drift against the travel, which costs
 * NEGATIVE_WEIGHT × drift² on each of them.
 */
const PIN_TOLERANCE = 0.5;

/** Newton steps while comparing directions; the winner gets the full count. */
const REFINE_ITERATIONS = 3;

/** Every k-th track, so that at most `limit` remain (tracks are spread over the frame already). */
function subsample(problem: Problem, limit: number): Problem {
  if (problem.count <= limit) return problem;
  const stride = problem.count / limit;
  const picked = Array.from({ length: limit }, (_, index) => Math.floor(index * stride));
  const take = (values: Float64Array, width: number) => {
    const out = new Float64Array(limit * width);
    picked.forEach((from, to) => out.set(values.subarray(from * width, from * width + width), to * width));
    return out;
  };
  return {
    count: limit, residuals: take(problem.residuals, 2), columns: take(problem.columns, 8), points: take(problem.points, 2), prices: take(problem.prices, 1), normals: take(problem.normals, 10),
  };
}

/**
 * Rotation + zoom and travel from the tracks, starting from a rotation + zoom fitted to all of
 * them (`initial`). Null with fewer than 8 tracks.
 */
export function fitTravel(correspondences: readonly Correspondence[], camera: CameraModel, initial: RotationZoom, price = PARALLAX_PRICE_PIXELS): TravelFit | null {
  const count = correspondences.length;
  if (count < 8) return null;
  const homography = rotationZoomHomography(initial, camera);
  const residuals = new Float64Array(count * 2);
  const points = new Float64Array(count * 2);
  correspondences.forEach(({ from, to }, index) => {
    const predicted = applyHomography(homography, from);
    residuals[index * 2] = to.x - predicted.x;
    residuals[index * 2 + 1] = to.y - predicted.y;
    points[index * 2] = (from.x - camera.centerX) / camera.focal;
    points[index * 2 + 1] = (from.y - camera.centerY) / camera.focal;
  });
  // Lower in the frame, parallax is cheaper: there the ground comes nearest (see GROUND_PRIOR).
  const halfHeight = camera.centerY / camera.focal;
  const prices = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    const height = Math.max(-1, Math.min(1, points[index * 2 + 1]! / halfHeight));
    prices[index] = price * (1 - GROUND_PRIOR * height);
  }
  const columns = rotationColumns(correspondences, initial, camera);
  const problem: Problem = { count, residuals, columns, points, prices, normals: normalsOf(count, columns) };
  // The corrections that take each parameter to none: pan, tilt, roll 0 and zoom factor 1.
  const startValues = [initial.pan, initial.tilt, initial.roll, initial.zoom - 1];
  const still = fitDirection(problem, null);
  // The coarse search runs on a spread-out subset with few Newton steps: it only has to land
  // in the right basin; the refinement uses every track.
  const sample = subsample(problem, COARSE_TRACKS);
  let coarse = { travel: COARSE[0]!, cost: Number.POSITIVE_INFINITY };
  for (const travel of COARSE) {
    const cost = fitDirection(sample, travel, 3).cost;
    if (cost < coarse.cost) coarse = { travel, cost };
  }
  // Refine around a start direction (the lattice spacing is about 35°) on shrinking 3 × 3 grids.
  // Neighbouring directions have nearly the same rotation correction: each starts from the best
  // so far, so that Newton needs a step or two instead of eight.
  const refine = (start: Vector3, spreads: readonly number[]) => {
    let found = { travel: start, fit: fitDirection(problem, start, REFINE_ITERATIONS) };
    for (const spread of spreads) {
      const center = found.travel;
      for (let i = -1; i <= 1; i += 1) {
        for (let j = -1; j <= 1; j += 1) {
          if (i === 0 && j === 0) continue;
          const travel = nudge(center, spread * i, spread * j);
          const fit = fitDirection(problem, travel, REFINE_ITERATIONS, found.fit.delta);
          if (fit.cost < found.fit.cost) found = { travel, fit };
        }
      }
    }
    return { travel: found.travel, fit: fitDirection(problem, found.travel, 8, found.fit.delta) };
  };
  let best = refine(coarse.travel, [0.3, 0.12, 0.05]);
  // Occam: a rotation + zoom component that the travel makes unnecessary is dropped. A truck
  // needs no pan when every point, the far ones too, drifts the way the travel sends it (q ≥ 0
  // holds with the pan at zero: the background is simply at a finite depth); an arc needs its
  // pan, because there the far points drift against the travel. The depth-reversed reading
  // (travel −t, every depth order flipped) competes on the same terms: dolly out over a near
  // and a far layer also reads as dolly in plus a zoom out, and only the first needs no zoom.
  const simplest = (travel: Vector3, fit: DirectionFit) => {
    let pinned = [false, false, false, false];
    let chosen = fit;
    for (const parameter of PINNABLE) {
      const trial = pinned.map((isPinned, index) => isPinned || index === parameter);
      const start = chosen.delta.map((value, index) => (trial[index] ? -startValues[index]! : value));
      const pinnedFit = fitDirection(problem, travel, 4, start, trial);
      if (pinnedFit.cost - fit.cost < PIN_TOLERANCE * count) {
        pinned = trial;
        chosen = pinnedFit;
      }
    }
    const freeCount = PINNABLE.filter((parameter) => !pinned[parameter]).length;
    const order = depthOrder(problem, travel, chosen.delta);
    return { travel, fit: chosen, penalized: chosen.cost + PIN_TOLERANCE * count * freeCount + ORDER_PENALTY * count * Math.max(0, -order - ORDER_SLACK) };
  };
  const reversed = { x: -best.travel.x, y: -best.travel.y, z: -best.travel.z };
  const readings = [simplest(best.travel, best.fit), simplest(reversed, fitDirection(problem, reversed))];
  // Travel along the axis competes too, whatever the search found: with the zoom free, a slow
  // dolly's radial flow costs less as a zoom (no price) plus a sideways travel for what is left,
  // and only the Occam step, which the search does not see, prefers the dolly without a zoom.
  for (const axis of AXIS) {
    const fit = refine(axis, []);
    readings.push(simplest(fit.travel, fit.fit));
  }
  const chosen = readings.reduce((left, right) => (right.penalized < left.penalized ? right : left));
  best = { travel: chosen.travel, fit: chosen.fit };
  const delta = best.fit.delta;
  const rotation: RotationZoom = {
    pan: initial.pan + delta[0]!,
    tilt: initial.tilt + delta[1]!,
    roll: initial.roll + delta[2]!,
    zoom: initial.zoom + delta[3]!,
  };
  // Parallax is what neither the rotation + zoom nor any single plane explains, per track. It
  // must show on more than a few tracks: a minority of independently moving things (which the
  // travel could explain as very near points) must not make a rotation a travel.
  const plane = fitPlane(correspondences, HUBER_PIXELS);
  const stillCosts = new Float64Array(count);
  fitDirection(problem, null, 0, still.delta, undefined, stillCosts);
  const reference = plane !== null && plane.cost < still.cost ? plane.costs : stillCosts;
  const travelCosts = new Float64Array(count);
  fitDirection(problem, best.travel, 0, best.fit.delta, undefined, travelCosts);
  const gains = Array.from(reference, (value, index) => value - travelCosts[index]!);
  const referenceTotal = Math.min(still.cost, plane?.cost ?? Number.POSITIVE_INFINITY);
  const flows = travelFlows(problem, best.travel, best.fit.delta);
  return {
    rotation,
    travel: best.travel,
    translationPixels: best.fit.translationPixels,
    componentPixels: flows.components,
    gain: Math.max(0, gains.reduce((sum, value) => sum + value, 0) / count) * spreadFactor(flows.movedShare),
    residualPixels: Math.sqrt(best.fit.cost / count),
    coherence: referenceTotal > 0 ? Math.max(0, Math.min(1, (referenceTotal - best.fit.cost) / referenceTotal)) : 0,
  };
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
