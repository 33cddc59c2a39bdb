import { describe, expect, test } from 'vitest';
import { estimateFieldOfView, FOV_RANGE, type FovPair } from './fieldOfView';
import { cameraModel, type Correspondence } from './geometry';
import { estimatePairMotion } from './pairMotion';
import { syntheticCorrespondences, type KnownMotion } from './testScenes';

const WIDTH = 320;
const HEIGHT = 180;

/** Pairs as the analyzer hands them over: measured at the default lens, whatever the true one. */
function pairsOf(correspondences: readonly Correspondence[][]): FovPair[] {
  const assumed = cameraModel(WIDTH, HEIGHT);
  return correspondences.map((pair) => {
    const motion = estimatePairMotion(pair, assumed);
    return { correspondences: pair, rotation: motion.rotation, parallax: motion.parallax };
  });
}

function turningClip(fovDegrees: number, motion: KnownMotion, count = 8): FovPair[] {
  const camera = cameraModel(WIDTH, HEIGHT, fovDegrees);
  return pairsOf(Array.from({ length: count }, (_, index) => syntheticCorrespondences(motion, { camera, seed: 11 + index, noisePixels: 0.15 }).correspondences));
}

describe('the field of view read from the turns of a clip', () => {
  test.each([
    [35, { pan: 1.2 }],
    [48, { tilt: -1.5 }],
    [80, { pan: 2, tilt: 0.7 }],
    [95, { pan: -2.5 }],
  ] as const)('a %s° lens turning %j', (fovDegrees, motion) => {
    const estimate = estimateFieldOfView(turningClip(fovDegrees, motion), WIDTH, HEIGHT);
    expect(estimate).not.toBeNull();
    expect(estimate!.fovDegrees).toBeGreaterThan(fovDegrees - 3);
    expect(estimate!.fovDegrees).toBeLessThan(fovDegrees + 3);
    expect(estimate!.costRatio).toBeLessThan(0.95);
  });

  test('a crop sliding over a flat picture has no bend at all: the longest lens in range', () => {
    const slide = Array.from({ length: 8 }, (_, index) => {
      const shift = 3 + index * 0.1;
      return Array.from({ length: 200 }, (__, point): Correspondence => {
        const from = { x: 16 + ((point * 37) % 288), y: 9 + ((point * 53) % 162) };
        return { from, to: { x: from.x - shift, y: from.y } };
      });
    });
    const estimate = estimateFieldOfView(pairsOf(slide), WIDTH, HEIGHT);
    expect(estimate).not.toBeNull();
    expect(estimate!.fovDegrees).toBeLessThan(FOV_RANGE.min + 1);
  });

  test('the default lens stays when the clip cannot tell it apart', () => {
    // A 60° lens: nothing fits much better than the default.
    expect(estimateFieldOfView(turningClip(60, { pan: 1.5 }), WIDTH, HEIGHT)).toBeNull();
    // Roll and zoom move the picture the same through every lens.
    expect(estimateFieldOfView(turningClip(30, { roll: 2, zoom: 1.03 }), WIDTH, HEIGHT)).toBeNull();
    // Too few pairs turn.
    expect(estimateFieldOfView(turningClip(30, { pan: 1.5 }, 2), WIDTH, HEIGHT)).toBeNull();
    // Unmeasured pairs are skipped, not counted.
    expect(estimateFieldOfView([null, null, null, null], WIDTH, HEIGHT)).toBeNull();
  });

  test('travel does not vote: its bend belongs to depth, not to the lens', () => {
    const camera = cameraModel(WIDTH, HEIGHT, 30);
    const trucking = pairsOf(Array.from({ length: 8 }, (_, index) => syntheticCorrespondences({ travel: { x: 0.15, y: 0, z: 0 } }, { camera, seed: 3 + index }).correspondences));
    expect(trucking.every((pair) => pair.parallax >= 0.2)).toBe(true);
    expect(estimateFieldOfView(trucking, WIDTH, HEIGHT)).toBeNull();
  });
});
