// Shared pieces of every decode: running ffmpeg in the pool with a deadline, output sizes,
// and how to reach frame i exactly.
import { InputError } from '../../common/errors';
import { resolveFfmpeg } from './ffmpeg';
import { mediaLimiter } from './pool';
import { errorSummary, runProcess, type ProcessResult, type RunOptions } from './process';
import { probeClip, type ClipProbe } from './probe';

export interface SizeRequest {
  /** Output width in pixels; the height follows the display aspect ratio unless given too. */
  width?: number;
  height?: number;
}

export interface Size {
  width: number;
  height: number;
}

// Derived sides are even: 4:2:0 encoders (JPEG, H.264) need even sizes, and a rule that does
// not depend on the output format keeps the sizes of PNG, JPEG and raw frames identical.
function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

export function checkSide(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 16384)) {
    throw new InputError([{ file: 'request', field: name, reason: `must be a whole number of pixels from 1 to 16384, got ${value}` }]);
  }
}

/** The output size of a request for a clip shown at `probe`'s display size. */
export function outputSize(probe: Pick<ClipProbe, 'displayWidth' | 'displayHeight'>, request: SizeRequest = {}): Size {
  checkSide(request.width, 'width');
  checkSide(request.height, 'height');
  const aspect = probe.displayWidth / probe.displayHeight;
  if (request.width !== undefined && request.height !== undefined) return { width: request.width, height: request.height };
  if (request.width !== undefined) return { width: request.width, height: even(request.width / aspect) };
  if (request.height !== undefined) return { width: even(request.height * aspect), height: request.height };
  return { width: probe.displayWidth, height: probe.displayHeight };
}

/** The scale filter for a size; ffmpeg has already rotated the picture (autorotate) before it. */
export function scaleFilter(size: Size): string {
  return `scale=${size.width}:${size.height}:flags=bicubic`;
}

export async function runFfmpeg(args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const tools = await resolveFfmpeg();
  return mediaLimiter()(() => runProcess(tools.ffmpeg.path, ['-nostdin', '-hide_banner', '-v', 'error', ...args], options));
}

/** Throws an InputError naming the clip when ffmpeg failed. */
export function checkFfmpeg(result: ProcessResult, path: string, what: string): void {
  if (result.code === 0) return;
  const detail = errorSummary(result.stderr, path) || `ffmpeg exited with ${result.code ?? result.signal}`;
  throw new InputError([{ file: path, reason: `${what} failed: ${detail}` }]);
}

/** Probes, turning a bad file into an InputError (for operations that need one good clip). */
export async function requireProbe(path: string, signal?: AbortSignal, options: { isQuick?: boolean } = {}): Promise<ClipProbe> {
  return (await requireProbeWithPackets(path, signal, options)).probe;
}

/** requireProbe, with the packet times when the probe scanned them (short clips, not quick probes). */
export async function requireProbeWithPackets(path: string, signal?: AbortSignal, options: { isQuick?: boolean } = {}): Promise<{ probe: ClipProbe; timestamps?: number[] }> {
  const result = await probeClip(path, { signal, ...options });
  if (!result.ok) throw new InputError([{ file: path, reason: result.reason }]);
  return result;
}

/** Default deadline for decoding a whole clip: generous, but finite. */
export function wholeClipTimeoutMs(probe: Pick<ClipProbe, 'durationSeconds'>): number {
  return 60_000 + probe.durationSeconds * 5_000;
}

// Containers with a sample index seek exactly to the keyframe before a time. MPEG-TS, raw
// streams and the like seek by guessing byte offsets and may land after the target, so
// they are decoded from the start instead.
const INDEXED_CONTAINERS = /\b(mov|mp4|matroska|webm|avi)\b/;
const SEEK_MARGIN_SECONDS = 1;

/**
 * ffmpeg arguments (input and filter) that output exactly frame `index`, whose presentation
 * time is `timestamps[index]`: timestamps are kept as they are in the file (-copyts) and the
 * first frame at or after the midpoint between frame index-1 and frame index is taken. A
 * midpoint, not the timestamp itself, because ffprobe prints times rounded to microseconds.
 */
export function exactFrameArguments(path: string, probe: Pick<ClipProbe, 'container' | 'startSeconds'>, timestamps: readonly number[], index: number): { input: string[]; select: string } {
  const time = timestamps[index] as number;
  const previous = index > 0 ? (timestamps[index - 1] as number) : time - 1;
  const threshold = (previous + time) / 2;
  const seek = Math.max(0, threshold - probe.startSeconds - SEEK_MARGIN_SECONDS);
  const canSeek = INDEXED_CONTAINERS.test(probe.container) && seek > 0;
  return {
    input: [...(canSeek ? ['-ss', seek.toFixed(6)] : []), '-copyts', '-i', path],
    select: `select=gte(t\\,${threshold.toFixed(6)})`,
  };
}
