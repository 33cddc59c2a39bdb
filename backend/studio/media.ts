// Media of the open project's clips, by clip id only. Hosts (the web mode's /media routes,
// Electron's frustum-media:// protocol) turn a URL into a clip id and a frame number, and this
// module turns the id into a file the project registered; no path from a URL ever reaches the
// file system, so path traversal is impossible by construction (issue #4, item 6).
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ApiError, type ClipMedia } from '../../common/api/contract';
import type { WritableDB } from '../../db/connection';
import { clipById, type ClipRecord } from '../../db/samples';
import { confinedClipFile, isRefusal } from '../media/confine';
import { requireProbe } from '../media/decode';
import { outputSize, parseStoredProbe, type AllFrames, type ClipProbe, type ClipSource, type Filmstrip, type FrameCache } from '../media';

/** Frames are served at most this wide: the Review player's size, and JPEGs small enough to scrub. */
export const FRAME_MAX_WIDTH = 960;
/**
 * Clips up to this many frames (a minute at 30 fps; CameraBench clips are seconds long) are
 * extracted whole in one ffmpeg pass for instant scrubbing. Longer ones would cost gigabytes of
 * JPEGs and a long first wait, so their frames are decoded one by one, on request.
 */
export const WHOLE_CLIP_FRAME_LIMIT = 1800;
/** One sprite holds the whole filmstrip: 10 × 12 tiles, about 120 frames of any clip. */
const FILMSTRIP = { columns: 10, rows: 12, count: 120, tileWidth: 160 } as const;

/** Where a host serves each kind of media for a clip. */
export interface MediaUrls {
  video(clipId: number): string;
  /** Must contain `{index}`. */
  frameTemplate(clipId: number): string;
  filmstrip(clipId: number): string;
}

export interface MediaFile {
  path: string;
  size: number;
  contentType: string;
}

export interface MediaEvents {
  onFramesProgress?: (clipId: number, done: number, total: number) => void;
  onFramesFinished?: (clipId: number, error: string | null) => void;
}

const VIDEO_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.ts': 'video/mp2t',
  '.avi': 'video/x-msvideo',
};

export interface ClipMediaService {
  describe(clipId: number, urls: MediaUrls): Promise<ClipMedia>;
  video(clipId: number): Promise<MediaFile>;
  /** A JPEG of exactly frame `index` at display size (≤ FRAME_MAX_WIDTH wide). */
  frame(clipId: number, index: number): Promise<MediaFile | { data: Buffer; contentType: string }>;
  filmstripSprite(clipId: number): Promise<MediaFile>;
  /** Cancels background extraction (shutdown). */
  close(): void;
}

export function createClipMediaService(db: WritableDB, cache: FrameCache, events: MediaEvents = {}, wholeClipFrameLimit = WHOLE_CLIP_FRAME_LIMIT): ClipMediaService {
  const controller = new AbortController();
  /** One whole-clip extraction per clip and size, shared by every frame request. */
  const frameSets = new Map<string, Promise<AllFrames | null>>();

  /**
   * The clip with the real path of its file, checked now (backend/media/confine.ts): inside the
   * clip's folder and a regular file. Checked on every request, not once: a symlink or a file
   * can be swapped after the import, and a FIFO handed to ffmpeg would hang it.
   */
  function usableClip(clipId: number): ClipRecord & { file_path: string; size: number } {
    const clip = clipById(db, clipId);
    if (!clip) throw new ApiError('not-found', `no clip ${clipId} in this project`);
    if (clip.media_status !== 'ok' || clip.file_path === null) {
      throw new ApiError('unavailable', `clip ${clip.name} is ${clip.media_status}${clip.media_error ? ` (${clip.media_error})` : ''}; relink it with \`frustum relink\``);
    }
    const file = confinedClipFile(db, clip);
    if (isRefusal(file)) throw new ApiError('unavailable', `clip ${clip.name}: ${file.reason}`);
    return { ...clip, file_path: file.realPath, size: file.size };
  }

  function sourceOf(clip: ClipRecord & { file_path: string }): { source: ClipSource } {
    const probe = parseStoredProbe(clip.probe);
    // The stored probe and hash describe the file as last probed; the cache checks the file's
    // identity itself, so a stale hash only means frames are keyed by the old content.
    const source: ClipSource = { path: clip.file_path, ...(probe ? { probe } : {}), ...(clip.content_hash ? { contentHash: clip.content_hash } : {}) };
    return { source };
  }

  function displaySize(probe: Pick<ClipProbe, 'displayWidth' | 'displayHeight'>): { width?: number } {
    return probe.displayWidth > FRAME_MAX_WIDTH ? { width: FRAME_MAX_WIDTH } : {};
  }

  async function probeOf(clip: ClipRecord & { file_path: string }): Promise<ClipProbe> {
    // Never probed (imported, not yet `frustum probe`d): probe it now, as the cache would.
    return parseStoredProbe(clip.probe) ?? (await requireProbe(clip.file_path, controller.signal));
  }

  function frameSet(clipId: number, source: ClipSource, probe: ClipProbe): Promise<AllFrames | null> {
    if (probe.frameCount > wholeClipFrameLimit) return Promise.resolve(null);
    const size = displaySize(probe);
    // Keyed by file too: a relinked clip must not be served the frames of its old file.
    const key = `${clipId}\u0000${typeof source === 'string' ? source : source.path}\u0000${size.width ?? 'display'}`;
    let pending = frameSets.get(key);
    if (!pending) {
      pending = cache.allFrames(source, {
        ...size,
        quality: 3,
        signal: controller.signal,
        onProgress: (done, total) => events.onFramesProgress?.(clipId, done, total),
      });
      frameSets.set(key, pending);
      pending.then(
        () => events.onFramesFinished?.(clipId, null),
        (error: unknown) => {
          frameSets.delete(key);
          events.onFramesFinished?.(clipId, error instanceof Error ? error.message : String(error));
        },
      );
    }
    return pending;
  }

  async function describe(clipId: number, urls: MediaUrls): Promise<ClipMedia> {
    const clip = usableClip(clipId);
    const { source } = sourceOf(clip);
    const probe = await probeOf(clip);
    const strip: Filmstrip = await cache.filmstrip(source, { ...FILMSTRIP, signal: controller.signal });
    const size = outputSize(probe, displaySize(probe));
    // Start extracting every frame now: by the time a person scrubs, the frames are files.
    frameSet(clipId, source, probe).catch(() => undefined);
    const fps = probe.averageFrameRate > 0 ? probe.averageFrameRate : probe.realFrameRate > 0 ? probe.realFrameRate : 25;
    return {
      video: urls.video(clipId),
      frameTemplate: urls.frameTemplate(clipId),
      frameCount: strip.frameCount,
      fps,
      width: size.width,
      height: size.height,
      filmstrip: {
        url: urls.filmstrip(clipId),
        columns: strip.columns,
        rows: strip.rows,
        tileWidth: strip.tileWidth,
        tileHeight: strip.tileHeight,
        frames: strip.tiles.map((tile) => tile.frame),
      },
    };
  }

  async function video(clipId: number): Promise<MediaFile> {
    const clip = usableClip(clipId);
    return { path: clip.file_path, size: clip.size, contentType: VIDEO_TYPES[extname(clip.file_path).toLowerCase()] ?? 'application/octet-stream' };
  }

  async function frame(clipId: number, index: number): Promise<MediaFile | { data: Buffer; contentType: string }> {
    if (!Number.isSafeInteger(index) || index < 0) throw new ApiError('bad-request', `frame index must be a whole number ≥ 0, got ${index}`);
    const clip = usableClip(clipId);
    const { source } = sourceOf(clip);
    const probe = await probeOf(clip);
    const set = await frameSet(clipId, source, probe);
    if (set !== null) {
      const file = set.files[index];
      if (file === undefined) throw new ApiError('not-found', `clip ${clip.name} has no frame ${index}: its frames are 0 to ${set.files.length - 1}`);
      const info = await stat(file);
      return { path: file, size: info.size, contentType: 'image/jpeg' };
    }
    // A long clip, or the decoder disagrees with the packet count (a damaged file): exact frames one by one.
    const image = await cache.frameAt(source, index, { ...displaySize(probe), format: 'jpeg', signal: controller.signal });
    return { data: image.data, contentType: 'image/jpeg' };
  }

  async function filmstripSprite(clipId: number): Promise<MediaFile> {
    const clip = usableClip(clipId);
    const { source } = sourceOf(clip);
    const strip = await cache.filmstrip(source, { ...FILMSTRIP, signal: controller.signal });
    const file = strip.spriteFiles[0];
    if (file === undefined) throw new ApiError('not-found', `clip ${clip.name} has no filmstrip`);
    const info = await stat(file);
    return { path: file, size: info.size, contentType: 'image/jpeg' };
  }

  return { describe, video, frame, filmstripSprite, close: () => controller.abort() };
}
