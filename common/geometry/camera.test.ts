import { describe, expect, it } from 'vitest';
import {
  applyHomography, cameraAxes, cameraToWorldRotation, degreesToRadians, infiniteHomography, intrinsicsFromFov,
  multiply, project, rayDirection, transpose, zoomIntrinsics, type CameraState, type Mat3, type Vec3,
} from './camera';

const intrinsics = intrinsicsFromFov(480, 272, 60);
const rest: CameraState = { intrinsics, position: [0, 0, 1.5], yaw: 0, pitch: 0, roll: 0 };

function at(point: Vec3, state: CameraState = rest) {
  const projection = project(state, point);
  if (!projection) throw new Error(`${point.join(',')} is behind the camera`);
  return projection;
}

function expectClose(actual: Mat3, expected: Mat3) {
  actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 12));
}

describe('intrinsics', () => {
  it('puts the principal point at the image centre and derives the focal length from the FOV', () => {
    expect(intrinsics.cx).toBe(240);
    expect(intrinsics.cy).toBe(136);
    // tan(30°) = 240 / fx
    expect(intrinsics.fx).toBeCloseTo(240 / Math.tan(Math.PI / 6), 10);
    expect(intrinsics.fy).toBe(intrinsics.fx);
  });
});

describe('rotation', () => {
  it('is orthonormal with determinant 1 for any yaw, pitch and roll', () => {
    const r = cameraToWorldRotation({ yaw: 0.3, pitch: -0.2, roll: 0.7 });
    expectClose(multiply(r, transpose(r)), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const determinant =
      r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
    expect(determinant).toBeCloseTo(1, 12);
  });

  it('levels the camera at rest: looking along +Y, right on +X, down on −Z', () => {
    const { right, down, forward } = cameraAxes({ yaw: 0, pitch: 0, roll: 0 });
    expect(right).toEqual([1, 0, 0]);
    expect(down).toEqual([0, 0, -1]);
    expect(forward).toEqual([0, 1, 0]);
  });

  it('turns the optical axis right for yaw > 0 and up for pitch > 0', () => {
    expect(cameraAxes({ yaw: 0.2, pitch: 0, roll: 0 }).forward[0]).toBeGreaterThan(0);
    expect(cameraAxes({ yaw: 0, pitch: 0.2, roll: 0 }).forward[2]).toBeGreaterThan(0);
  });

  it('keeps a pan level whatever the tilt (yaw is about the world up axis)', () => {
    const { right } = cameraAxes({ yaw: 0.5, pitch: 0.3, roll: 0 });
    expect(right[2]).toBeCloseTo(0, 12);
  });
});

describe('projection', () => {
  it('projects a point straight ahead to the principal point', () => {
    const p = at([0, 10, 1.5]);
    expect(p.u).toBeCloseTo(240, 10);
    expect(p.v).toBeCloseTo(136, 10);
    expect(p.depth).toBeCloseTo(10, 10);
  });

  it('puts points to the right right, points above up, and drops points behind', () => {
    expect(at([1, 10, 1.5]).u).toBeGreaterThan(240);
    expect(at([0, 10, 2.5]).v).toBeLessThan(136);
    expect(project(rest, [0, -5, 1.5])).toBeNull();
  });

  it('inverts rayDirection', () => {
    const state: CameraState = { ...rest, yaw: 0.4, pitch: -0.1, roll: 0.3, position: [1, 2, 3] };
    const direction = rayDirection(state, 100.5, 40.25);
    const point: Vec3 = [1 + 7 * direction[0], 2 + 7 * direction[1], 3 + 7 * direction[2]];
    const p = at(point, state);
    expect(p.u).toBeCloseTo(100.5, 9);
    expect(p.v).toBeCloseTo(40.25, 9);
    expect(p.depth).toBeCloseTo(7, 9);
  });
});

describe('image motion', () => {
  const far: Vec3 = [0, 40, 1.5];

  it('moves a far point left when the camera pans right', () => {
    const panned = at(far, { ...rest, yaw: degreesToRadians(5) });
    expect(panned.u).toBeLessThan(at(far).u);
  });

  it('scales about the principal point when zooming', () => {
    const zoomed = { ...rest, intrinsics: zoomIntrinsics(intrinsics, 1.5) };
    for (const point of [[2, 20, 3], [-1, 8, 0], [0.3, 30, 1.5]] as Vec3[]) {
      const before = at(point);
      const after = at(point, zoomed);
      expect(after.u - intrinsics.cx).toBeCloseTo(1.5 * (before.u - intrinsics.cx), 9);
      expect(after.v - intrinsics.cy).toBeCloseTo(1.5 * (before.v - intrinsics.cy), 9);
    }
  });

  it('moves near points more than far ones under translation, and not under rotation', () => {
    // Two points on one ray through the camera: the same pixel at rest, depths 3 m and 30 m.
    const near: Vec3 = [0.05, 3, 1.6];
    const farPoint: Vec3 = [0.5, 30, 2.5];
    const trucked = { ...rest, position: [0.3, 0, 1.5] as Vec3 };
    const shift = (point: Vec3, state: CameraState) => Math.abs(at(point, state).u - at(point).u);
    expect(shift(near, trucked)).toBeGreaterThan(5 * shift(farPoint, trucked));

    const panned = { ...rest, yaw: degreesToRadians(3) };
    expect(shift(near, panned)).toBeCloseTo(shift(farPoint, panned), 9);
  });

  it('predicts rotation and zoom exactly with the infinite homography', () => {
    const to: CameraState = { ...rest, yaw: 0.1, pitch: 0.05, roll: -0.08, intrinsics: zoomIntrinsics(intrinsics, 1.3) };
    const h = infiniteHomography(rest, to);
    for (const point of [[2, 20, 3], [-1, 8, 0], [0.3, 3, 1.1]] as Vec3[]) {
      const before = at(point);
      const predicted = applyHomography(h, before.u, before.v);
      const after = at(point, to);
      expect(predicted?.u).toBeCloseTo(after.u, 8);
      expect(predicted?.v).toBeCloseTo(after.v, 8);
    }
  });
});
