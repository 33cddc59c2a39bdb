// Where the frames a model received sit in the clip: a sent frame's timestamp as the clip's
// frame (the exact JPEG the frame route serves, the player's frame), and a time span as a box on
// a timeline of the clip's duration.
import type { ClipMedia } from '../../common/api/contract';
import type { TimeSpan } from '../../common/ota/claims';

/** The clip frame on screen at `seconds` (0-based, as the frame route and the player count). */
export function clipFrameAt(seconds: number, media: Pick<ClipMedia, 'fps' | 'frameCount'>): number {
  if (media.frameCount <= 0) return 0;
  // A hair below the next frame's start: 1.0 s at 25 fps is frame 25, not 24.99999 → 24.
  const index = Math.floor(seconds * media.fps + 1e-6);
  return Math.min(Math.max(0, index), media.frameCount - 1);
}

/** A span as left and width, in percent of the clip's duration; an instant gets a visible sliver. */
export function spanBox(span: TimeSpan, durationSeconds: number, minimumPercent = 0.8): { left: number; width: number } {
  if (!(durationSeconds > 0)) return { left: 0, width: 100 };
  const left = Math.min(100, Math.max(0, (span.start / durationSeconds) * 100));
  const right = Math.min(100, Math.max(left, (span.end / durationSeconds) * 100));
  const width = Math.max(minimumPercent, right - left);
  return { left: Math.min(left, 100 - width), width };
}

/** "0.0 s", "12.5 s". */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(seconds >= 100 ? 0 : 1)} s`;
}

/** The clip's duration as far as it is known: probed, else from its media, else the last frame sent. */
export function knownDuration(probed: number | null | undefined, media: Pick<ClipMedia, 'fps' | 'frameCount'> | null | undefined, frameTimes: readonly number[]): number | null {
  if (probed !== null && probed !== undefined && probed > 0) return probed;
  if (media && media.frameCount > 0 && media.fps > 0) return media.frameCount / media.fps;
  return frameTimes.at(-1) ?? null;
}
