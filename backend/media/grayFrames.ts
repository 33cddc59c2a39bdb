// Grayscale frames at a fixed rate, for the motion analyzer: decoded straight into memory
// through a pipe (no temporary files), one byte per pixel.
import { InputError } from '../../common/errors';
import { regularFileSize } from './confine';
import { checkFfmpeg, checkSide, outputSize, runFfmpeg, scaleFilter, wholeClipTimeoutMs, type Size } from './decode';
import { probeClip, type ClipProbe } from './probe';

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

/**
 * Starts ffmpeg and resolves once the picture size is known. ffmpeg writes YUV4MPEG (a header
 * with the size, then "FRAME" and the gray plane per frame), so decoding need not wait for an
 * ffprobe run (~80 ms of a 5-second clip's analysis); the size follows the picture's aspect
 * ratio exactly as outputSize rounds it. Frames decoded before `run` is called wait in memory.
 * A file that is not a clip fails with the probe's reason ("audio only", "a text file"…).
 */
export async function openGrayFrameStream(path: string, request: GrayFramesRequest): Promise<GrayFrameStream> {
  if (!(request.fps > 0 && request.fps <= 240)) throw new InputError([{ file: 'request', field: 'fps', reason: `must be above 0 and at most 240, got ${request.fps}` }]);
  const { probe } = request;
  let scale: string[];
  if (probe !== undefined) scale = [scaleFilter(outputSize(probe, request.width === undefined ? {} : { width: request.width }))];
  else if (request.width !== undefined) {
    // outputSize's even(width / aspect) as an ffmpeg expression (ffmpeg has rotated the picture already).
    checkSide(request.width, 'width');
    scale = [`scale=${request.width}:max(2\\,2*round(${request.width}*ih/iw/2)):flags=bicubic`];
  } else scale = [];
  const limit = request.maxFrames !== undefined ? ['-frames:v', String(request.maxFrames)] : [];
  const fileBytes = await regularFileSize(path);
  const parser = new Y4mParser(path);
  let deliver: ((frame: Uint8Array) => void) | null = null;
  const waiting: Uint8Array[] = [];
  let count = 0;
  // What the caller's onFrame threw while frames waiting from before `run` were handed over.
  let failure: { error: unknown } | null = null;
  parser.onFrame = (frame) => {
    if (failure !== null) throw failure.error;
    count += 1;
    if (deliver !== null) deliver(frame);
    else waiting.push(frame);
  };
  const header = new Promise<Size>((resolve) => {
    parser.onHeader = resolve;
  });
  // Without a probe, one runs beside ffmpeg rather than before it: ffmpeg decodes what is not a
  // clip too (a text file renders as a picture of its characters), and the probe's verdict
  // names the reason when ffmpeg fails.
  const verdict = probe === undefined ? probeClip(path, { signal: request.signal, isQuick: true }) : null;
  verdict?.catch(() => undefined);
  const decoding = runFfmpeg(
    ['-i', path, '-map', '0:v:0', '-vf', [`fps=${request.fps}:round=up`, ...scale].join(','), ...limit, '-pix_fmt', 'gray', '-f', 'yuv4mpegpipe', 'pipe:1'],
    // Without a probe there is no duration: the deadline scales with the file's size instead.
    { timeoutMs: request.timeoutMs ?? (probe !== undefined ? wholeClipTimeoutMs(probe) : 60_000 + (fileBytes / 1e6) * 5_000), signal: request.signal, onStdout: (chunk) => parser.push(chunk) },
  ).then(async (result) => {
    const probed = await verdict;
    if (probed?.ok === false) throw new InputError([{ file: path, reason: probed.reason }]);
    checkFfmpeg(result, path, 'decoding grayscale frames');
    parser.finish();
    return count;
  });
  decoding.catch(() => undefined);
  const size = await Promise.race([header, decoding.then(() => null)]);
  if (size === null) throw new InputError([{ file: path, reason: 'decoding grayscale frames gave no picture' }]);
  return {
    ...size,
    run(onFrame: (frame: Uint8Array) => void): Promise<number> {
      if (deliver !== null) throw new Error('a gray frame stream runs once');
      deliver = onFrame;
      try {
        for (const frame of waiting.splice(0)) onFrame(frame);
      } catch (error) {
        // ffmpeg is stopped at its next output (parser.onFrame above), if it is still running.
        failure = { error };
      }
      return decoding.then((frames) => {
        if (failure !== null) throw failure.error;
        return frames;
      });
    },
  };
}

/**
 * YUV4MPEG with one gray plane ("Cmono"), parsed as chunks arrive (pipe chunks do not line up
 * with frames). Hand-written: the format is two text lines around raw planes, and no npm
 * package reads a stream of it.
 */
class Y4mParser {
  onHeader: (size: Size) => void = () => undefined;
  onFrame: (frame: Uint8Array) => void = () => undefined;
  private size: Size | null = null;
  private text = '';
  private frame: Uint8Array | null = null;
  private filled = 0;

  constructor(private readonly path: string) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.frame !== null) {
        const take = Math.min(this.frame.length - this.filled, chunk.length - offset);
        this.frame.set(chunk.subarray(offset, offset + take), this.filled);
        this.filled += take;
        offset += take;
        if (this.filled === this.frame.length) {
          const done = this.frame;
          this.frame = null;
          this.onFrame(done);
        }
        continue;
      }
      // A header line: the stream header first, then "FRAME" before each frame.
      const end = chunk.indexOf(0x0a, offset);
      if (end === -1) {
        this.text += chunk.toString('latin1', offset);
        if (this.text.length > 4096) this.fail('its YUV4MPEG header line never ends');
        return;
      }
      const line = this.text + chunk.toString('latin1', offset, end);
      this.text = '';
      offset = end + 1;
      this.line(line);
    }
  }

  finish(): void {
    if (this.frame !== null || this.text.length > 0) this.fail('decoding grayscale frames ended in the middle of a frame');
    if (this.size === null) this.fail('decoding grayscale frames gave no picture');
  }

  private line(line: string): void {
    if (this.size === null) {
      const fields = line.split(' ');
      if (fields[0] !== 'YUV4MPEG2') this.fail('ffmpeg did not write YUV4MPEG');
      const value = (tag: string) => fields.find((field) => field.startsWith(tag))?.slice(1);
      const width = Number(value('W'));
      const height = Number(value('H'));
      if (value('C') !== 'mono' || !(width > 0) || !(height > 0)) this.fail(`unexpected YUV4MPEG header "${line.slice(0, 80)}"`);
      this.size = { width, height };
      this.onHeader(this.size);
      return;
    }
    if (!line.startsWith('FRAME')) this.fail('a YUV4MPEG frame does not start with FRAME');
    this.frame = new Uint8Array(this.size.width * this.size.height);
    this.filled = 0;
  }

  private fail(reason: string): never {
    throw new InputError([{ file: this.path, reason }]);
  }
}

/** Every frame in memory at once (tests, the benchmark); the analyzer streams them instead. */
export async function readGrayFrames(path: string, request: GrayFramesRequest): Promise<GrayFrames> {
  const stream = await openGrayFrameStream(path, request);
  const frames: Uint8Array[] = [];
  await stream.run((frame) => frames.push(frame));
  return { width: stream.width, height: stream.height, fps: request.fps, frames, timestamps: frames.map((_, index) => index / request.fps) };
}
