// Grayscale frames handed over one at a time as ffmpeg decodes them, so that the analyzer
// tracks frame k while ffmpeg decodes frame k + 1 on another core: the clip costs about the
// longer of decoding and tracking instead of their sum. Same ffmpeg command, hence the same
// frames, as backend/media's readGrayFrames (which hands them over only at the end).
import { InputError } from '../../../common/errors';
import { checkFfmpeg, outputSize, requireProbe, runFfmpeg, scaleFilter, wholeClipTimeoutMs } from '../../media/decode';
import type { ClipProbe } from '../../media/probe';

export interface FrameStreamRequest {
  fps: number;
  width?: number;
  signal?: AbortSignal;
  /** Already known probe of the clip: saves an ffprobe run (~135 ms, a fifth of a short clip's cost). */
  probe?: ClipProbe;
}

export interface FrameStream {
  width: number;
  height: number;
  /**
   * Decodes, calling `onFrame` for each frame in order; resolves with the frame count once
   * ffmpeg has finished. An exception from `onFrame` stops ffmpeg and rejects.
   */
  run(onFrame: (frame: Uint8Array) => void): Promise<number>;
}

/** Probes the clip unless the request brings its probe (for the output size) and returns a stream ready to run. */
export async function openFrameStream(path: string, request: FrameStreamRequest): Promise<FrameStream> {
  if (!(request.fps > 0 && request.fps <= 240)) throw new InputError([{ file: 'request', field: 'fps', reason: `must be above 0 and at most 240, got ${request.fps}` }]);
  const probe = request.probe ?? (await requireProbe(path, request.signal));
  const size = outputSize(probe, request.width === undefined ? {} : { width: request.width });
  const frameBytes = size.width * size.height;
  return {
    ...size,
    async run(onFrame: (frame: Uint8Array) => void): Promise<number> {
      let current = new Uint8Array(frameBytes);
      let filled = 0;
      let count = 0;
      // Chunks from the pipe do not line up with frames: fill one frame buffer at a time.
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
        ['-i', path, '-map', '0:v:0', '-vf', `fps=${request.fps}:round=up,${scaleFilter(size)}`, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
        { timeoutMs: wholeClipTimeoutMs(probe), signal: request.signal, onStdout },
      );
      checkFfmpeg(result, path, 'decoding grayscale frames');
      if (filled !== 0) throw new InputError([{ file: path, reason: 'decoding grayscale frames ended in the middle of a frame' }]);
      return count;
    },
  };
}
