import { describe, expect, test } from 'vitest';
import { PRIMITIVES, type Primitive } from '../camerabench/primitives';
import { evaluateScoreFile, type CameraBenchScoreFile } from '../metrics/camerabench';
import { lintChain } from '../ota/lint';
import { CAMERABENCH_OPTIONS, draftChain } from './draft';
import { estimatePairMotion, type PairMotion } from './pairMotion';
import { cameraModel } from './geometry';
import { lensFactor, readMotion, type MotionReading } from './reading';
import { buildScoreFiles } from './scoreFiles';
import { syntheticCorrespondences, type KnownMotion } from './testScenes';

const FPS = 8;

/** `count` pairs of the same per-pair motion (a steady move), or a motion per pair. */
function readingOf(motions: KnownMotion | ((pair: number) => KnownMotion), count = 24): MotionReading {
  const pairs: PairMotion[] = Array.from({ length: count }, (_, pair) => {
    const motion = typeof motions === 'function' ? motions(pair) : motions;
    const { camera, correspondences } = syntheticCorrespondences(motion, { seed: pair + 1 });
    return estimatePairMotion(correspondences, camera);
  });
  return readMotion({ pairs, fps: FPS, width: 320, height: 180, fovDegrees: 60 });
}

// Per pair at 8 fps: 0.75° = 6 °/s, a gentle deliberate move.
const CASES: ReadonlyArray<[Primitive, KnownMotion]> = [
  ['Pan_Right', { pan: 0.75 }],
  ['Pan_Left', { pan: -0.75 }],
  ['Tilt_Up', { tilt: 0.75 }],
  ['Tilt_Down', { tilt: -0.75 }],
  ['Roll_Clockwise', { roll: 1 }],
  ['Roll_Counterclockwise', { roll: -1 }],
  ['Zoom_In', { zoom: 1.02 }],
  ['Zoom_Out', { zoom: 0.98 }],
  ['Move_Right', { travel: { x: 0.05, y: 0, z: 0 } }],
  ['Move_Left', { travel: { x: -0.05, y: 0, z: 0 } }],
  ['Move_Up', { travel: { x: 0, y: -0.05, z: 0 } }],
  ['Move_Down', { travel: { x: 0, y: 0.05, z: 0 } }],
  ['Move_In', { travel: { x: 0, y: 0, z: 0.15 } }],
  ['Move_Out', { travel: { x: 0, y: 0, z: -0.15 } }],
  ['Static', {}],
];

const readings = new Map(CASES.map(([primitive, motion]) => [primitive, readingOf(motion)]));

describe('scores', () => {
  test.each(CASES)('%s scores highest and above 0.5, every other primitive below 0.5', (primitive) => {
    const reading = readings.get(primitive)!;
    expect(reading.scores[primitive]).toBeGreaterThan(0.5);
    for (const other of PRIMITIVES) {
      if (other !== primitive) expect(reading.scores[other], other).toBeLessThan(0.5);
    }
  });

  test('every score is in [0, 1]', () => {
    for (const reading of readings.values()) {
      for (const primitive of PRIMITIVES) {
        expect(reading.scores[primitive]).toBeGreaterThanOrEqual(0);
        expect(reading.scores[primitive]).toBeLessThanOrEqual(1);
      }
    }
  });

  test('an arc (truck right while panning left onto a subject): both moves score, nothing else', () => {
    // 0.08 m per pair at 8 fps: a medium truck (0.64 m/s).
    const pan = -(Math.atan(0.08 / 6) * 180) / Math.PI;
    const pairs = Array.from({ length: 24 }, (_, pair) => {
      const { camera, correspondences } = syntheticCorrespondences({ travel: { x: 0.08, y: 0, z: 0 }, pan }, { seed: pair + 1, nearDepth: 2, farDepth: 40 });
      return estimatePairMotion(correspondences, camera);
    });
    const reading = readMotion({ pairs, fps: FPS, width: 320, height: 180, fovDegrees: 60 });
    expect(reading.scores.Move_Right).toBeGreaterThan(0.5);
    expect(reading.scores.Pan_Left).toBeGreaterThan(0.5);
    for (const other of PRIMITIVES) if (other !== 'Move_Right' && other !== 'Pan_Left') expect(reading.scores[other], other).toBeLessThan(0.5);
  });

  test('a diagonal pan right + tilt up keeps the horizon level: no roll, though each pair turns about the optical axis', () => {
    // A pan turns about the vertical; pitched up by φ, that turn is tan φ × pan about the
    // optical axis in the camera's frame, counterclockwise for a pan right (up to −2.6 °/s here).
    const rollOf = (pair: number) => -0.75 * Math.tan((((pair + 0.5) * 0.75) * Math.PI) / 180);
    const level = readingOf((pair) => ({ pan: 0.75, tilt: 0.75, roll: rollOf(pair) }), 32);
    expect(level.scores.Pan_Right).toBeGreaterThan(0.5);
    expect(level.scores.Tilt_Up).toBeGreaterThan(0.5);
    expect(level.scores.Roll_Counterclockwise).toBeLessThan(0.2);
    expect(level.scores.Roll_Clockwise).toBeLessThan(0.2);
    // A real roll on top of the same diagonal still reads.
    const rolling = readingOf((pair) => ({ pan: 0.75, tilt: 0.75, roll: rollOf(pair) + 0.5 }), 32);
    expect(rolling.scores.Roll_Clockwise).toBeGreaterThan(0.5);
  });

  test('travel a little off the optical axis is a dolly alone; a diagonal travel is both moves', () => {
    // 14° off axis: what a straight dolly track looks like from a camera panned 14° away from it.
    const dolly = readingOf({ travel: { x: 0.15 * Math.tan((14 * Math.PI) / 180), y: 0, z: 0.15 } });
    expect(dolly.scores.Move_In).toBeGreaterThan(0.5);
    expect(dolly.scores.Move_Right).toBeLessThan(0.2);
    const diagonal = readingOf({ travel: { x: 0.06, y: 0, z: 0.15 } });
    expect(diagonal.scores.Move_In).toBeGreaterThan(0.5);
    expect(diagonal.scores.Move_Right).toBeGreaterThan(0.5);
  });

  test('shake (jitter around zero) is neither a pan nor static', () => {
    const reading = readingOf((pair) => ({ pan: pair % 2 === 0 ? 0.4 : -0.4, tilt: pair % 3 === 0 ? 0.3 : -0.15 }));
    expect(reading.summary.shakeDegrees).toBeGreaterThan(0.2);
    expect(reading.scores.Static).toBeLessThan(0.2);
    expect(reading.scores.Pan_Left).toBeLessThan(0.5);
    expect(reading.scores.Pan_Right).toBeLessThan(0.5);
  });

  test('a pan in the second half only: found, and the timeline segments cite its frames', () => {
    const reading = readingOf((pair) => (pair < 12 ? {} : { pan: 0.75 }));
    expect(reading.scores.Pan_Right).toBeGreaterThan(0.5);
    const segments = reading.segments.map((segment) => [segment.primitive, segment.firstFrame, segment.lastFrame]);
    expect(segments).toEqual([['still', 1, 13], ['Pan_Right', 13, 25]]);
  });

  test("a long lens's slow pan that sweeps the picture as fast is the same pan; its rates stay in its own degrees", () => {
    const camera = cameraModel(320, 180, 20);
    const pan = 0.75 / lensFactor(20);
    const pairs = Array.from({ length: 24 }, (_, pair) => estimatePairMotion(syntheticCorrespondences({ pan }, { camera, seed: pair + 1 }).correspondences, camera));
    const reading = readMotion({ pairs, fps: FPS, width: 320, height: 180, fovDegrees: 20 });
    const wide = readings.get('Pan_Right')!;
    expect(lensFactor(60)).toBeCloseTo(1, 12);
    expect(lensFactor(20)).toBeCloseTo(3.27, 2);
    expect(reading.timeline[0]!.panDegreesPerSecond).toBeCloseTo(6 / lensFactor(20), 1);
    expect(reading.evidence.Pan_Right / wide.evidence.Pan_Right).toBeCloseTo(1, 1);
    expect(reading.scores.Pan_Right).toBeGreaterThan(0.9);
    // Read as if through the 60° lens, the same turn is a third as fast: barely a pan.
    expect(readMotion({ pairs, fps: FPS, width: 320, height: 180, fovDegrees: 60 }).scores.Pan_Right).toBeLessThan(0.7);
  });

  test('the timeline has one point per pair with rates in degrees per second', () => {
    const reading = readings.get('Pan_Right')!;
    expect(reading.timeline).toHaveLength(24);
    expect(reading.timeline[0]!.panDegreesPerSecond).toBeCloseTo(6, 1);
    expect(reading.timeline[0]!.driftPercentX).toBeLessThan(0);
  });
});

describe('drafts', () => {
  test.each(CASES)('a %s clip: a draft for every question lints clean and answers by the score', (_, motion) => {
    const reading = readingOf(motion, 16);
    for (const asked of PRIMITIVES) {
      const draft = draftChain(reading, { primitive: asked });
      expect(draft.letter).toBe(reading.scores[asked] >= 0.5 ? 'B' : 'A');
      const issues = lintChain(draft.text, { options: [...CAMERABENCH_OPTIONS], primitive: asked });
      expect(issues, `${asked}: ${draft.text}`).toEqual([]);
    }
  });

  test('the observation cites frame ranges and numbers; the think derives the motion', () => {
    const draft = draftChain(readings.get('Pan_Right')!, { primitive: 'Pan_Right' });
    expect(draft.text).toMatch(/<observation>.*Frames 1–25 \(0\.0–3\.0 s\): the content drifts left \d+\.\d % of the width per second, uniformly at all depths \(parallax 0\.\d\d\)/);
    expect(draft.text).toMatch(/<think>.*without parallax.*the camera pans right.*<\/think><answer>B<\/answer>$/);
  });

  test('a truck draft names the parallax', () => {
    const draft = draftChain(readings.get('Move_Right')!, { primitive: 'Move_Right' });
    expect(draft.text).toContain('near points faster than far ones');
    expect(draft.text).toContain('the camera moves right (truck right)');
    expect(draft.letter).toBe('B');
  });

  test('options with other letters are honoured', () => {
    const draft = draftChain(readings.get('Static')!, { primitive: 'Static', options: ['A. Yes', 'B. No'] });
    expect(draft.letter).toBe('A');
  });
});

describe('score files', () => {
  const questions = CASES.flatMap(([truth]) => PRIMITIVES.map((asked) => ({
    sampleId: `${asked}_${truth}`,
    primitive: asked,
    videoPath: `${truth}.mp4`,
    question: `question about ${asked}`,
    groundTruth: asked === truth ? 'Yes' as const : 'No' as const,
  })));

  test('one file per primitive in the official shape; perfectly separated synthetic clips score AP 1', () => {
    const files = buildScoreFiles(questions, (question) => ({ scores: readings.get(question.videoPath.replace('.mp4', '') as Primitive)!.scores }), { timestamp: '2025-01-01T00:00:00Z' });
    expect(files.map((file) => file.primitive)).toEqual([...PRIMITIVES]);
    const first = files[0]!;
    expect(first.fileName).toBe('classification_scores_frustum-analyzer_Move_In.json');
    expect(first.text.startsWith('{\n  "metadata": {\n    "model_name": "frustum-analyzer",\n    "checkpoint": null,\n    "split_name": "Move_In",')).toBe(true);
    for (const file of files) {
      const parsed = JSON.parse(file.text) as CameraBenchScoreFile;
      expect(Object.keys(parsed.scores[0]!)).toEqual(['sample_id', 'video_path', 'question', 'ground_truth_label', 'method', 'score', 'error']);
      const result = evaluateScoreFile(parsed, file.primitive)!;
      expect(result.num_positive).toBe(1);
      expect(result.average_precision, file.primitive).toBe(1);
    }
  });

  test('a clip that failed becomes rows with an error, which the evaluator skips', () => {
    const files = buildScoreFiles(questions, (question) => (question.videoPath === 'Static.mp4' ? { error: 'clip missing' } : { scores: readings.get(question.videoPath.replace('.mp4', '') as Primitive)!.scores }), { timestamp: 't' });
    const staticFile = JSON.parse(files.find((file) => file.primitive === 'Static')!.text) as CameraBenchScoreFile;
    expect(staticFile.scores.filter((row) => row.error !== null)).toHaveLength(1);
    expect(files[0]!.text).toContain('"score": 0.0,\n      "error": "clip missing"');
    // The failed row was the only positive: the evaluator sees 14 negatives and no positive.
    expect(evaluateScoreFile(staticFile, 'Static')).toMatchObject({ num_samples: 14, num_positive: 0 });
  });
});
