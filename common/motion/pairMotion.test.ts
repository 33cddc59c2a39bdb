import { describe, expect, test } from 'vitest';
import { estimatePairMotion } from './pairMotion';
import { syntheticCorrespondences, type KnownMotion } from './testScenes';

const degrees = (radians: number) => (radians * 180) / Math.PI;

function measure(motion: KnownMotion, options: Parameters<typeof syntheticCorrespondences>[1] = {}) {
  const { camera, correspondences } = syntheticCorrespondences(motion, options);
  return estimatePairMotion(correspondences, camera);
}

describe('rotation and zoom: one homography at every depth, no parallax', () => {
  test.each([
    ['pan right', { pan: 1.5 }],
    ['pan left', { pan: -1.5 }],
    ['tilt up', { tilt: 1 }],
    ['tilt down', { tilt: -1 }],
    ['roll clockwise', { roll: 2 }],
    ['roll counterclockwise', { roll: -2 }],
    ['zoom in', { zoom: 1.04 }],
    ['zoom out', { zoom: 0.96 }],
    ['all at once', { pan: 0.8, tilt: -0.5, roll: 1.2, zoom: 1.02 }],
  ] as const)('%s', (_, motion: KnownMotion) => {
    const found = measure(motion);
    expect(degrees(found.rotation.pan)).toBeCloseTo(motion.pan ?? 0, 1);
    expect(degrees(found.rotation.tilt)).toBeCloseTo(motion.tilt ?? 0, 1);
    expect(degrees(found.rotation.roll)).toBeCloseTo(motion.roll ?? 0, 1);
    expect(found.rotation.zoom).toBeCloseTo(motion.zoom ?? 1, 3);
    expect(found.parallax).toBeLessThan(0.05);
    expect(found.translation).toBeNull();
  });

  test('pan right makes content drift left, tilt up makes it drift down', () => {
    expect(measure({ pan: 1.5 }).drift.x).toBeLessThan(-3);
    expect(measure({ tilt: 1 }).drift.y).toBeGreaterThan(3);
  });

  test('a still camera reads still despite tracking noise', () => {
    const found = measure({}, { noisePixels: 0.15 });
    expect(Math.abs(degrees(found.rotation.pan))).toBeLessThan(0.02);
    expect(found.parallax).toBe(0);
  });
});

describe('translation: near points move more than far ones', () => {
  test.each([
    ['truck right', { x: 0.1, y: 0, z: 0 }, 'x', 1],
    ['truck left', { x: -0.1, y: 0, z: 0 }, 'x', -1],
    ['pedestal up', { x: 0, y: -0.1, z: 0 }, 'y', -1],
    ['pedestal down', { x: 0, y: 0.1, z: 0 }, 'y', 1],
    ['dolly in', { x: 0, y: 0, z: 0.3 }, 'z', 1],
    ['dolly out', { x: 0, y: 0, z: -0.3 }, 'z', -1],
  ] as const)('%s: parallax and the travel direction', (_, travel, axis, sign) => {
    const found = measure({ travel });
    expect(found.parallax).toBeGreaterThan(0.5);
    expect(found.translation).not.toBeNull();
    expect(sign * found.translation![axis]).toBeGreaterThan(0.9);
  });

  test('truck right: content drifts left, near faster (depth-dependent drift)', () => {
    const { camera, correspondences } = syntheticCorrespondences({ travel: { x: 0.1, y: 0, z: 0 } }, { nearDepth: 2, farDepth: 10 });
    const drifts = correspondences.map(({ from, to }) => to.x - from.x);
    expect(Math.max(...drifts)).toBeLessThan(0);
    expect(Math.min(...drifts) / Math.max(...drifts)).toBeGreaterThan(3);
    expect(estimatePairMotion(correspondences, camera).drift.x).toBeLessThan(0);
  });

  test('truck over a scene at one depth is indistinguishable from pan: no parallax', () => {
    const found = measure({ travel: { x: 0.1, y: 0, z: 0 } }, { nearDepth: 5, farDepth: 5.0001 });
    expect(found.parallax).toBeLessThan(0.05);
    expect(degrees(found.rotation.pan)).toBeGreaterThan(0.5);
  });

  test('dolly in vs zoom in: both expand, only the dolly has parallax', () => {
    const dolly = measure({ travel: { x: 0, y: 0, z: 0.3 } });
    const zoom = measure({ zoom: 1.06 });
    // Every point expands outwards under the dolly, the far ones too: no zoom is needed (issue
    // #3: a dolly read as a zoom was the analyzer's main confusion).
    expect(dolly.rotation.zoom).toBeCloseTo(1, 2);
    expect(dolly.translation!.z).toBeGreaterThan(0.9);
    expect(zoom.rotation.zoom).toBeGreaterThan(1.05);
    expect(dolly.parallax).toBeGreaterThan(0.5);
    expect(zoom.parallax).toBeLessThan(0.05);
  });
});

describe('combined moves: rotation and travel separated on the points', () => {
  // Far points (up to 40 m) fix the rotation: what they do no travel explains.
  const deep = { nearDepth: 2, farDepth: 40 };

  test('a truck over a deep scene needs no pan', () => {
    const found = measure({ travel: { x: 0.1, y: 0, z: 0 } }, deep);
    expect(found.translation!.x).toBeGreaterThan(0.9);
    expect(Math.abs(degrees(found.rotation.pan))).toBeLessThan(0.05);
  });

  test('an arc (truck right, pan left onto a subject 6 m away) still separates', () => {
    // The subject does not move in the image: pan and truck cancel there, not elsewhere.
    const pan = -degrees(Math.atan(0.1 / 6));
    const found = measure({ travel: { x: 0.1, y: 0, z: 0 }, pan }, deep);
    expect(found.translation!.x).toBeGreaterThan(0.9);
    // Within the farthest points' own parallax (0.1 m at 40 m: 0.14°): they are the reference.
    expect(Math.abs(degrees(found.rotation.pan) - pan)).toBeLessThan(0.2);
    expect(found.parallax).toBeGreaterThan(0.5);
  });

  test('pedestal up while tilting down onto a subject: both found', () => {
    const tilt = -degrees(Math.atan(0.08 / 6));
    const found = measure({ travel: { x: 0, y: -0.08, z: 0 }, tilt }, deep);
    expect(found.translation!.y).toBeLessThan(-0.9);
    expect(Math.abs(degrees(found.rotation.tilt) - tilt)).toBeLessThan(0.2);
  });

  test('dolly in while panning left: the pan is kept, the dolly is not a zoom', () => {
    const found = measure({ travel: { x: 0, y: 0, z: 0.3 }, pan: -0.8 }, deep);
    expect(found.translation!.z).toBeGreaterThan(0.9);
    expect(degrees(found.rotation.pan)).toBeCloseTo(-0.8, 1);
    expect(found.rotation.zoom).toBeCloseTo(1, 2);
  });

  test('dolly out and zoom in (a dolly zoom on a subject 6 m away): the zoom is the far points\' expansion', () => {
    const zoom = 6 / 5.7;
    const found = measure({ travel: { x: 0, y: 0, z: -0.3 }, zoom }, { nearDepth: 4, farDepth: 40 });
    expect(found.translation!.z).toBeLessThan(-0.9);
    expect(found.rotation.zoom).toBeGreaterThan(1.03);
  });

  test('a dolly zoom over a scene nearer at the bottom: dolly out + zoom in, not the reversal that needs no zoom', () => {
    // The reversal (dolly in, far points read as the nearest) fits as well and saves the zoom;
    // only the depth order — the ground comes nearest at the bottom of the frame — rules it out.
    const found = measure({ travel: { x: 0, y: 0, z: -0.3 }, zoom: 6 / 5.7 }, { nearDepth: 4, farDepth: 40, isGroundLike: true });
    expect(found.translation!.z).toBeLessThan(-0.9);
    expect(found.rotation.zoom).toBeGreaterThan(1.03);
  });

  test('a slow dolly out over a scene nearer at the bottom is not a zoom out', () => {
    const found = measure({ travel: { x: 0, y: 0, z: -0.2 } }, { nearDepth: 3, farDepth: 40, isGroundLike: true });
    expect(found.translation!.z).toBeLessThan(-0.9);
    expect(found.rotation.zoom).toBeCloseTo(1, 3);
  });
});

test('a minority of independently moving points does not move the rotation fit', () => {
  const { camera, correspondences } = syntheticCorrespondences({ pan: 1 }, { count: 200 });
  const disturbed = correspondences.map((correspondence, index) => (index % 8 === 0
    ? { from: correspondence.from, to: { x: correspondence.to.x + 15, y: correspondence.to.y - 6 } }
    : correspondence));
  const found = estimatePairMotion(disturbed, camera);
  expect(degrees(found.rotation.pan)).toBeCloseTo(1, 1);
  expect(found.parallax).toBeLessThan(0.2);
});
