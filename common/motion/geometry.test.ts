import { describe, expect, test } from 'vitest';
import {
  anglesOf, applyHomography, cameraModel, decomposeHomography, determinant, rotationMatrix, rotationZoomHomography,
} from './geometry';

const camera = cameraModel(320, 180, 60);
const radians = (degrees: number) => (degrees * Math.PI) / 180;
const center = { x: camera.centerX, y: camera.centerY };

describe('rotation conventions (DESIGN.md "Camera motion, geometrically")', () => {
  test('pan right: content drifts left', () => {
    const moved = applyHomography(rotationZoomHomography({ pan: radians(2), tilt: 0, roll: 0, zoom: 1 }, camera), center);
    expect(moved.x).toBeLessThan(center.x - 1);
    expect(moved.y).toBeCloseTo(center.y, 6);
  });

  test('tilt up: content drifts down', () => {
    const moved = applyHomography(rotationZoomHomography({ pan: 0, tilt: radians(2), roll: 0, zoom: 1 }, camera), center);
    expect(moved.y).toBeGreaterThan(center.y + 1);
  });

  test('roll clockwise: content turns counter-clockwise (a point right of centre rises)', () => {
    const right = { x: center.x + 100, y: center.y };
    const moved = applyHomography(rotationZoomHomography({ pan: 0, tilt: 0, roll: radians(5), zoom: 1 }, camera), right);
    // v grows downwards: rising on screen is a smaller y, which is counter-clockwise as seen.
    expect(moved.y).toBeLessThan(center.y - 5);
  });

  test('zoom in: content expands from the centre', () => {
    const corner = { x: center.x + 80, y: center.y + 40 };
    const moved = applyHomography(rotationZoomHomography({ pan: 0, tilt: 0, roll: 0, zoom: 1.1 }, camera), corner);
    expect(moved.x - center.x).toBeCloseTo(88, 6);
    expect(moved.y - center.y).toBeCloseTo(44, 6);
  });
});

describe('decomposeHomography', () => {
  test.each([
    { pan: 3, tilt: 0, roll: 0, zoom: 1 },
    { pan: 0, tilt: -2, roll: 0, zoom: 1 },
    { pan: 0, tilt: 0, roll: 7, zoom: 1 },
    { pan: 0, tilt: 0, roll: 0, zoom: 0.93 },
    { pan: -1.5, tilt: 2.5, roll: -4, zoom: 1.06 },
  ])('recovers %o', (motion) => {
    const homography = rotationZoomHomography({ pan: radians(motion.pan), tilt: radians(motion.tilt), roll: radians(motion.roll), zoom: motion.zoom }, camera);
    // A homography is known only up to scale.
    const scaled = homography.map((value) => value * -2.5) as typeof homography;
    const found = decomposeHomography(scaled, camera);
    expect(found.pan).toBeCloseTo(radians(motion.pan), 8);
    expect(found.tilt).toBeCloseTo(radians(motion.tilt), 8);
    expect(found.roll).toBeCloseTo(radians(motion.roll), 8);
    expect(found.zoom).toBeCloseTo(motion.zoom, 8);
  });

  test('angles round-trip through the rotation matrix', () => {
    const rotation = rotationMatrix(0.3, -0.2, 0.1);
    expect(determinant(rotation)).toBeCloseTo(1, 12);
    const angles = anglesOf(rotation);
    expect(angles.pan).toBeCloseTo(0.3, 12);
    expect(angles.tilt).toBeCloseTo(-0.2, 12);
    expect(angles.roll).toBeCloseTo(0.1, 12);
  });
});
