// Motion evidence for the built-in reasoner (issue 11): one fixed-length vector per sampled frame
// pair, computed from the analyzer's tracks (not from its primitive scores), so a model learns
// from what the pixels did rather than from the geometric analyzer's verdicts. Stored per clip
// in clip_evidence (db/evidence.ts) so training and inference never track a clip again.
//
// Every flow is in frame WIDTHS per pair and every position is centred on the image and divided
// by the width: the same camera move gives the same numbers at 320 px or at 1080 px.
import { applyHomography, type Correspondence } from '../../../common/motion/geometry';
import { DEFAULT_TRACKING, type PairTracks } from './track';

// The version lives beside its table (as the analyzer's does: db/analysis.ts), so the store's
// readers default to it; bump it there with any change to the features below.
export { EVIDENCE_VERSION } from '../../../db/evidence';

/** Fewer tracks than this cannot tell rotation from parallax: the pair is left unmeasured (the analyzer's rule too). */
export const MIN_TRACKS = 12;

/** The coarse flow grid: columns left to right, rows top to bottom. */
const GRID_COLUMNS = 4;
const GRID_ROWS = 3;

function gridFeatureNames(): string[] {
  const names: string[] = [];
  for (let row = 0; row < GRID_ROWS; row += 1) {
    for (let column = 0; column < GRID_COLUMNS; column += 1) names.push(`grid_r${row}_c${column}_dx`, `grid_r${row}_c${column}_dy`, `grid_r${row}_c${column}_share`);
  }
  return names;
}

/**
 * The vector's entries, in order. Signs: x right, y down (image axes); `affine_curl` is positive
 * when the content turns clockwise on screen, `affine_divergence` positive when it grows (zoom in,
 * move in).
 */
export const EVIDENCE_FEATURES: readonly string[] = Object.freeze([
  'measured',
  ...gridFeatureNames(),
  'affine_tx',
  'affine_ty',
  'affine_divergence',
  'affine_curl',
  // (a11 − a22) / 2 and (a12 + a21) / 2: the two ways a field can stretch without growing or turning.
  'affine_shear_stretch',
  'affine_shear_skew',
  'affine_residual',
  'homography_residual',
  'inlier_ratio',
  // Tracks kept over DEFAULT_TRACKING.targetTracks: how much of the frame could be followed.
  'track_count',
]);

export const EVIDENCE_DIMS = EVIDENCE_FEATURES.length;

const GRID_OFFSET = 1;
const AFFINE_OFFSET = GRID_OFFSET + GRID_ROWS * GRID_COLUMNS * 3;
const AFFINE_RESIDUAL = AFFINE_OFFSET + 6;
const HOMOGRAPHY_RESIDUAL = AFFINE_RESIDUAL + 1;
const INLIER_RATIO = HOMOGRAPHY_RESIDUAL + 1;
const TRACK_COUNT = INLIER_RATIO + 1;

/**
 * A point the homography puts further off than this (frame widths) counts as this far: a
 * near-degenerate homography (its w close to 0) would otherwise send one point to infinity and
 * make the whole pair's residual meaningless.
 */
const MAX_POINT_RESIDUAL = 1;

/** Below this (det of the normal matrix over n³), the points lie on a line and the affine fit is only a translation. */
const SINGULAR_DETERMINANT = 1e-9;

/** The evidence of one frame pair; all zeros (measured 0) for a pair without enough tracks. */
export function pairEvidence(tracks: PairTracks | null, width: number, height: number): Float32Array {
  const evidence = new Float32Array(EVIDENCE_DIMS);
  if (tracks === null || tracks.correspondences.length < MIN_TRACKS || !(width > 0) || !(height > 0)) return evidence;
  const { correspondences } = tracks;
  const count = correspondences.length;
  evidence[0] = 1;

  // Positions centred and in widths; flows in widths.
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  const dxs = new Float64Array(count);
  const dys = new Float64Array(count);
  correspondences.forEach(({ from, to }, index) => {
    xs[index] = (from.x - width / 2) / width;
    ys[index] = (from.y - height / 2) / width;
    dxs[index] = (to.x - from.x) / width;
    dys[index] = (to.y - from.y) / width;
  });

  writeGrid(evidence, correspondences, dxs, dys, width, height);
  const affine = fitAffine(xs, ys, dxs, dys);
  const [tx, a11, a12, ty, a21, a22] = affine;
  evidence.set([tx, ty, (a11 + a22) / 2, (a21 - a12) / 2, (a11 - a22) / 2, (a12 + a21) / 2], AFFINE_OFFSET);
  let squared = 0;
  for (let index = 0; index < count; index += 1) {
    const x = xs[index]!;
    const y = ys[index]!;
    squared += (dxs[index]! - (tx + a11 * x + a12 * y)) ** 2 + (dys[index]! - (ty + a21 * x + a22 * y)) ** 2;
  }
  evidence[AFFINE_RESIDUAL] = Math.sqrt(squared / count);
  if (tracks.homography !== null) {
    let homographySquared = 0;
    for (const { from, to } of correspondences) {
      const mapped = applyHomography(tracks.homography, from);
      const error = Math.hypot(mapped.x - to.x, mapped.y - to.y) / width;
      homographySquared += Number.isFinite(error) ? Math.min(error, MAX_POINT_RESIDUAL) ** 2 : MAX_POINT_RESIDUAL ** 2;
    }
    evidence[HOMOGRAPHY_RESIDUAL] = Math.sqrt(homographySquared / count);
  }
  evidence[INLIER_RATIO] = tracks.inlierRatio;
  evidence[TRACK_COUNT] = count / DEFAULT_TRACKING.targetTracks;
  // The model reads these as they are: a NaN (a bad homography, odd input) must never reach it.
  for (let index = 0; index < EVIDENCE_DIMS; index += 1) if (!Number.isFinite(evidence[index]!)) evidence[index] = 0;
  return evidence;
}

/** Per cell (by where each track started): mean dx, mean dy and the cell's share of the tracks; an empty cell is all 0. */
function writeGrid(evidence: Float32Array, correspondences: readonly Correspondence[], dxs: Float64Array, dys: Float64Array, width: number, height: number): void {
  const cells = GRID_ROWS * GRID_COLUMNS;
  const sums = new Float64Array(cells * 2);
  const counts = new Float64Array(cells);
  correspondences.forEach(({ from }, index) => {
    const column = Math.min(GRID_COLUMNS - 1, Math.max(0, Math.floor((from.x / width) * GRID_COLUMNS)));
    const row = Math.min(GRID_ROWS - 1, Math.max(0, Math.floor((from.y / height) * GRID_ROWS)));
    const cell = row * GRID_COLUMNS + column;
    sums[cell * 2] = sums[cell * 2]! + dxs[index]!;
    sums[cell * 2 + 1] = sums[cell * 2 + 1]! + dys[index]!;
    counts[cell] = counts[cell]! + 1;
  });
  for (let cell = 0; cell < cells; cell += 1) {
    const inCell = counts[cell]!;
    if (inCell === 0) continue;
    const offset = GRID_OFFSET + cell * 3;
    evidence[offset] = sums[cell * 2]! / inCell;
    evidence[offset + 1] = sums[cell * 2 + 1]! / inCell;
    evidence[offset + 2] = inCell / correspondences.length;
  }
}

/**
 * Least squares of dx = tx + a11·x + a12·y and dy = ty + a21·x + a22·y: [tx, a11, a12, ty, a21, a22].
 * Solved here from the 3 × 3 normal equations (both components share them) by Cramer's rule:
 * a fixed, tiny system per pair, where copying the points into opencv.js matrices and back
 * would cost more than the fit itself.
 */
function fitAffine(xs: Float64Array, ys: Float64Array, dxs: Float64Array, dys: Float64Array): [number, number, number, number, number, number] {
  const count = xs.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  let bx0 = 0, bx1 = 0, bx2 = 0, by0 = 0, by1 = 0, by2 = 0;
  for (let index = 0; index < count; index += 1) {
    const x = xs[index]!;
    const y = ys[index]!;
    const dx = dxs[index]!;
    const dy = dys[index]!;
    sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y;
    bx0 += dx; bx1 += x * dx; bx2 += y * dx;
    by0 += dy; by1 += x * dy; by2 += y * dy;
  }
  // Normal matrix [[n, sx, sy], [sx, sxx, sxy], [sy, sxy, syy]] (symmetric).
  const det3 = (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number): number =>
    a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const determinant = det3(count, sx, sy, sx, sxx, sxy, sy, sxy, syy);
  if (!(Math.abs(determinant) / count ** 3 > SINGULAR_DETERMINANT)) return [bx0 / count, 0, 0, by0 / count, 0, 0];
  const solve = (b0: number, b1: number, b2: number): [number, number, number] => [
    det3(b0, sx, sy, b1, sxx, sxy, b2, sxy, syy) / determinant,
    det3(count, b0, sy, sx, b1, sxy, sy, b2, syy) / determinant,
    det3(count, sx, b0, sx, sxx, b1, sy, sxy, b2) / determinant,
  ];
  return [...solve(bx0, bx1, bx2), ...solve(by0, by1, by2)];
}
