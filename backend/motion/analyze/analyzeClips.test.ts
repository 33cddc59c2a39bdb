// analyzeClip tracks frames as ffmpeg decodes them (backend/media openGrayFrameStream): the reading must be the one
// the decode-everything-first path gives, and a bad clip must still fail with its name. A probe
// the caller already has (the store's) replaces the ffprobe run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outputSize, probeClip, readGrayFrames } from '../../media';
import { makePatternClip } from '../../media/testClips';
import { analyzeClip, analyzeClips } from './analyzeClips';
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

  test('a known probe is used instead of probing again, by both paths', async () => {
    const probed = await probeClip(clip);
    if (!probed.ok) throw new Error(probed.reason);
    // A probe that disagrees with the file shows which one sized the frames: only a decode that
    // trusted it (and ran no ffprobe of its own) makes frames twice as tall.
    const taller = { ...probed.probe, displayHeight: probed.probe.displayHeight * 2 };
    const expected = outputSize(taller, { width: ANALYSIS_DEFAULTS.width }).height;
    expect(expected).not.toBe(outputSize(probed.probe, { width: ANALYSIS_DEFAULTS.width }).height);
    const streamed = await analyzeClip({ path: clip, probe: taller });
    expect(streamed.summary.height).toBe(expected);
    const [batch] = await analyzeClips([{ path: clip, probe: taller }]);
    expect(batch?.ok && batch.reading.summary.height).toBe(expected);
    // The right probe reads as probing does.
    const [same] = await analyzeClips([{ path: clip, probe: probed.probe }]);
    expect(same?.ok && same.reading.scores).toEqual((await analyzeClip(clip)).scores);
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
