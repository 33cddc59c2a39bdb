// Pair evidence on synthetic correspondences with a known flow field: translation, zoom and
// rotation about the centre (one affine field for every point), and a translation whose near
// points move more (parallax: no affine field explains it).
import { describe, expect, test } from 'vitest';
import type { Correspondence, Matrix3, Point } from '../../../common/motion/geometry';
import { EVIDENCE_DIMS, EVIDENCE_FEATURES, MIN_TRACKS, pairEvidence } from './evidence';
import type { PairTracks } from './track';

const WIDTH = 320;
const HEIGHT = 180;
const CENTRE = { x: WIDTH / 2, y: HEIGHT / 2 };

/** Points on a 10 × 6 grid over the frame, each moved by `move`. */
function tracksOf(move: (point: Point, index: number) => Point, homography: Matrix3 | null = null): PairTracks {
  const correspondences: Correspondence[] = [];
  for (let row = 0; row < 6; row += 1) {
    for (let column = 0; column < 10; column += 1) {
      const from = { x: 16 + column * 32, y: 15 + row * 30 };
      correspondences.push({ from, to: move(from, correspondences.length) });
    }
  }
  return { correspondences, homography, inlierRatio: 0.9 };
}

function feature(evidence: Float32Array, name: string): number {
  const index = EVIDENCE_FEATURES.indexOf(name);
  if (index < 0) throw new Error(`no feature ${name}`);
  return evidence[index]!;
}

describe('pairEvidence', () => {
  test('names every entry once, measured first', () => {
    expect(EVIDENCE_DIMS).toBe(47);
    expect(new Set(EVIDENCE_FEATURES).size).toBe(EVIDENCE_DIMS);
    expect(EVIDENCE_FEATURES[0]).toBe('measured');
    expect(EVIDENCE_FEATURES.slice(1, 4)).toEqual(['grid_r0_c0_dx', 'grid_r0_c0_dy', 'grid_r0_c0_share']);
  });

  test('pure translation: tx and ty in frame widths, no divergence, curl or residual', () => {
    const evidence = pairEvidence(tracksOf((point) => ({ x: point.x - 8, y: point.y + 4 }), [1, 0, -8, 0, 1, 4, 0, 0, 1]), WIDTH, HEIGHT);
    expect(evidence).toHaveLength(EVIDENCE_DIMS);
    expect(feature(evidence, 'measured')).toBe(1);
    expect(feature(evidence, 'affine_tx')).toBeCloseTo(-8 / WIDTH, 6);
    expect(feature(evidence, 'affine_ty')).toBeCloseTo(4 / WIDTH, 6);
    for (const name of ['affine_divergence', 'affine_curl', 'affine_shear_stretch', 'affine_shear_skew', 'affine_residual', 'homography_residual']) {
      expect(Math.abs(feature(evidence, name)), name).toBeLessThan(1e-6);
    }
    // Every cell moves the same; the 60 points spread over the 12 cells.
    expect(feature(evidence, 'grid_r2_c3_dx')).toBeCloseTo(-8 / WIDTH, 6);
    expect(feature(evidence, 'grid_r1_c1_dy')).toBeCloseTo(4 / WIDTH, 6);
    const shares = EVIDENCE_FEATURES.map((name, index) => (name.startsWith('grid_') && name.endsWith('_share') ? evidence[index]! : 0));
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 6);
    expect(feature(evidence, 'inlier_ratio')).toBeCloseTo(0.9, 6);
    expect(feature(evidence, 'track_count')).toBeCloseTo(0.6, 6);
  });

  test('zoom in about the centre: positive divergence, no curl, no translation', () => {
    const scale = 1.05;
    const evidence = pairEvidence(tracksOf((point) => ({ x: CENTRE.x + (point.x - CENTRE.x) * scale, y: CENTRE.y + (point.y - CENTRE.y) * scale })), WIDTH, HEIGHT);
    expect(feature(evidence, 'affine_divergence')).toBeCloseTo(scale - 1, 5);
    expect(Math.abs(feature(evidence, 'affine_curl'))).toBeLessThan(1e-6);
    expect(Math.abs(feature(evidence, 'affine_tx'))).toBeLessThan(1e-6);
    expect(feature(evidence, 'affine_residual')).toBeLessThan(1e-6);
    // The left column moves left, the right column right.
    expect(feature(evidence, 'grid_r1_c0_dx')).toBeLessThan(0);
    expect(feature(evidence, 'grid_r1_c3_dx')).toBeGreaterThan(0);
  });

  test('rotation about the centre: curl carries the turn\'s sign (clockwise on screen is positive)', () => {
    const rotate = (radians: number) => (point: Point): Point => {
      const x = point.x - CENTRE.x;
      const y = point.y - CENTRE.y;
      return { x: CENTRE.x + x * Math.cos(radians) - y * Math.sin(radians), y: CENTRE.y + x * Math.sin(radians) + y * Math.cos(radians) };
    };
    const clockwise = pairEvidence(tracksOf(rotate(0.03)), WIDTH, HEIGHT);
    expect(feature(clockwise, 'affine_curl')).toBeCloseTo(Math.sin(0.03), 5);
    expect(Math.abs(feature(clockwise, 'affine_divergence'))).toBeLessThan(1e-3);
    expect(feature(clockwise, 'affine_residual')).toBeLessThan(1e-6);
    expect(feature(pairEvidence(tracksOf(rotate(-0.03)), WIDTH, HEIGHT), 'affine_curl')).toBeCloseTo(-Math.sin(0.03), 5);
  });

  test('a pair without tracks, or with too few, is all zeros with measured 0', () => {
    expect([...pairEvidence(null, WIDTH, HEIGHT)]).toEqual(new Array(EVIDENCE_DIMS).fill(0));
    const few = tracksOf((point) => ({ x: point.x + 1, y: point.y }));
    few.correspondences = few.correspondences.slice(0, MIN_TRACKS - 1);
    expect([...pairEvidence(few, WIDTH, HEIGHT)]).toEqual(new Array(EVIDENCE_DIMS).fill(0));
  });

  test('translation with depth (near points move more) leaves an affine residual', () => {
    // Every other point is three times nearer: it moves three times as far.
    const flat = pairEvidence(tracksOf((point) => ({ x: point.x - 4, y: point.y })), WIDTH, HEIGHT);
    const deep = pairEvidence(tracksOf((point, index) => ({ x: point.x - (index % 2 === 0 ? 4 : 12), y: point.y })), WIDTH, HEIGHT);
    expect(feature(flat, 'affine_residual')).toBeLessThan(1e-6);
    expect(feature(deep, 'affine_residual')).toBeGreaterThan(0.01);
    expect(feature(deep, 'affine_tx')).toBeCloseTo(-8 / WIDTH, 2);
  });

  test('never NaN: a collinear set of points or a degenerate homography gives finite values', () => {
    const line: PairTracks = {
      correspondences: Array.from({ length: 20 }, (_, index) => ({ from: { x: 10 + index * 10, y: 90 }, to: { x: 12 + index * 10, y: 90 } })),
      homography: [0, 0, 0, 0, 0, 0, 0, 0, 0],
      inlierRatio: Number.NaN,
    };
    const evidence = pairEvidence(line, WIDTH, HEIGHT);
    expect([...evidence].every(Number.isFinite)).toBe(true);
    expect(feature(evidence, 'affine_tx')).toBeCloseTo(2 / WIDTH, 6);
    expect(feature(evidence, 'homography_residual')).toBeLessThanOrEqual(1);
    expect(feature(evidence, 'inlier_ratio')).toBe(0);
  });
});
