import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from './ffmpeg';
import { hashFile } from './hash';
import { mapPool } from './pool';
import { runningProcessCount } from './process';
import { hasVaryingIntervals, parseStoredProbe, probeClip, type ClipProbe, type ProbeResult } from './probe';
import { makeTestClips, NUMBERED_FRAMES, type TestClips } from './testClips';

let clips: TestClips;
beforeAll(async () => {
  clips = await makeTestClips();
});
afterAll(() => clips?.remove());

function probeOf(result: ProbeResult): ClipProbe {
  if (!result.ok) throw new Error(`expected a probe, got: ${result.reason}`);
  return result.probe;
}

describe('probeClip', () => {
  it('describes a clip', async () => {
    const probe = probeOf(await probeClip(clips.numbered));
    expect(probe).toMatchObject({
      durationSeconds: expect.closeTo(1.2, 1),
      averageFrameRate: 25,
      realFrameRate: 25,
      frameCount: NUMBERED_FRAMES,
      frameCountMethod: 'packets',
      width: 64,
      height: 48,
      displayWidth: 64,
      displayHeight: 48,
      rotation: 0,
      codec: 'h264',
      pixelFormat: 'yuv420p',
      isVariableFrameRate: false,
      variableFrameRateEvidence: 'timestamps',
      hasAudio: false,
      fileSize: readFileSync(clips.numbered).length,
    });
    expect(probe.container).toMatch(/mp4/);
    expect(probe.bitRate).toBeGreaterThan(0);
    expect(parseStoredProbe(JSON.stringify(probe))).toEqual(probe);
    expect(parseStoredProbe('{"old": true}')).toBeNull();
  });

  it('reports rotation and the display size after it, and audio', async () => {
    const probe = probeOf(await probeClip(clips.rotated));
    expect(probe).toMatchObject({ width: 64, height: 48, rotation: 90, displayWidth: 48, displayHeight: 64, hasAudio: true });
  });

  it('in quick mode describes the picture from one ffprobe run, as the full probe does', async () => {
    for (const clip of [clips.numbered, clips.rotated]) {
      const full = probeOf(await probeClip(clip));
      const quick = probeOf(await probeClip(clip, { isQuick: true }));
      const picture = (probe: ClipProbe) => [probe.displayWidth, probe.displayHeight, probe.rotation, probe.averageFrameRate, probe.durationSeconds];
      expect(picture(quick)).toEqual(picture(full));
      expect(quick.frameCountMethod).not.toBe('packets');
    }
  });

  it('flags a variable frame rate', async () => {
    const probe = probeOf(await probeClip(clips.variableRate));
    expect(probe.isVariableFrameRate).toBe(true);
    expect(probe.frameCount).toBe(NUMBERED_FRAMES);
    expect(probe.averageFrameRate).not.toBeCloseTo(probe.realFrameRate, 1);
  });

  it('reads MPEG-TS (non-zero start time)', async () => {
    const probe = probeOf(await probeClip(clips.numberedTs));
    expect(probe.frameCount).toBe(NUMBERED_FRAMES);
    expect(probe.startSeconds).toBeGreaterThan(0);
  });

  it.each([
    ['corrupt', /is not a readable video: .*invalid data/i],
    ['truncated', /is not a readable video: .*moov atom not found/i],
    ['truncatedFastStart', /is truncated/],
    ['empty', /is empty \(0 bytes\)/],
    ['audioOnly', /has no video stream \(audio only\)/],
    ['text', /is a text file, not a video/],
    ['still', /is a still image/],
    ['directory', /is a directory/],
  ] as const)('gives a clear error for a bad file: %s', async (which, reason) => {
    const result = await probeClip(clips[which]);
    expect(result).toEqual({ ok: false, kind: 'error', reason: expect.stringMatching(reason) });
  });

  it('says a missing file is missing', async () => {
    expect(await probeClip(clips.missing)).toEqual({ ok: false, kind: 'missing', reason: 'file not found' });
  });

  it('turns a timeout into a per-clip error', async () => {
    const result = await probeClip(clips.numbered, { timeoutMs: 1 });
    expect(result).toEqual({ ok: false, kind: 'error', reason: expect.stringMatching(/could not be read in time/) });
  });

  it('probes a batch of good and bad files without throwing', async () => {
    const files = [clips.numbered, clips.corrupt, clips.missing, clips.directory, clips.rotated, clips.empty];
    const progress: Array<[number, number]> = [];
    const results = await mapPool(files, (file) => probeClip(file), { concurrency: 2, onProgress: (done, total) => progress.push([done, total]) });
    expect(results.map((result) => result.ok)).toEqual([true, false, false, false, true, false]);
    expect(progress.at(-1)).toEqual([files.length, files.length]);
  });

  it('reads a clip longer than two minutes from its header: the packet scan begun beside the description is called off', async () => {
    // 130 s at 2 fps, 16 × 16: long by duration, cheap to make.
    const long = join(clips.folder, 'long.mp4');
    execFileSync((await resolveFfmpeg()).ffmpeg.path, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=16x16:rate=2:duration=130', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', long]);
    const probe = probeOf(await probeClip(long));
    expect(probe).toMatchObject({ frameCount: 260, frameCountMethod: 'header', variableFrameRateEvidence: 'frame rates' });
    for (const bad of [clips.corrupt, clips.text, clips.audioOnly]) expect((await probeClip(bad)).ok).toBe(false);
    expect(runningProcessCount()).toBe(0);
  });

  it('rejects when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(probeClip(clips.numbered, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('hasVaryingIntervals', () => {
  it('tolerates millisecond rounding but not real gaps', () => {
    expect(hasVaryingIntervals([0, 0.033, 0.067, 0.1, 0.133, 0.167])).toBe(false);
    expect(hasVaryingIntervals([0, 0.04, 0.08, 0.16, 0.24])).toBe(true);
    expect(hasVaryingIntervals([0, 1])).toBe(false);
  });
});

describe('hashFile', () => {
  it('is the sha256 of the bytes, and stable', async () => {
    const expected = createHash('sha256').update(readFileSync(clips.numbered)).digest('hex');
    expect(await hashFile(clips.numbered)).toBe(expected);
    expect(await hashFile(clips.numbered)).toBe(expected);
    expect(await hashFile(clips.rotated)).not.toBe(expected);
  });
});
