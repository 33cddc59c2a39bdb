// Grayscale frames at a fixed rate, for the motion analyzer: decoded straight into memory
// through a pipe (no temporary files), one byte per pixel.
import { InputError } from '../../common/errors';
import { checkFfmpeg, outputSize, requireProbe, runFfmpeg, scaleFilter, wholeClipTimeoutMs } from './decode';
import type { ClipProbe } from './probe';

export interface GrayFramesRequest {
  /**
   * Frames per second to sample at. Frame k is the frame on screen at k / fps seconds (the
   * last one shown at or before it: ffmpeg's fps filter with round=up), so its timestamp is
   * exact whatever the clip's own rate.
   */
  fps: number;
  /** Output width; the height follows the display aspect ratio. Default: the display width. */
  width?: number;
  signal?: AbortSignal;
  /** Already known probe of the clip (saves an ffprobe run). */
  probe?: ClipProbe;
  /** Stop after this many frames (the analyzer may only need the start). */
  maxFrames?: number;
  timeoutMs?: number;
}

export interface GrayFrames {
  width: number;
  height: number;
  fps: number;
  /** One Uint8Array of width × height bytes per frame, rows top to bottom. */
  frames: Uint8Array[];
  /** Seconds from the first frame: frame k is at k / fps. */
  timestamps: number[];
}

export interface GrayFrameStream {
  width: number;
  height: number;
  /**
   * Decodes, calling `onFrame` for each frame in order as ffmpeg produces it (so a caller can
   * work on frame k while ffmpeg decodes frame k + 1 on another core); resolves with the frame
   * count once ffmpeg has finished. An exception from `onFrame` stops ffmpeg and rejects.
   */
  run(onFrame: (frame: Uint8Array) => void): Promise<number>;
}

/** Probes the clip unless the request brings its probe (for the output size); returns a stream ready to run. */
export async function openGrayFrameStream(path: string, request: GrayFramesRequest): Promise<GrayFrameStream> {
  if (!(request.fps > 0 && request.fps <= 240)) throw new InputError([{ file: 'request', field: 'fps', reason: `must be above 0 and at most 240, got ${request.fps}` }]);
  // Only the picture size and duration matter here: the quick probe (one ffprobe run).
  const probe = request.probe ?? (await requireProbe(path, request.signal, { isQuick: true }));
  const size = outputSize(probe, request.width === undefined ? {} : { width: request.width });
  const frameBytes = size.width * size.height;
  const limit = request.maxFrames !== undefined ? ['-frames:v', String(request.maxFrames)] : [];
  return {
    ...size,
    async run(onFrame: (frame: Uint8Array) => void): Promise<number> {
      // Chunks from the pipe do not line up with frames: fill one frame buffer at a time.
      let current = new Uint8Array(frameBytes);
      let filled = 0;
      let count = 0;
      const onStdout = (chunk: Buffer): void => {
        let offset = 0;
        while (offset < chunk.length) {
          const take = Math.min(frameBytes - filled, chunk.length - offset);
          current.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === frameBytes) {
            const frame = current;
            current = new Uint8Array(frameBytes);
            filled = 0;
            count += 1;
            onFrame(frame);
          }
        }
      };
      const result = await runFfmpeg(
        ['-i', path, '-map', '0:v:0', '-vf', `fps=${request.fps}:round=up,${scaleFilter(size)}`, ...limit, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
        { timeoutMs: request.timeoutMs ?? wholeClipTimeoutMs(probe), signal: request.signal, onStdout },
      );
      checkFfmpeg(result, path, 'decoding grayscale frames');
      if (filled !== 0) throw new InputError([{ file: path, reason: 'decoding grayscale frames ended in the middle of a frame' }]);
      return count;
    },
  };
}

/** Every frame in memory at once (tests, the benchmark); the analyzer streams them instead. */
export async function readGrayFrames(path: string, request: GrayFramesRequest): Promise<GrayFrames> {
  const stream = await openGrayFrameStream(path, request);
  const frames: Uint8Array[] = [];
  await stream.run((frame) => frames.push(frame));
  return { width: stream.width, height: stream.height, fps: request.fps, frames, timestamps: frames.map((_, index) => index / request.fps) };
}
