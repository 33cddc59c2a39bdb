// Image-space facts of a clip, measured exactly from its ground truth: for each pair of frames,
// scene points seen through a grid of pixels are projected into the next frame (hidden ones
// dropped) and their motion summarised as drift, expansion, rotation and parallax. These are
// the numbers an O-T-A observation cites, so a chain states what is really on screen.
import {
  applyHomography, infiniteHomography, project, rayDirection, subtract, length, type CameraState, type Vec3,
} from '../../../common/geometry/camera';
import { traceScene } from './rayKernel';

export interface MotionFacts {
  frameCount: number;
  fps: number;
  /** 1-based first and last frame of the frames between which anything moves; null if static. */
  movingFrames: readonly [number, number] | null;
  /**
   * The drift, expansion and rotation below describe the far background (points ≥ 15 m away,
   * or every point when too few are that far): the picture a rotation or zoom moves as one,
   * and the reference that parallax is measured against. Fitting near points too would turn
   * parallax into a spurious rotation or scaling (a truck over a near ground "turns").
   */
  reference: 'far background' | 'whole image';
  /** Net drift of the image, % of the frame width per second; x > 0 right, y > 0 down. */
  drift: { x: number; y: number };
  /** Net growth of the image about its centre, % per second (> 0 expands). */
  expansion: number;
  /** Net turn of the image about its centre, degrees per second; > 0 clockwise on screen. */
  rotation: number;
  /** Farthest the image got from where it started (% of width, degrees): shake shows here. */
  excursion: { translation: number; rotation: number };
  /** Where the image ends relative to where it started, % of width. */
  netShift: number;
  /**
   * Motion that no rotation or zoom explains (the residual after the infinite homography), for
   * near (≤ 8 m) and far (≥ 15 m) points: zero unless the camera translates.
   */
  parallax: {
    nearDepth: number | null;
    farDepth: number | null;
    /** Mean residual speed, % of width per second. */
    nearSpeed: number;
    farSpeed: number;
    /** Mean residual direction of near points, % of width per second (x > 0 right, y > 0 down). */
    nearSlide: { x: number; y: number };
    /** Mean outward residual of near points from the centre, % of width per second. */
    nearSpread: number;
  };
  /** Largest displacement of any tracked point between two consecutive frames, in pixels. */
  maxStepPixels: number;
}

const GRID = { columns: 24, rows: 14 };
const NEAR_DEPTH = 8;
const FAR_DEPTH = 15;
const MIN_FIT_POINTS = 6;

export function measureMotion(scene: Float64Array, states: readonly CameraState[], fps: number): MotionFacts {
  const first = states[0];
  if (!first) throw new Error('measureMotion: no frames');
  const width = first.intrinsics.width;
  const seconds = Math.max(1, states.length - 1) / fps;
  const percent = (pixels: number) => (100 * pixels) / width;

  let sumX = 0, sumY = 0, sumLogScale = 0, sumAngle = 0;
  let maxExcursion = 0, maxTurn = 0, maxStep = 0;
  let firstMoving = -1, lastMoving = -1;
  let farFits = 0;
  const near = { depth: 0, depthCount: 0, speed: 0, slideX: 0, slideY: 0, spread: 0 };
  const far = { depth: 0, depthCount: 0, speed: 0 };

  for (let frame = 0; frame + 1 < states.length; frame++) {
    const from = states[frame]!;
    const to = states[frame + 1]!;
    const pairs = trackedPoints(scene, from, to);
    const homography = infiniteHomography(from, to);
    let step = 0;
    const nearStep = { speed: 0, slideX: 0, slideY: 0, spread: 0, count: 0 };
    const farStep = { speed: 0, count: 0 };
    for (const pair of pairs) {
      step = Math.max(step, Math.hypot(pair.to[0] - pair.from[0], pair.to[1] - pair.from[1]));
      const predicted = applyHomography(homography, pair.from[0], pair.from[1]);
      if (!predicted) continue;
      const rx = pair.to[0] - predicted.u;
      const ry = pair.to[1] - predicted.v;
      if (pair.depth <= NEAR_DEPTH) {
        const ox = pair.from[0] - from.intrinsics.cx;
        const oy = pair.from[1] - from.intrinsics.cy;
        const radius = Math.hypot(ox, oy) || 1;
        nearStep.speed += Math.hypot(rx, ry);
        nearStep.slideX += rx;
        nearStep.slideY += ry;
        nearStep.spread += (rx * ox + ry * oy) / radius;
        nearStep.count++;
        near.depth += pair.depth;
        near.depthCount++;
      } else if (pair.depth >= FAR_DEPTH) {
        farStep.speed += Math.hypot(rx, ry);
        farStep.count++;
        far.depth += pair.depth;
        far.depthCount++;
      }
    }
    if (nearStep.count > 0) {
      near.speed += nearStep.speed / nearStep.count;
      near.slideX += nearStep.slideX / nearStep.count;
      near.slideY += nearStep.slideY / nearStep.count;
      near.spread += nearStep.spread / nearStep.count;
    }
    if (farStep.count > 0) far.speed += farStep.speed / farStep.count;
    maxStep = Math.max(maxStep, step);
    if (step > 0.01) {
      if (firstMoving < 0) firstMoving = frame;
      lastMoving = frame + 1;
    }
    const farPairs = pairs.filter((pair) => pair.depth >= FAR_DEPTH);
    const isFarFit = farPairs.length >= MIN_FIT_POINTS;
    if (isFarFit) farFits++;
    const fit = fitSimilarity(isFarFit ? farPairs : pairs, from.intrinsics.cx, from.intrinsics.cy);
    if (!fit) continue;
    sumX += fit.x;
    sumY += fit.y;
    sumLogScale += Math.log(fit.scale);
    sumAngle += fit.angle;
    maxExcursion = Math.max(maxExcursion, Math.hypot(sumX, sumY));
    maxTurn = Math.max(maxTurn, Math.abs(sumAngle));
  }

  return {
    frameCount: states.length,
    fps,
    movingFrames: firstMoving < 0 ? null : [firstMoving + 1, lastMoving + 1],
    reference: farFits * 2 >= states.length - 1 ? 'far background' : 'whole image',
    drift: { x: percent(sumX) / seconds, y: percent(sumY) / seconds },
    expansion: 100 * (Math.exp(sumLogScale / seconds) - 1),
    rotation: (sumAngle * 180) / Math.PI / seconds,
    excursion: { translation: percent(maxExcursion), rotation: (maxTurn * 180) / Math.PI },
    netShift: percent(Math.hypot(sumX, sumY)),
    parallax: {
      nearDepth: near.depthCount > 0 ? near.depth / near.depthCount : null,
      farDepth: far.depthCount > 0 ? far.depth / far.depthCount : null,
      nearSpeed: percent(near.speed) / seconds,
      farSpeed: percent(far.speed) / seconds,
      nearSlide: { x: percent(near.slideX) / seconds, y: percent(near.slideY) / seconds },
      nearSpread: percent(near.spread) / seconds,
    },
    maxStepPixels: maxStep,
  };
}

interface TrackedPoint {
  from: readonly [number, number];
  to: readonly [number, number];
  /** Depth in the first frame, metres. */
  depth: number;
}

/** Scene points under a grid of pixels of `from` that are also visible in `to`. */
function trackedPoints(scene: Float64Array, from: CameraState, to: CameraState): TrackedPoint[] {
  const { width, height } = from.intrinsics;
  const points: TrackedPoint[] = [];
  for (let row = 0; row < GRID.rows; row++) {
    for (let column = 0; column < GRID.columns; column++) {
      const u = ((column + 0.5) * width) / GRID.columns;
      const v = ((row + 0.5) * height) / GRID.rows;
      const direction = rayDirection(from, u, v);
      const t = traceScene(scene, from.position[0], from.position[1], from.position[2], direction[0], direction[1], direction[2]);
      if (!Number.isFinite(t)) continue; // sky
      const point: Vec3 = [from.position[0] + t * direction[0], from.position[1] + t * direction[1], from.position[2] + t * direction[2]];
      const next = project(to, point);
      if (!next || next.u < 0 || next.u >= width || next.v < 0 || next.v >= height) continue;
      // Hidden in the next frame when something else is nearer along the ray to it.
      const toPoint = subtract(point, to.position);
      const distance = length(toPoint);
      const seen = traceScene(scene, to.position[0], to.position[1], to.position[2], toPoint[0] / distance, toPoint[1] / distance, toPoint[2] / distance);
      if (seen < distance * (1 - 1e-4)) continue;
      points.push({ from: [u, v], to: [next.u, next.v], depth: t });
    }
  }
  return points;
}

/**
 * Least-squares similarity (scale, rotation, translation) about the principal point mapping
 * the first positions to the second. Angle > 0 is clockwise on screen (v grows downwards).
 */
function fitSimilarity(points: readonly TrackedPoint[], cx: number, cy: number): { x: number; y: number; scale: number; angle: number } | null {
  if (points.length < MIN_FIT_POINTS) return null;
  let ax = 0, ay = 0, bx = 0, by = 0;
  for (const point of points) {
    ax += point.from[0] - cx;
    ay += point.from[1] - cy;
    bx += point.to[0] - cx;
    by += point.to[1] - cy;
  }
  ax /= points.length;
  ay /= points.length;
  bx /= points.length;
  by /= points.length;
  let norm = 0, dotSum = 0, crossSum = 0;
  for (const point of points) {
    const px = point.from[0] - cx - ax;
    const py = point.from[1] - cy - ay;
    const qx = point.to[0] - cx - bx;
    const qy = point.to[1] - cy - by;
    norm += px * px + py * py;
    dotSum += px * qx + py * qy;
    crossSum += px * qy - py * qx;
  }
  if (norm < 1e-9) return null;
  const p = dotSum / norm;
  const q = crossSum / norm;
  return { x: bx - (p * ax - q * ay), y: by - (q * ax + p * ay), scale: Math.hypot(p, q), angle: Math.atan2(q, p) };
}
