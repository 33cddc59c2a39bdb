// The tracker on in-memory clips with known motion: a procedural texture through known
// homographies (rotation, zoom) and two layers moving at different speeds (translation).
import { describe, expect, test } from 'vitest';
import { PRIMITIVES, type Primitive } from '../../../common/camerabench/primitives';
import { cameraModel, rotationZoomHomography, type Point } from '../../../common/motion/geometry';
import type { MotionReading } from '../../../common/motion/reading';
import { analyzeFrames } from './analyzeFrames';
import { layeredClip, warpedClip } from './testFrames';

const WIDTH = 320;
const HEIGHT = 180;
const FPS = 8;
const COUNT = 13;
const camera = cameraModel(WIDTH, HEIGHT);
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Per-frame rotation in degrees and zoom factor, accumulated over the clip. */
function rotationClip(motion: { pan?: number; tilt?: number; roll?: number; zoom?: number }, lens = camera): Uint8Array[] {
  return warpedClip((frame) => rotationZoomHomography({
    pan: radians((motion.pan ?? 0) * frame),
    tilt: radians((motion.tilt ?? 0) * frame),
    roll: radians((motion.roll ?? 0) * frame),
    zoom: (motion.zoom ?? 1) ** frame,
  }, lens), { count: COUNT, width: WIDTH, height: HEIGHT });
}

/** Far layer shifted by `far` pixels per frame, near panels by `near`: translation with parallax. */
function shiftClip(far: Point, near: Point): Uint8Array[] {
  const shift = (step: Point) => (frame: number, point: Point) => ({ x: point.x - step.x * frame, y: point.y - step.y * frame });
  return layeredClip(shift(far), shift(near), { count: COUNT, width: WIDTH, height: HEIGHT });
}

/** Far layer scaled by `far` per frame about the centre, near panels by `near`. */
function scaleClip(far: number, near: number): Uint8Array[] {
  const scale = (factor: number) => (frame: number, point: Point) => ({
    x: camera.centerX + (point.x - camera.centerX) / factor ** frame,
    y: camera.centerY + (point.y - camera.centerY) / factor ** frame,
  });
  return layeredClip(scale(far), scale(near), { count: COUNT, width: WIDTH, height: HEIGHT });
}

function analyze(frames: Uint8Array[]): Promise<MotionReading> {
  return analyzeFrames({ frames, width: WIDTH, height: HEIGHT, fps: FPS });
}

function expectOnly(reading: MotionReading, primitive: Primitive): void {
  expect(reading.scores[primitive], primitive).toBeGreaterThan(0.5);
  for (const other of PRIMITIVES) if (other !== primitive) expect(reading.scores[other], `${other} in a ${primitive} clip`).toBeLessThan(0.5);
}

describe('rotation and zoom (one warp for every pixel)', () => {
  test('pan right: content drifts left, pan rate as generated', async () => {
    const reading = await analyze(rotationClip({ pan: 1 }));
    expectOnly(reading, 'Pan_Right');
    expect(reading.summary.panDegreesPerSecond).toBeCloseTo(8, 0);
    expect(reading.timeline[0]!.driftPercentX).toBeLessThan(0);
    expect(reading.summary.parallax).toBeLessThan(0.1);
  });

  test('pan left', async () => expectOnly(await analyze(rotationClip({ pan: -1 })), 'Pan_Left'));

  // 55°: near the default, the turns are rescaled; 40°: far from it, every pair is measured again.
  test.each([55, 40])('through a %s° lens: the lens is read from the turn, the rate is in its degrees', async (fovDegrees) => {
    const reading = await analyze(rotationClip({ pan: 1, tilt: 0.5 }, cameraModel(WIDTH, HEIGHT, fovDegrees)));
    expect(reading.summary.fovSource).toBe('estimated');
    expect(Math.abs(reading.summary.fovDegrees - fovDegrees)).toBeLessThan(4);
    expect(reading.summary.panDegreesPerSecond).toBeCloseTo(8, 0);
    expect(reading.summary.tiltDegreesPerSecond).toBeCloseTo(4, 0);
    for (const primitive of PRIMITIVES) {
      if (primitive !== 'Pan_Right' && primitive !== 'Tilt_Up') expect(reading.scores[primitive], primitive).toBeLessThan(0.5);
    }
    // Given, the lens is used as it is.
    const given = await analyzeFrames({ frames: rotationClip({ pan: 1 }), width: WIDTH, height: HEIGHT, fps: FPS, fovDegrees: 60 });
    expect([given.summary.fovSource, given.summary.fovDegrees]).toEqual(['given', 60]);
  });

  test('tilt up: content drifts down', async () => {
    const reading = await analyze(rotationClip({ tilt: 0.8 }));
    expectOnly(reading, 'Tilt_Up');
    expect(reading.timeline[0]!.driftPercentY).toBeGreaterThan(0);
  });

  test('roll clockwise: content turns counter-clockwise', async () => {
    const reading = await analyze(rotationClip({ roll: 1.5 }));
    expectOnly(reading, 'Roll_Clockwise');
    expect(reading.summary.rollDegreesPerSecond).toBeCloseTo(12, 0);
  });

  test('zoom in: expansion without parallax', async () => {
    const reading = await analyze(rotationClip({ zoom: 1.02 }));
    expectOnly(reading, 'Zoom_In');
    expect(reading.summary.zoomPerSecond).toBeCloseTo(1.02 ** FPS, 2);
  });

  test('zoom out', async () => expectOnly(await analyze(rotationClip({ zoom: 0.98 })), 'Zoom_Out'));

  test('a still clip is static', async () => expectOnly(await analyze(rotationClip({})), 'Static'));
});

describe('translation (near layer faster than far: parallax)', () => {
  test('truck right: content drifts left, near faster', async () => {
    const reading = await analyze(shiftClip({ x: -1.5, y: 0 }, { x: -5, y: 0 }));
    expectOnly(reading, 'Move_Right');
    expect(reading.summary.parallax).toBeGreaterThan(0.4);
  });

  test('truck left', async () => expectOnly(await analyze(shiftClip({ x: 1.5, y: 0 }, { x: 5, y: 0 })), 'Move_Left'));

  test('pedestal up: content drifts down, near faster', async () => {
    expectOnly(await analyze(shiftClip({ x: 0, y: 1.5 }, { x: 0, y: 5 })), 'Move_Up');
  });

  test('the same drift without the layers speed difference is a pan, not a truck', async () => {
    const reading = await analyze(shiftClip({ x: -3, y: 0 }, { x: -3, y: 0 }));
    expect(reading.scores.Pan_Right).toBeGreaterThan(0.5);
    expect(reading.scores.Move_Right).toBeLessThan(0.5);
  });

  test('dolly in: expansion, near faster (parallax), not a zoom', async () => {
    const reading = await analyze(scaleClip(1.01, 1.04));
    expectOnly(reading, 'Move_In');
    expect(reading.summary.parallax).toBeGreaterThan(0.3);
  });

  test('dolly out', async () => expectOnly(await analyze(scaleClip(1 / 1.01, 1 / 1.04)), 'Move_Out'));
});

test('an aborted analysis rejects with the abort reason', async () => {
  const controller = new AbortController();
  controller.abort();
  await expect(analyzeFrames({ frames: rotationClip({}), width: WIDTH, height: HEIGHT, fps: FPS }, { signal: controller.signal })).rejects.toThrow(/abort/i);
});

test('fewer than two frames give an empty timeline and an undecided Static', async () => {
  const reading = await analyzeFrames({ frames: [new Uint8Array(WIDTH * HEIGHT)], width: WIDTH, height: HEIGHT, fps: FPS });
  expect(reading.timeline).toEqual([]);
  expect(reading.scores.Static).toBe(0.5);
});

test('a textureless clip leaves its pairs unmeasured instead of guessing', async () => {
  const flat = Array.from({ length: 4 }, () => new Uint8Array(WIDTH * HEIGHT).fill(128));
  const reading = await analyzeFrames({ frames: flat, width: WIDTH, height: HEIGHT, fps: FPS });
  expect(reading.summary.unmeasuredPairs).toBe(3);
  expect(reading.timeline).toEqual([]);
});
