// Frames on disk, named by content: <root>/v1/<hash[0..2]>/<sha256>/<what + parameters>.
// A renamed or relinked clip keeps its frames, an edited one gets new ones, and two requests
// with the same parameters share one file. Everything is written to a temporary name and
// renamed into place, so a crash or a cancel never leaves half a frame that looks finished.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { array, literal, number, object, string, type infer as Infer } from 'zod';
import { InputError } from '../../common/errors';
import { checkFfmpeg, exactFrameArguments, outputSize, requireProbeWithPackets, runFfmpeg, scaleFilter, wholeClipTimeoutMs, type Size, type SizeRequest } from './decode';
import { fileIdentity, hashFile } from './hash';
import { throwIfAborted } from './process';
import { scanPackets, type ClipProbe } from './probe';

/** A clip by path, optionally with what is already known about it (saves a probe and a hash). */
export type ClipSource = string | { path: string; probe?: ClipProbe; contentHash?: string };

export type FrameFormat = 'png' | 'jpeg' | 'rgb';

export interface FrameRequest extends SizeRequest {
  /** png (default), jpeg, or rgb: raw 8-bit RGB, row by row, width × height × 3 bytes. */
  format?: FrameFormat;
  /** JPEG quality on ffmpeg's -q:v scale, 2 (best) to 31; default 3. */
  quality?: number;
  signal?: AbortSignal;
}

export interface FrameImage {
  data: Buffer;
  format: FrameFormat;
  width: number;
  height: number;
  index: number;
  /** Seconds from the clip's first frame. */
  timestamp: number;
  /** The cached file holding `data`. */
  file: string;
}

export interface ProgressOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface FpsRequest extends SizeRequest, ProgressOptions {
  /** Frame k is the frame on screen at k / fps seconds (see readGrayFrames). */
  fps: number;
  quality?: number;
}

export interface FrameSet {
  directory: string;
  fps: number;
  width: number;
  height: number;
  frames: Array<{ file: string; timestamp: number }>;
}

export interface FilmstripRequest extends ProgressOptions {
  /** Width of one tile; default 160. The height follows the clip's aspect ratio. */
  tileWidth?: number;
  /** Tiles per row and rows per sprite image; default 10 × 10. */
  columns?: number;
  rows?: number;
  /** Take every `step`-th frame; default: enough to show about `count` frames. */
  step?: number;
  /** Default 120 (ignored when `step` is given). */
  count?: number;
  quality?: number;
}

export const FilmstripLayout = object({
  version: literal(1),
  tileWidth: number().int().positive(),
  tileHeight: number().int().positive(),
  columns: number().int().positive(),
  rows: number().int().positive(),
  step: number().int().positive(),
  /** Frames in the clip (tiles show every `step`-th of them). */
  frameCount: number().int().positive(),
  /** Sprite image file names, in the layout's folder. */
  sprites: array(string()),
  tiles: array(
    object({
      frame: number().int().nonnegative(),
      timestamp: number(),
      sprite: number().int().nonnegative(),
      x: number().int().nonnegative(),
      y: number().int().nonnegative(),
    }),
  ),
});
export type FilmstripLayout = Infer<typeof FilmstripLayout>;
export type Filmstrip = FilmstripLayout & { directory: string; spriteFiles: string[] };

const FrameSetIndex = object({
  version: literal(1),
  fps: number(),
  width: number(),
  height: number(),
  frames: array(object({ file: string(), timestamp: number() })),
});

export interface FrameCacheOptions {
  /** Cache folder; default `frustum-cache` beside `projectPath`, else the OS cache folder. */
  root?: string;
  projectPath?: string;
}

export interface FrameCache {
  root: string;
  frameAt(clip: ClipSource, index: number, request?: FrameRequest): Promise<FrameImage>;
  framesAtFps(clip: ClipSource, request: FpsRequest): Promise<FrameSet>;
  filmstrip(clip: ClipSource, request?: FilmstripRequest): Promise<Filmstrip>;
  /** Presentation timestamps (seconds, as in the file) of every frame, in frame order. */
  frameTimestamps(clip: ClipSource, options?: { signal?: AbortSignal }): Promise<number[]>;
  /**
   * Every frame of the clip as a JPEG file, in one ffmpeg pass (the studio's scrubber reads
   * them as files instead of starting a decoder per frame). Null when the decoder yields a
   * different number of frames than the clip has packets (a damaged file): then the index of a
   * file would not be the frame's index, and callers fall back to frameAt.
   */
  allFrames(clip: ClipSource, request?: AllFramesRequest): Promise<AllFrames | null>;
}

export interface AllFramesRequest extends SizeRequest, ProgressOptions {
  quality?: number;
}

export interface AllFrames {
  directory: string;
  width: number;
  height: number;
  /** File of frame i at position i. */
  files: string[];
}

const AllFramesIndex = object({
  version: literal(1),
  width: number(),
  height: number(),
  files: array(string()),
  /** Frames the clip has (its packets); a different count of files means the set is unusable. */
  frameCount: number(),
});

const CACHE_VERSION = 'v1';

/** The per-user cache folder of the platform (XDG on Linux). */
export function osCacheRoot(): string {
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'frustum', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'frustum');
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : homedir() ? join(homedir(), '.cache') : tmpdir(), 'frustum');
}

export function defaultCacheRoot(projectPath?: string): string {
  return projectPath !== undefined ? join(dirname(projectPath), 'frustum-cache') : osCacheRoot();
}

function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryName(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Fills a folder: `produce` writes into an empty temporary folder, which is then renamed
 * into place. When another writer finished first, its folder is kept and ours dropped.
 */
async function fillFolder(directory: string, produce: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(directory), { recursive: true });
  const temporary = temporaryName(directory);
  await mkdir(temporary);
  try {
    await produce(temporary);
    try {
      await rename(temporary, directory);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw error;
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

function checkQuality(quality: number | undefined): number {
  const value = quality ?? 3;
  if (!Number.isInteger(value) || value < 2 || value > 31) throw new InputError([{ file: 'request', field: 'quality', reason: `must be a whole number from 2 (best) to 31, got ${value}` }]);
  return value;
}

function checkPositiveInteger(value: number | undefined, fallback: number, name: string, maximum: number): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 1 || result > maximum) throw new InputError([{ file: 'request', field: name, reason: `must be a whole number from 1 to ${maximum}, got ${result}` }]);
  return result;
}

/** Calls `onProgress(frames, total)` from ffmpeg's `-progress pipe:1` key=value stream. */
function progressReader(total: number, onProgress?: (done: number, total: number) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^frame=(\d+)/.exec(line);
      if (match) onProgress?.(Math.min(Number(match[1]), total), total);
    }
  };
}

interface PreparedClip {
  path: string;
  probe: ClipProbe;
  hash: string;
  folder: string;
}

export function createFrameCache(options: FrameCacheOptions = {}): FrameCache {
  const root = options.root ?? defaultCacheRoot(options.projectPath);
  // Scrubbing asks for many frames of one clip: probe and hash it once per file version.
  const prepared = new Map<string, Promise<PreparedClip>>();
  const timestampsByHash = new Map<string, Promise<number[]>>();

  async function prepare(clip: ClipSource, signal?: AbortSignal): Promise<PreparedClip> {
    const source = typeof clip === 'string' ? { path: clip } : clip;
    throwIfAborted(signal);
    let identity;
    try {
      identity = await fileIdentity(source.path);
    } catch (error) {
      if (error instanceof InputError) throw error; // there, but not a regular file
      throw new InputError([{ file: source.path, reason: 'file not found' }]);
    }
    const key = `${identity.path}\u0000${identity.size}\u0000${identity.mtime}`;
    let pending = prepared.get(key);
    if (!pending) {
      pending = (async () => {
        // ffprobe runs in its own process while this one hashes the file.
        const known: { probe: ClipProbe; timestamps?: number[] } | null = source.probe !== undefined ? { probe: source.probe } : null;
        const [probed, hash] = await Promise.all([known ?? requireProbeWithPackets(source.path, signal), source.contentHash ?? hashFile(source.path, { signal })]);
        const folder = join(root, CACHE_VERSION, hash.slice(0, 2), hash);
        // The probe's packet scan is the one timestampsOf would run next: not twice.
        const { timestamps } = probed;
        if (timestamps !== undefined && timestamps.length > 0 && !timestampsByHash.has(hash)) {
          const seeded = writeAtomically(join(folder, 'timestamps.json'), JSON.stringify(timestamps)).then(() => timestamps);
          timestampsByHash.set(hash, seeded);
          seeded.catch(() => timestampsByHash.delete(hash));
        }
        return { path: source.path, probe: probed.probe, hash, folder };
      })();
      prepared.set(key, pending);
      pending.catch(() => prepared.delete(key));
    }
    return pending;
  }

  async function timestampsOf(clip: PreparedClip, signal?: AbortSignal): Promise<number[]> {
    let pending = timestampsByHash.get(clip.hash);
    if (!pending) {
      pending = (async () => {
        const file = join(clip.folder, 'timestamps.json');
        const cached = await readIfPresent(file);
        if (cached !== null) {
          const parsed = array(number()).safeParse(JSON.parse(cached.toString('utf8')));
          if (parsed.success) return parsed.data;
        }
        const scan = await scanPackets(clip.path, clip.probe.fileSize, { signal });
        if (scan.timestamps.length === 0) throw new InputError([{ file: clip.path, reason: 'has no video frames with timestamps' }]);
        await writeAtomically(file, JSON.stringify(scan.timestamps));
        return scan.timestamps;
      })();
      timestampsByHash.set(clip.hash, pending);
      pending.catch(() => timestampsByHash.delete(clip.hash));
    }
    return pending;
  }

  async function frameAt(clip: ClipSource, index: number, request: FrameRequest = {}): Promise<FrameImage> {
    const format = request.format ?? 'png';
    const quality = checkQuality(request.quality);
    const ready = await prepare(clip, request.signal);
    const timestamps = await timestampsOf(ready, request.signal);
    if (!Number.isInteger(index) || index < 0 || index >= timestamps.length) {
      throw new InputError([{ file: ready.path, reason: `has no frame ${index}: its frames are 0 to ${timestamps.length - 1}` }]);
    }
    const size = outputSize(ready.probe, request);
    const extension = format === 'jpeg' ? `q${quality}.jpg` : format;
    const file = join(ready.folder, 'frames', `${index}-${size.width}x${size.height}.${extension}`);
    const timestamp = (timestamps[index] as number) - (timestamps[0] as number);
    const image = { format, width: size.width, height: size.height, index, timestamp, file };
    const cached = await readIfPresent(file);
    if (cached !== null) return { ...image, data: cached };

    const { input, select } = exactFrameArguments(ready.path, ready.probe, timestamps, index);
    const output =
      format === 'png'
        ? ['-f', 'image2pipe', '-c:v', 'png']
        : format === 'jpeg'
          ? ['-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', String(quality)]
          : ['-f', 'rawvideo', '-pix_fmt', 'rgb24'];
    const result = await runFfmpeg([...input, '-map', '0:v:0', '-vf', `${select},${scaleFilter(size)}`, '-frames:v', '1', ...output, 'pipe:1'], {
      timeoutMs: 30_000 + ready.probe.durationSeconds * 1000,
      signal: request.signal,
      maxStdoutBytes: size.width * size.height * 4 + 1_000_000,
    });
    checkFfmpeg(result, ready.path, `decoding frame ${index}`);
    const isComplete = format === 'rgb' ? result.stdout.length === size.width * size.height * 3 : result.stdout.length > 0;
    if (!isComplete) throw new InputError([{ file: ready.path, reason: `frame ${index} could not be decoded (the file may be damaged there)` }]);
    await writeAtomically(file, result.stdout);
    return { ...image, data: result.stdout };
  }

  async function framesAtFps(clip: ClipSource, request: FpsRequest): Promise<FrameSet> {
    if (!(request.fps > 0 && request.fps <= 240)) throw new InputError([{ file: 'request', field: 'fps', reason: `must be above 0 and at most 240, got ${request.fps}` }]);
    const quality = checkQuality(request.quality);
    const ready = await prepare(clip, request.signal);
    const size = outputSize(ready.probe, request);
    const directory = join(ready.folder, `fps${request.fps}-${size.width}x${size.height}-q${quality}`);
    const indexFile = join(directory, 'index.json');
    const describe = (index: Infer<typeof FrameSetIndex>): FrameSet => ({
      directory,
      fps: index.fps,
      width: index.width,
      height: index.height,
      frames: index.frames.map((frame) => ({ file: join(directory, frame.file), timestamp: frame.timestamp })),
    });
    const cached = await readIfPresent(indexFile);
    if (cached !== null) {
      const parsed = FrameSetIndex.safeParse(JSON.parse(cached.toString('utf8')));
      if (parsed.success) return describe(parsed.data);
    }
    const total = Math.max(1, Math.ceil(ready.probe.durationSeconds * request.fps));
    let index: Infer<typeof FrameSetIndex> | null = null;
    await fillFolder(directory, async (temporary) => {
      const result = await runFfmpeg(
        ['-i', ready.path, '-map', '0:v:0', '-vf', `fps=${request.fps}:round=up,${scaleFilter(size)}`, '-q:v', String(quality), '-start_number', '0', '-progress', 'pipe:1', '-nostats', join(temporary, '%06d.jpg')],
        { timeoutMs: wholeClipTimeoutMs(ready.probe), signal: request.signal, onStdout: progressReader(total, request.onProgress) },
      );
      checkFfmpeg(result, ready.path, 'extracting frames');
      const files = (await readdir(temporary)).filter((name) => name.endsWith('.jpg')).sort();
      index = { version: 1, fps: request.fps, width: size.width, height: size.height, frames: files.map((file, position) => ({ file, timestamp: position / request.fps })) };
      await writeFile(join(temporary, 'index.json'), JSON.stringify(index));
    });
    request.onProgress?.(total, total);
    // Another writer may have won the rename: read what is in place.
    const written = await readIfPresent(indexFile);
    const parsed = written !== null ? FrameSetIndex.safeParse(JSON.parse(written.toString('utf8'))) : null;
    if (parsed?.success) return describe(parsed.data);
    if (index === null) throw new Error(`frame set ${directory} was not written`);
    return describe(index);
  }

  async function filmstrip(clip: ClipSource, request: FilmstripRequest = {}): Promise<Filmstrip> {
    const quality = checkQuality(request.quality);
    const columns = checkPositiveInteger(request.columns, 10, 'columns', 64);
    const rows = checkPositiveInteger(request.rows, 10, 'rows', 64);
    const tileWidth = checkPositiveInteger(request.tileWidth, 160, 'tileWidth', 4096);
    const ready = await prepare(clip, request.signal);
    const timestamps = await timestampsOf(ready, request.signal);
    const frameCount = timestamps.length;
    const count = checkPositiveInteger(request.count, 120, 'count', 1_000_000);
    const step = checkPositiveInteger(request.step, Math.max(1, Math.ceil(frameCount / count)), 'step', 1_000_000);
    const tile: Size = outputSize(ready.probe, { width: tileWidth });
    const directory = join(ready.folder, `strip-s${step}-${tile.width}x${tile.height}-${columns}x${rows}-q${quality}`);
    const layoutFile = join(directory, 'layout.json');
    const describe = (layout: FilmstripLayout): Filmstrip => ({ ...layout, directory, spriteFiles: layout.sprites.map((name) => join(directory, name)) });
    const cached = await readIfPresent(layoutFile);
    if (cached !== null) {
      const parsed = FilmstripLayout.safeParse(JSON.parse(cached.toString('utf8')));
      if (parsed.success) return describe(parsed.data);
    }
    const perSprite = columns * rows;
    const frames = Array.from({ length: Math.ceil(frameCount / step) }, (_, position) => position * step);
    const spriteTotal = Math.ceil(frames.length / perSprite);
    await fillFolder(directory, async (temporary) => {
      // Frames are picked by decode order number n (= frame index), not by time: a tile
      // then names the exact frame that frameAt returns, also in variable-rate clips.
      const filter = `select=not(mod(n\\,${step})),${scaleFilter(tile)},tile=${columns}x${rows}`;
      const result = await runFfmpeg(
        ['-i', ready.path, '-map', '0:v:0', '-vf', filter, '-vsync', 'passthrough', '-q:v', String(quality), '-start_number', '0', '-progress', 'pipe:1', '-nostats', join(temporary, 'sprite-%04d.jpg')],
        { timeoutMs: wholeClipTimeoutMs(ready.probe), signal: request.signal, onStdout: progressReader(spriteTotal, request.onProgress) },
      );
      checkFfmpeg(result, ready.path, 'building the filmstrip');
      const sprites = (await readdir(temporary)).filter((name) => name.startsWith('sprite-')).sort();
      if (sprites.length !== spriteTotal) {
        throw new InputError([{ file: ready.path, reason: `filmstrip has ${sprites.length} sprite(s), expected ${spriteTotal}: the clip has fewer decodable frames than its ${frameCount} packets` }]);
      }
      const layout: FilmstripLayout = {
        version: 1,
        tileWidth: tile.width,
        tileHeight: tile.height,
        columns,
        rows,
        step,
        frameCount,
        sprites,
        tiles: frames.map((frame, position) => ({
          frame,
          timestamp: (timestamps[frame] as number) - (timestamps[0] as number),
          sprite: Math.floor(position / perSprite),
          x: (position % columns) * tile.width,
          y: Math.floor((position % perSprite) / columns) * tile.height,
        })),
      };
      await writeFile(join(temporary, 'layout.json'), JSON.stringify(layout));
    });
    request.onProgress?.(spriteTotal, spriteTotal);
    const written = await readIfPresent(layoutFile);
    const parsed = written !== null ? FilmstripLayout.safeParse(JSON.parse(written.toString('utf8'))) : null;
    if (!parsed?.success) throw new Error(`filmstrip ${directory} was not written`);
    return describe(parsed.data);
  }

  async function frameTimestamps(clip: ClipSource, options: { signal?: AbortSignal } = {}): Promise<number[]> {
    return timestampsOf(await prepare(clip, options.signal), options.signal);
  }

  async function allFrames(clip: ClipSource, request: AllFramesRequest = {}): Promise<AllFrames | null> {
    const quality = checkQuality(request.quality);
    const ready = await prepare(clip, request.signal);
    const timestamps = await timestampsOf(ready, request.signal);
    const size = outputSize(ready.probe, request);
    const directory = join(ready.folder, `all-${size.width}x${size.height}-q${quality}`);
    const indexFile = join(directory, 'index.json');
    const describe = (index: Infer<typeof AllFramesIndex>): AllFrames | null =>
      index.files.length !== index.frameCount ? null : { directory, width: index.width, height: index.height, files: index.files.map((file) => join(directory, file)) };
    const cached = await readIfPresent(indexFile);
    if (cached !== null) {
      const parsed = AllFramesIndex.safeParse(JSON.parse(cached.toString('utf8')));
      if (parsed.success) return describe(parsed.data);
    }
    await fillFolder(directory, async (temporary) => {
      // Passthrough keeps every decoded frame once, in decode-output order n = frame index (as
      // the filmstrip picks them), so file i is exactly what frameAt(i) returns.
      const result = await runFfmpeg(
        ['-i', ready.path, '-map', '0:v:0', '-vf', scaleFilter(size), '-vsync', 'passthrough', '-q:v', String(quality), '-start_number', '0', '-progress', 'pipe:1', '-nostats', join(temporary, '%06d.jpg')],
        { timeoutMs: wholeClipTimeoutMs(ready.probe), signal: request.signal, onStdout: progressReader(timestamps.length, request.onProgress) },
      );
      checkFfmpeg(result, ready.path, 'extracting every frame');
      const files = (await readdir(temporary)).filter((name) => name.endsWith('.jpg')).sort();
      const index: Infer<typeof AllFramesIndex> = { version: 1, width: size.width, height: size.height, files, frameCount: timestamps.length };
      await writeFile(join(temporary, 'index.json'), JSON.stringify(index));
    });
    request.onProgress?.(timestamps.length, timestamps.length);
    const written = await readIfPresent(indexFile);
    const parsed = written !== null ? AllFramesIndex.safeParse(JSON.parse(written.toString('utf8'))) : null;
    if (!parsed?.success) throw new Error(`frame set ${directory} was not written`);
    return describe(parsed.data);
  }

  return { root, frameAt, framesAtFps, filmstrip, frameTimestamps, allFrames };
}
