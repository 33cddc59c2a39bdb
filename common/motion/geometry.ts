// Global motion between two frames as a camera rotation and a focal change (DESIGN.md "Camera
// motion, geometrically"). Runtime-free: the analyzer fits with OpenCV in backend/, but the
// decomposition, the refit and the tests need only these few 3×3 operations.
//
// Conventions follow common/geometry/camera.ts: camera x right, y down, z forward; pixels u
// right, v down. A pair's rotation is the second camera's orientation relative to the first,
// R = Ry(pan) · Rx(tilt) · Rz(roll) in the first camera's frame (standard right-handed
// matrices), so pan > 0 turns the optical axis to the right (+x), tilt > 0 raises it (−y) and
// roll > 0 turns the camera's x axis towards +y: clockwise as the operator sees it. A point p
// seen by the first camera is seen by the second at diag(s, s, 1) · Rᵀ · p (s: zoom factor).

export type Matrix3 = [number, number, number, number, number, number, number, number, number];

export interface Point {
  x: number;
  y: number;
}

/** One tracked point: where it was in the first frame and where it is in the second. */
export interface Correspondence {
  from: Point;
  to: Point;
}

/** Pinhole intrinsics with square pixels and the principal point at the image centre. */
export interface CameraModel {
  width: number;
  height: number;
  /** Focal length in pixels. */
  focal: number;
  centerX: number;
  centerY: number;
}

/** Rotation in radians and zoom (focal ratio, > 1 zooms in) from one frame to the next. */
export interface RotationZoom {
  pan: number;
  tilt: number;
  roll: number;
  zoom: number;
}

/**
 * CameraBench clips come from every kind of lens; 60° is a middle-of-the-road horizontal field
 * of view. The choice scales the rotation rates (a wrong FOV misreports degrees, not directions).
 */
export const DEFAULT_FOV_DEGREES = 60;

export function cameraModel(width: number, height: number, fovDegrees = DEFAULT_FOV_DEGREES): CameraModel {
  const focal = width / 2 / Math.tan((fovDegrees * Math.PI) / 360);
  return { width, height, focal, centerX: width / 2, centerY: height / 2 };
}

export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out: Matrix3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let row = 0; row < 3; row += 1) {
    for (let column = 0; column < 3; column += 1) {
      out[row * 3 + column] = a[row * 3]! * b[column]! + a[row * 3 + 1]! * b[3 + column]! + a[row * 3 + 2]! * b[6 + column]!;
    }
  }
  return out;
}

export function transpose(m: Matrix3): Matrix3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

export function determinant(m: Matrix3): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

export function inverse(m: Matrix3): Matrix3 {
  const det = determinant(m);
  const cofactors: Matrix3 = [
    m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
    m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
    m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
  ];
  return cofactors.map((value) => value / det) as Matrix3;
}

export function applyHomography(h: Matrix3, point: Point): Point {
  const w = h[6] * point.x + h[7] * point.y + h[8];
  return { x: (h[0] * point.x + h[1] * point.y + h[2]) / w, y: (h[3] * point.x + h[4] * point.y + h[5]) / w };
}

export function intrinsicMatrix(camera: CameraModel): Matrix3 {
  return [camera.focal, 0, camera.centerX, 0, camera.focal, camera.centerY, 0, 0, 1];
}

/** R = Ry(pan) · Rx(tilt) · Rz(roll), with the axis conventions at the top of this file. */
export function rotationMatrix(pan: number, tilt: number, roll: number): Matrix3 {
  const [cp, sp, ct, st, cr, sr] = [Math.cos(pan), Math.sin(pan), Math.cos(tilt), Math.sin(tilt), Math.cos(roll), Math.sin(roll)];
  const yaw: Matrix3 = [cp, 0, sp, 0, 1, 0, -sp, 0, cp];
  // Standard Rx(tilt): its third column (0, −sin, cos) raises the optical axis towards −y.
  const pitch: Matrix3 = [1, 0, 0, 0, ct, -st, 0, st, ct];
  const spin: Matrix3 = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  return multiply(multiply(yaw, pitch), spin);
}

/** Inverse of {@link rotationMatrix} for a proper rotation. */
export function anglesOf(rotation: Matrix3): { pan: number; tilt: number; roll: number } {
  // Third column: the new optical axis (cos t·sin p, −sin t, cos t·cos p); (R10, R11) = cos t·(sin r, cos r).
  const pan = Math.atan2(rotation[2], rotation[8]);
  const tilt = Math.atan2(-rotation[5], Math.hypot(rotation[2], rotation[8]));
  const roll = Math.atan2(rotation[3], rotation[4]);
  return { pan, tilt, roll };
}

/** The pixel homography that a rotation and a zoom produce: K · diag(s, s, 1) · Rᵀ · K⁻¹. */
export function rotationZoomHomography(motion: RotationZoom, camera: CameraModel): Matrix3 {
  const k = intrinsicMatrix(camera);
  const zoom: Matrix3 = [motion.zoom, 0, 0, 0, motion.zoom, 0, 0, 0, 1];
  return multiply(multiply(multiply(k, zoom), transpose(rotationMatrix(motion.pan, motion.tilt, motion.roll))), inverse(k));
}

/** Nearest rotation (polar factor) by Newton's iteration X ← (X + X⁻ᵀ) / 2; converges in a few steps near a rotation. */
export function nearestRotation(m: Matrix3): Matrix3 {
  let current = m;
  for (let step = 0; step < 12; step += 1) {
    const inverseTransposed = transpose(inverse(current));
    current = current.map((value, index) => (value + inverseTransposed[index]!) / 2) as Matrix3;
  }
  return current;
}

/**
 * Reads a pixel homography as rotation + zoom: H ≈ K · diag(s, s, 1) · Rᵀ · K⁻¹. The rows of
 * K⁻¹HK are, up to one scale λ, s·(rows 1–2 of Rᵀ) and row 3 of Rᵀ; unit rows give λ and s.
 * Whatever translation or plane tilt the homography also holds is forced into the nearest
 * rotation, which is why the analyzer refits ({@link fitRotationZoom}) on the points.
 */
export function decomposeHomography(h: Matrix3, camera: CameraModel): RotationZoom {
  const k = intrinsicMatrix(camera);
  let normalized = multiply(multiply(inverse(k), h), k);
  if (normalized[8] < 0) normalized = normalized.map((value) => -value) as Matrix3;
  const rowNorm = (row: number) => Math.hypot(normalized[row * 3]!, normalized[row * 3 + 1]!, normalized[row * 3 + 2]!);
  const lambda = rowNorm(2);
  const zoom = (rowNorm(0) + rowNorm(1)) / 2 / lambda;
  const scaled = normalized.map((value, index) => value / (index < 6 ? lambda * zoom : lambda)) as Matrix3;
  const rotation = transpose(nearestRotation(scaled));
  return { ...anglesOf(rotation), zoom };
}

/** Pixel displacement of a correspondence. */
export function flowOf(correspondence: Correspondence): Point {
  return { x: correspondence.to.x - correspondence.from.x, y: correspondence.to.y - correspondence.from.y };
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (NumPy's default); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Gaussian elimination with partial pivoting; null for a singular system. */
export function solveLinear(matrix: number[][], vector: number[]): number[] | null {
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
