// The best general homography through a pair's tracks, as the reference that parallax is
// measured against. Rotation, zoom and any travel past a single plane (a truck along a wall, a
// pedestal over flat ground seen at one depth) move every point by one homography: only what
// no homography explains is depth-dependent motion (plane + parallax, Irani and Anandan 1996).
import { applyHomography, multiply, solveLinear, type Correspondence, type Matrix3 } from './geometry';

/**
 * Direct linear fit (h₃₃ = 1) on coordinates centred and scaled to unit spread (Hartley's
 * normalisation), then two reweighted passes so that a few bad tracks do not bend it: residuals
 * beyond `huberPixels` weigh as in a Huber loss. Returns the homography (pixels) and its cost,
 * Σ w·|r|² with the same weights the travel fit uses (and per track), or null with fewer than 8 tracks.
 */
export function fitPlane(correspondences: readonly Correspondence[], huberPixels: number): { homography: Matrix3; cost: number; costs: Float64Array } | null {
  const count = correspondences.length;
  if (count < 8) return null;
  const centre = (pick: (c: Correspondence) => { x: number; y: number }) => {
    let x = 0;
    let y = 0;
    for (const correspondence of correspondences) {
      x += pick(correspondence).x;
      y += pick(correspondence).y;
    }
    x /= count;
    y /= count;
    let spread = 0;
    for (const correspondence of correspondences) spread += Math.hypot(pick(correspondence).x - x, pick(correspondence).y - y);
    return { x, y, scale: spread > 0 ? count / spread : 1 };
  };
  const source = centre((c) => c.from);
  const target = centre((c) => c.to);
  const weights = new Float64Array(count).fill(1);
  let homography: Matrix3 | null = null;
  let cost = Number.POSITIVE_INFINITY;
  const costs = new Float64Array(count);
  for (let pass = 0; pass < 3; pass += 1) {
    const normal = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
    const right = new Array<number>(8).fill(0);
    correspondences.forEach(({ from, to }, index) => {
      const x = (from.x - source.x) * source.scale;
      const y = (from.y - source.y) * source.scale;
      const u = (to.x - target.x) * target.scale;
      const v = (to.y - target.y) * target.scale;
      const rows: Array<[number[], number]> = [
        [[x, y, 1, 0, 0, 0, -u * x, -u * y], u],
        [[0, 0, 0, x, y, 1, -v * x, -v * y], v],
      ];
      const weight = weights[index]!;
      for (const [row, value] of rows) {
        for (let i = 0; i < 8; i += 1) {
          right[i]! += weight * row[i]! * value;
          for (let j = 0; j < 8; j += 1) normal[i]![j]! += weight * row[i]! * row[j]!;
        }
      }
    });
    const normalized = solveLinear(normal, right);
    if (normalized === null) return null;
    // Undo the normalisation: H = T_target⁻¹ · Ĥ · T_source.
    const [a, b, c, d, e, f, g, h] = normalized as [number, number, number, number, number, number, number, number];
    const s = source.scale;
    const t = target.scale;
    const sourceShift: Matrix3 = [s, 0, -s * source.x, 0, s, -s * source.y, 0, 0, 1];
    const hat: Matrix3 = [a, b, c, d, e, f, g, h, 1];
    const targetInverse: Matrix3 = [1 / t, 0, target.x, 0, 1 / t, target.y, 0, 0, 1];
    homography = multiply(multiply(targetInverse, hat), sourceShift);
    cost = 0;
    correspondences.forEach(({ from, to }, index) => {
      const predicted = applyHomography(homography!, from);
      const distance = Math.hypot(to.x - predicted.x, to.y - predicted.y);
      const weight = distance <= huberPixels ? 1 : huberPixels / distance;
      weights[index] = weight;
      costs[index] = weight * distance * distance;
      cost += costs[index]!;
    });
  }
  return homography === null || !Number.isFinite(cost) ? null : { homography, cost, costs };
}
