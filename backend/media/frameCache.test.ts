import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../common/errors';
import { tempDir } from '../../tests/support/tempDir';
import { resolveFfmpeg } from './ffmpeg';
import { createFrameCache, defaultCacheRoot, FilmstripLayout } from './frameCache';
import { outputSize } from './decode';
import { readGrayFrames } from './grayFrames';
import { probeClip } from './probe';
import { runningProcessCount } from './process';
import { frameNumberOf, makeTestClips, NUMBERED_FRAMES, type TestClips } from './testClips';

let clips: TestClips;
let ffmpegPath: string;
beforeAll(async () => {
  clips = await makeTestClips();
  ffmpegPath = (await resolveFfmpeg()).ffmpeg.path;
});
afterAll(() => clips?.remove());

/** Gray levels of an image file at the given points (decoded by ffmpeg). */
function grayAt(file: string, width: number, points: ReadonlyArray<readonly [number, number]>): number[] {
  const gray = execFileSync(ffmpegPath, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
  return points.map(([x, y]) => gray[y * width + x] as number);
}

const SAMPLED = [0, 1, 2, 3, 9, 10, 11, 17, 20, 27, 28, NUMBERED_FRAMES - 1];

describe('frameAt', () => {
  it.each([
    ['mp4 with B-frames', 'numbered'],
    ['variable frame rate', 'variableRate'],
    ['MPEG-TS, no index', 'numberedTs'],
  ] as const)('returns exactly the requested frame: %s', async (_, which) => {
    const cache = createFrameCache({ root: tempDir() });
    const numbers: number[] = [];
    for (const index of SAMPLED) {
      const frame = await cache.frameAt(clips[which], index, { format: 'rgb' });
      expect(frame.data.length).toBe(64 * 48 * 3);
      numbers.push(frameNumberOf(frame.data[(24 * 64 + 32) * 3] as number));
    }
    expect(numbers).toEqual(SAMPLED);
  });

  it('gives timestamps of the real frame times in a variable-rate clip', async () => {
    const cache = createFrameCache({ root: tempDir() });
    expect((await cache.frameAt(clips.variableRate, 9, { format: 'rgb' })).timestamp).toBeCloseTo(0.36, 3);
    expect((await cache.frameAt(clips.variableRate, 12, { format: 'rgb' })).timestamp).toBeCloseTo(0.56, 3);
  });

  it('encodes PNG and JPEG at a size, and serves the second request from disk', async () => {
    const cache = createFrameCache({ root: tempDir() });
    const png = await cache.frameAt(clips.numbered, 5, { width: 32 });
    expect(png).toMatchObject({ format: 'png', width: 32, height: 24, index: 5, timestamp: expect.closeTo(0.2, 3) });
    expect(png.data.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(frameNumberOf(grayAt(png.file, 32, [[16, 12]])[0] as number)).toBe(5);
    const jpeg = await cache.frameAt(clips.numbered, 5, { format: 'jpeg', height: 24 });
    expect(jpeg.data[0]).toBe(0xff);
    expect(jpeg.data[1]).toBe(0xd8);
    expect(jpeg.file.startsWith(cache.root)).toBe(true);
    const again = await cache.frameAt(clips.numbered, 5, { width: 32 });
    expect(again.data.equals(png.data)).toBe(true);
  });

  it('shows a rotated clip upright, at its display size', async () => {
    const cache = createFrameCache({ root: tempDir() });
    const frame = await cache.frameAt(clips.rotated, 0, { format: 'rgb' });
    expect(frame).toMatchObject({ width: 48, height: 64 });
    expect(frame.data.length).toBe(48 * 64 * 3);
  });

  it('refuses a frame out of range and a bad clip, naming the file', async () => {
    const cache = createFrameCache({ root: tempDir() });
    await expect(cache.frameAt(clips.numbered, NUMBERED_FRAMES)).rejects.toThrow(/numbered\.mp4: has no frame 30: its frames are 0 to 29/);
    await expect(cache.frameAt(clips.corrupt, 0)).rejects.toBeInstanceOf(InputError);
    await expect(cache.frameAt(clips.missing, 0)).rejects.toThrow(/absent\.mp4: file not found/);
  });
});

describe('framesAtFps', () => {
  it('writes JPEG frames at a rate and size with an index, once', async () => {
    const cache = createFrameCache({ root: tempDir() });
    const progress: Array<[number, number]> = [];
    const set = await cache.framesAtFps(clips.numbered, { fps: 5, width: 32, onProgress: (done, total) => progress.push([done, total]) });
    expect(set).toMatchObject({ fps: 5, width: 32, height: 24 });
    expect(set.frames.map((frame) => frame.timestamp)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // Frame k of a 5 fps set is the clip's frame nearest k × 0.2 s, i.e. frame 5k at 25 fps.
    expect(set.frames.map((frame) => frameNumberOf(grayAt(frame.file, 32, [[16, 12]])[0] as number))).toEqual([0, 5, 10, 15, 20, 25]);
    expect(progress.at(-1)).toEqual([6, 6]);
    expect(readdirSync(set.directory).sort()).toEqual(['000000.jpg', '000001.jpg', '000002.jpg', '000003.jpg', '000004.jpg', '000005.jpg', 'index.json']);
    expect(await cache.framesAtFps(clips.numbered, { fps: 5, width: 32 })).toEqual(set);
  });
});

describe('filmstrip', () => {
  it('tiles every step-th frame into sprites and says where each one is', async () => {
    const cache = createFrameCache({ root: tempDir() });
    const strip = await cache.filmstrip(clips.numbered, { step: 4, columns: 3, rows: 2, tileWidth: 32 });
    expect(FilmstripLayout.parse(JSON.parse(readFileSync(join(strip.directory, 'layout.json'), 'utf8')))).toBeTruthy();
    expect(strip).toMatchObject({ tileWidth: 32, tileHeight: 24, columns: 3, rows: 2, step: 4, frameCount: NUMBERED_FRAMES });
    expect(strip.tiles.map((tile) => tile.frame)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(strip.spriteFiles).toHaveLength(2);
    expect(strip.tiles[4]).toEqual({ frame: 16, timestamp: expect.closeTo(0.64, 3), sprite: 0, x: 32, y: 24 });
    expect(strip.tiles[7]).toMatchObject({ frame: 28, sprite: 1, x: 32, y: 0 });
    for (const [spriteIndex, file] of strip.spriteFiles.entries()) {
      const tiles = strip.tiles.filter((tile) => tile.sprite === spriteIndex);
      const levels = grayAt(file, 3 * 32, tiles.map((tile) => [tile.x + 16, tile.y + 12] as const));
      expect(levels.map(frameNumberOf)).toEqual(tiles.map((tile) => tile.frame));
    }
  });
});

describe('allFrames', () => {
  it.each([
    ['mp4 with B-frames', 'numbered'],
    ['variable frame rate', 'variableRate'],
    ['MPEG-TS, no index', 'numberedTs'],
  ] as const)('extracts every frame in one pass, file i being exactly frame i: %s', async (_, which) => {
    const cache = createFrameCache({ root: tempDir() });
    const set = await cache.allFrames(clips[which], { width: 64 });
    expect(set).not.toBeNull();
    expect(set?.files).toHaveLength(NUMBERED_FRAMES);
    const numbers = SAMPLED.map((index) => frameNumberOf(grayAt(set?.files[index] ?? '', 64, [[32, 24]])[0] as number));
    expect(numbers).toEqual(SAMPLED);
    // Same bytes as the exact single-frame path, at the same size and quality.
    const single = await cache.frameAt(clips[which], 17, { width: 64, format: 'jpeg' });
    expect(frameNumberOf(grayAt(single.file, 64, [[32, 24]])[0] as number)).toBe(17);
    const again = await cache.allFrames(clips[which], { width: 64 });
    expect(again?.files).toEqual(set?.files);
  });
});

describe('readGrayFrames', () => {
  it('decodes grayscale frames at a rate and width into memory', async () => {
    const result = await readGrayFrames(clips.numbered, { fps: 25, width: 32 });
    expect(result).toMatchObject({ width: 32, height: 24, fps: 25 });
    expect(result.frames).toHaveLength(NUMBERED_FRAMES);
    expect(result.frames.every((frame) => frame.length === 32 * 24)).toBe(true);
    expect(result.frames.map((frame) => frameNumberOf(frame[12 * 32 + 16] as number))).toEqual(Array.from({ length: NUMBERED_FRAMES }, (_, index) => index));
    expect(result.timestamps[3]).toBeCloseTo(0.12, 6);
    const slow = await readGrayFrames(clips.numbered, { fps: 5 });
    expect(slow.frames.map((frame) => frameNumberOf(frame[24 * 64 + 32] as number))).toEqual([0, 5, 10, 15, 20, 25]);
  });

  it('without a probe, sizes the picture as outputSize does from one, rotation included', async () => {
    for (const clip of [clips.numbered, clips.rotated]) {
      const probed = await probeClip(clip);
      if (!probed.ok) throw new Error(probed.reason);
      const known = await readGrayFrames(clip, { fps: 10, width: 30, probe: probed.probe });
      const bare = await readGrayFrames(clip, { fps: 10, width: 30 });
      expect({ width: bare.width, height: bare.height }).toEqual(outputSize(probed.probe, { width: 30 }));
      expect(bare.frames).toEqual(known.frames);
    }
  });

  it('a clip ffmpeg cannot decode fails with the probe\'s reason, naming the file', async () => {
    for (const clip of [clips.audioOnly, clips.empty, clips.text, clips.corrupt, clips.directory]) {
      const probed = await probeClip(clip);
      expect(probed.ok, clip).toBe(false);
      const reason = probed.ok ? '' : probed.reason;
      const error = await readGrayFrames(clip, { fps: 5, width: 32 }).then(() => null, (caught: unknown) => caught);
      expect(error, clip).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]).toMatchObject({ file: clip, reason });
    }
    await expect(readGrayFrames(clips.missing, { fps: 5 })).rejects.toMatchObject({ problems: [{ file: clips.missing, reason: 'file not found' }] });
  });
});

describe('cancellation', () => {
  it('kills ffmpeg and leaves no partial folder', async () => {
    const root = tempDir();
    const cache = createFrameCache({ root });
    const controller = new AbortController();
    const pending = cache.framesAtFps(clips.numbered, { fps: 25, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(runningProcessCount()).toBe(0);
    const leftovers = readdirSync(root, { recursive: true }).map(String).filter((name) => name.includes('.tmp') || name.endsWith('.jpg'));
    expect(leftovers).toEqual([]);
  });
});

describe('defaultCacheRoot', () => {
  it('sits beside the project file, else in the OS cache folder', () => {
    expect(defaultCacheRoot('/data/my.frustum')).toBe('/data/frustum-cache');
    expect(defaultCacheRoot()).toMatch(/frustum/);
    expect(existsSync(defaultCacheRoot('/data/my.frustum'))).toBe(false);
  });
});
