import { describe, expect, test } from 'vitest';
import { applyHomography, cameraModel, rotationZoomHomography, type Matrix3 } from './geometry';
import { fitPlane } from './planeFit';
import { syntheticCorrespondences } from './testScenes';

describe('fitPlane: the single-homography reference for parallax', () => {
  test('points moved by one homography are fitted exactly', () => {
    const camera = cameraModel(320, 180);
    const homography: Matrix3 = rotationZoomHomography({ pan: 0.02, tilt: -0.01, roll: 0.03, zoom: 1.04 }, camera);
    const correspondences = Array.from({ length: 60 }, (_, index) => {
      const from = { x: 20 + ((index * 37) % 280), y: 10 + ((index * 53) % 160) };
      return { from, to: applyHomography(homography, from) };
    });
    const fit = fitPlane(correspondences, 1)!;
    expect(fit.cost).toBeLessThan(1e-6);
    for (const { from, to } of correspondences) {
      const predicted = applyHomography(fit.homography, from);
      expect(Math.hypot(predicted.x - to.x, predicted.y - to.y)).toBeLessThan(1e-4);
    }
  });

  test('a truck over a scene at one depth is one homography; over many depths it is not', () => {
    const flat = syntheticCorrespondences({ travel: { x: 0.1, y: 0, z: 0 } }, { nearDepth: 5, farDepth: 5.0001, noisePixels: 0 });
    const deep = syntheticCorrespondences({ travel: { x: 0.1, y: 0, z: 0 } }, { nearDepth: 2, farDepth: 40, noisePixels: 0 });
    expect(fitPlane(flat.correspondences, 1)!.cost / flat.correspondences.length).toBeLessThan(1e-4);
    expect(fitPlane(deep.correspondences, 1)!.cost / deep.correspondences.length).toBeGreaterThan(0.5);
  });

  test('too few tracks: no fit', () => {
    expect(fitPlane([], 1)).toBeNull();
  });
});
