// analyzeClip tracks frames as ffmpeg decodes them (./frameStream): the reading must be the one
// the decode-everything-first path gives, and a bad clip must still fail with its name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readGrayFrames } from '../../media';
import { makePatternClip } from '../../media/testClips';
import { analyzeClip } from './analyzeClips';
import { ANALYSIS_DEFAULTS, analyzeFrames } from './analyzeFrames';

describe('analyzeClip (streamed decoding)', () => {
  let folder = '';
  let clip = '';
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'frustum-analyze-'));
    clip = await makePatternClip(folder, 'mandelbrot', 'pan-right');
  }, 60_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('reads the same as decoding every frame first', async () => {
    const streamed = await analyzeClip(clip);
    const decoded = await readGrayFrames(clip, { fps: ANALYSIS_DEFAULTS.fps, width: ANALYSIS_DEFAULTS.width });
    const whole = await analyzeFrames({ ...decoded });
    expect(streamed.scores).toEqual(whole.scores);
    expect(streamed.timeline).toHaveLength(decoded.frames.length - 1);
    expect(streamed.scores.Pan_Right).toBeGreaterThan(0.5);
  }, 60_000);

  test('a missing clip rejects, naming it', async () => {
    await expect(analyzeClip(join(folder, 'missing.mp4'))).rejects.toThrow(/missing\.mp4/);
  });

  test('an aborted analysis rejects', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(analyzeClip(clip, { signal: controller.signal })).rejects.toThrow(/abort|cancel/i);
  });
});
