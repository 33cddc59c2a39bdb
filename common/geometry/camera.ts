// A pinhole camera: intrinsics, extrinsics, projection and rays. Runtime-free, because the
// renderer draws ground-truth overlays with the same math that rendered the synthetic clips.
//
// Conventions (everything in ground-truth files follows them):
// - World frame: right-handed, metres. X points right (east), Y forward (north), Z up. The
//   ground is the plane Z = 0.
// - Camera frame (OpenCV): x right, y down, z along the optical axis. A level camera with zero
//   yaw, pitch and roll looks along +Y with its x axis on +X and its y axis on −Z.
// - Pixels: u grows to the right, v grows downwards; pixel (i, j) covers [i, i+1) × [j, j+1),
//   so its centre is (i + 0.5, j + 0.5) and the image centre of a W×H image is (W/2, H/2).
// - Orientation is yaw, pitch, roll in radians, applied as a pan-tilt-roll head is built:
//     cameraToWorld = Rz(−yaw) · LEVEL · Rx(pitch) · Rz(roll)
//   yaw > 0 turns the camera to its right (pan right), pitch > 0 raises the optical axis
//   (tilt up), roll > 0 turns the camera clockwise as its operator sees it from behind (roll
//   clockwise). Rz(−yaw) is about the world's up axis, so panning stays level whatever the
//   tilt; Rx and Rz on the right are about the camera's own x and optical axes.
// - A world point P has camera coordinates p = worldToCamera · (P − position) with
//   worldToCamera = cameraToWorldᵀ (OpenCV's R, and t = −R·position).

export type Vec3 = readonly [number, number, number];
/** Row-major 3×3 matrix. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export interface Intrinsics {
  width: number;
  height: number;
  /** Focal lengths in pixels. */
  fx: number;
  fy: number;
  /** Principal point in pixels. */
  cx: number;
  cy: number;
}

export interface Orientation {
  yaw: number;
  pitch: number;
  roll: number;
}

/** Everything needed to project one frame. */
export interface CameraState extends Orientation {
  intrinsics: Intrinsics;
  /** Optical centre in world coordinates. */
  position: Vec3;
}

export interface Projection {
  u: number;
  v: number;
  /** Distance along the optical axis (camera z); always > 0. */
  depth: number;
}

export const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Camera axes at rest as columns: x → +X, y → −Z, z → +Y. */
export const LEVEL: Mat3 = [1, 0, 0, 0, 0, 1, 0, -1, 0];

export function degreesToRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

export function radiansToDegrees(radians: number): number {
  return (radians * 180) / Math.PI;
}

/** Square pixels, principal point at the image centre. */
export function intrinsicsFromFov(width: number, height: number, horizontalFovDegrees: number): Intrinsics {
  const focal = width / 2 / Math.tan(degreesToRadians(horizontalFovDegrees) / 2);
  return { width, height, fx: focal, fy: focal, cx: width / 2, cy: height / 2 };
}

export function horizontalFovDegrees(intrinsics: Intrinsics): number {
  return radiansToDegrees(2 * Math.atan(intrinsics.width / 2 / intrinsics.fx));
}

/** Zoom: focal lengths scaled, principal point kept. */
export function zoomIntrinsics(intrinsics: Intrinsics, factor: number): Intrinsics {
  return { ...intrinsics, fx: intrinsics.fx * factor, fy: intrinsics.fy * factor };
}

export function multiply(a: Mat3, b: Mat3): Mat3 {
  const m = (row: number, column: number) =>
    a[row * 3]! * b[column]! + a[row * 3 + 1]! * b[3 + column]! + a[row * 3 + 2]! * b[6 + column]!;
  return [m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), m(2, 0), m(2, 1), m(2, 2)];
}

export function transpose(a: Mat3): Mat3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

export function apply(a: Mat3, v: Vec3): Vec3 {
  return [
    a[0] * v[0] + a[1] * v[1] + a[2] * v[2],
    a[3] * v[0] + a[4] * v[1] + a[5] * v[2],
    a[6] * v[0] + a[7] * v[1] + a[8] * v[2],
  ];
}

/** Right-handed rotation about the first axis by `angle` radians. */
export function rotationX(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}

export function rotationY(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}

export function rotationZ(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}

export function cameraToWorldRotation({ yaw, pitch, roll }: Orientation): Mat3 {
  return multiply(multiply(multiply(rotationZ(-yaw), LEVEL), rotationX(pitch)), rotationZ(roll));
}

export function worldToCameraRotation(orientation: Orientation): Mat3 {
  return transpose(cameraToWorldRotation(orientation));
}

/** Unit vectors of the camera's right, down and forward axes in world coordinates. */
export function cameraAxes(orientation: Orientation): { right: Vec3; down: Vec3; forward: Vec3 } {
  const r = cameraToWorldRotation(orientation);
  return { right: [r[0], r[3], r[6]], down: [r[1], r[4], r[7]], forward: [r[2], r[5], r[8]] };
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function subtract(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scale(a: Vec3, factor: number): Vec3 {
  return [a[0] * factor, a[1] * factor, a[2] * factor];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function length(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

export function toCamera(state: CameraState, point: Vec3): Vec3 {
  return apply(worldToCameraRotation(state), subtract(point, state.position));
}

/** Pixel coordinates of a world point, or null when it is not in front of the camera. */
export function project(state: CameraState, point: Vec3): Projection | null {
  const [x, y, z] = toCamera(state, point);
  if (z <= 1e-9) return null;
  const { fx, fy, cx, cy } = state.intrinsics;
  return { u: cx + (fx * x) / z, v: cy + (fy * y) / z, depth: z };
}

export function isInside(intrinsics: Intrinsics, projection: Projection): boolean {
  return projection.u >= 0 && projection.u < intrinsics.width && projection.v >= 0 && projection.v < intrinsics.height;
}

/**
 * World-space direction through pixel position (u, v), scaled so that its component along
 * the optical axis is 1: the ray reaches depth d at position + d · direction.
 */
export function rayDirection(state: CameraState, u: number, v: number): Vec3 {
  const { fx, fy, cx, cy } = state.intrinsics;
  return apply(cameraToWorldRotation(state), [(u - cx) / fx, (v - cy) / fy, 1]);
}

/**
 * The homography that maps pixels of frame `from` to frame `to` for points at infinity:
 * K_to · R_to · R_fromᵀ · K_from⁻¹. It is the whole image motion of a rotation or zoom, so what
 * a real motion adds to it is parallax, caused only by translation (DESIGN.md "Camera motion,
 * geometrically").
 */
export function infiniteHomography(from: CameraState, to: CameraState): Mat3 {
  const inverseFrom: Mat3 = [
    1 / from.intrinsics.fx, 0, -from.intrinsics.cx / from.intrinsics.fx,
    0, 1 / from.intrinsics.fy, -from.intrinsics.cy / from.intrinsics.fy,
    0, 0, 1,
  ];
  const intrinsicsTo: Mat3 = [to.intrinsics.fx, 0, to.intrinsics.cx, 0, to.intrinsics.fy, to.intrinsics.cy, 0, 0, 1];
  const rotation = multiply(worldToCameraRotation(to), cameraToWorldRotation(from));
  return multiply(multiply(intrinsicsTo, rotation), inverseFrom);
}

/** Applies a homography to a pixel position; null when the point maps to infinity or behind. */
export function applyHomography(h: Mat3, u: number, v: number): { u: number; v: number } | null {
  const [x, y, w] = apply(h, [u, v, 1]);
  return w <= 1e-12 ? null : { u: x / w, v: y / w };
}
