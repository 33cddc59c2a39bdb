// What a clip is, from ffprobe: duration, frame rates, exact frame count, size after rotation,
// codec, variable frame rate, audio. A bad file is an answer (`{ ok: false, reason }`), not a
// throw: a batch of thousands of clips reports each bad one and carries on.
import { stat } from 'node:fs/promises';
import { array, boolean, enum as zodEnum, literal, looseObject, number, object, record, string, union, type infer as Infer } from 'zod';
import { notRegularReason } from './confine';
import { resolveFfmpeg } from './ffmpeg';
import { mediaLimiter } from './pool';
import { isAbortError, errorSummary, ProcessTimeoutError, runProcess, throwIfAborted } from './process';

export const ClipProbe = object({
  /** ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string(),
  durationSeconds: number().nonnegative(),
  /** Presentation time of the first frame, seconds (non-zero in MPEG-TS, for example). */
  startSeconds: number(),
  /** avg_frame_rate: frames / duration. */
  averageFrameRate: number().nonnegative(),
  /** r_frame_rate: the lowest rate that represents every timestamp exactly. */
  realFrameRate: number().nonnegative(),
  frameCount: number().int().nonnegative(),
  /** header: the container's count (nb_frames); packets: counted; duration: estimated from duration × rate. */
  frameCountMethod: zodEnum(['header', 'packets', 'duration']),
  width: number().int().positive(),
  height: number().int().positive(),
  /** The size a player shows: width and height swapped for a 90° or 270° rotation. */
  displayWidth: number().int().positive(),
  displayHeight: number().int().positive(),
  /** Degrees counter-clockwise, as the display matrix says (ffprobe's "rotation"), 0/90/180/270. */
  rotation: union([literal(0), literal(90), literal(180), literal(270)]),
  codec: string(),
  pixelFormat: string().nullable(),
  sampleAspectRatio: string().nullable(),
  isVariableFrameRate: boolean(),
  /** timestamps: packet times were compared (short clips); frame rates: r vs avg only. */
  variableFrameRateEvidence: zodEnum(['timestamps', 'frame rates']),
  hasAudio: boolean(),
  /** Bits per second of the whole file, when known. */
  bitRate: number().nonnegative().nullable(),
  fileSize: number().int().nonnegative(),
  ffprobeVersion: string(),
});
export type ClipProbe = Infer<typeof ClipProbe>;

export type ProbeFailureKind = 'missing' | 'error';
export type ProbeResult =
  /** `timestamps`: the packet times, when the probe scanned them (short clips), for callers that need them next. */
  | { ok: true; probe: ClipProbe; timestamps?: number[] }
  | { ok: false; kind: ProbeFailureKind; reason: string };

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Per ffprobe run; default 20 s. */
  timeoutMs?: number;
  /**
   * Size, rotation, rates and duration only, from one ffprobe run: no packet scan, so the frame
   * count is the header's (or duration × rate) and VFR and truncation go undetected. For
   * decoding at a fixed rate (the analyzer), which needs only the picture size; the packet scan
   * was half of a short clip's probe time.
   */
  isQuick?: boolean;
}

// ffprobe's JSON, only the fields used, everything optional: files lie about everything.
const numeric = union([string(), number()]).optional();
const FfprobeStream = looseObject({
  codec_type: string().optional(),
  codec_name: string().optional(),
  width: number().optional(),
  height: number().optional(),
  pix_fmt: string().optional(),
  sample_aspect_ratio: string().optional(),
  r_frame_rate: string().optional(),
  avg_frame_rate: string().optional(),
  nb_frames: numeric,
  nb_read_packets: numeric,
  duration: numeric,
  start_time: numeric,
  bit_rate: numeric,
  disposition: looseObject({ attached_pic: number().optional() }).optional(),
  tags: record(string(), string()).optional(),
  side_data_list: array(looseObject({ side_data_type: string().optional(), rotation: number().optional() })).optional(),
});
const FfprobeOutput = looseObject({
  streams: array(FfprobeStream).optional(),
  format: looseObject({ format_name: string().optional(), duration: numeric, start_time: numeric, bit_rate: numeric, probe_score: number().optional() }).optional(),
});
const FfprobePackets = looseObject({
  packets: array(looseObject({ pts_time: numeric, dts_time: numeric, flags: string().optional(), pos: numeric, size: numeric })).optional(),
});
type FfprobeStream = Infer<typeof FfprobeStream>;

const DEFAULT_TIMEOUT_MS = 20_000;
// Reading every packet's timestamp costs ~1 ms per 100 packets: worth it for the clips this
// studio is about (seconds long), not for an hour of footage.
const PACKET_SCAN_MAX_SECONDS = 120;
// Still-image "containers": ffprobe reads a PNG as a one-frame video.
const STILL_IMAGE_FORMATS = /^(image2|\w+_pipe)$/;
// Text "video": ffmpeg renders any text file (.txt, .nfo, .diz) as ANSI art.
const TEXT_FORMATS = /^(tty|bin|xbin|adf|idf)$/;

function toNumber(value: string | number | undefined): number | null {
  if (value === undefined || value === 'N/A') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

function parseRate(text: string | undefined): number {
  if (!text) return 0;
  const [numerator, denominator] = text.split('/').map(Number);
  if (numerator === undefined || !Number.isFinite(numerator)) return 0;
  if (denominator === undefined) return numerator;
  return denominator > 0 && Number.isFinite(denominator) ? numerator / denominator : 0;
}

function normaliseRotation(degrees: number): ClipProbe['rotation'] {
  const quarter = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return quarter as ClipProbe['rotation'];
}

function rotationOf(stream: FfprobeStream): ClipProbe['rotation'] {
  const matrix = stream.side_data_list?.find((entry) => entry.rotation !== undefined);
  if (matrix?.rotation !== undefined) return normaliseRotation(matrix.rotation);
  // Before ffmpeg 5 the rotation was a `rotate` tag, in degrees clockwise.
  const tag = toNumber(stream.tags?.rotate);
  return tag === null ? 0 : normaliseRotation(-tag);
}

/** Presentation timestamps of the first video stream's frames in display order (seconds), from its packets. */
export interface PacketScan {
  timestamps: number[];
  /** Every packet, discarded ones included (they count in the container's nb_frames). */
  packetCount: number;
  /** Bytes the packets claim, past the end of the file: the file was cut short. */
  isTruncated: boolean;
}

async function runFfprobe(args: readonly string[], options: ProbeOptions, timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS) {
  const tools = await resolveFfmpeg();
  return mediaLimiter()(() => runProcess(tools.ffprobe.path, ['-v', 'error', '-hide_banner', ...args], { timeoutMs, signal: options.signal }));
}

/**
 * Every video packet's presentation time, sorted (= frame order), discarded packets (mp4
 * edit lists) left out. Frame index i is shown at `timestamps[i]`.
 */
export async function scanPackets(path: string, fileSize: number, options: ProbeOptions = {}): Promise<PacketScan> {
  const result = await runFfprobe(
    ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,flags,pos,size', '-print_format', 'json', path],
    options,
    options.timeoutMs ?? 60_000,
  );
  if (result.code !== 0) throw new Error(errorSummary(result.stderr, path) || `ffprobe exited with ${result.code ?? result.signal}`);
  const parsed = FfprobePackets.parse(JSON.parse(result.stdout.toString('utf8')));
  const timestamps: number[] = [];
  let end = 0;
  for (const packet of parsed.packets ?? []) {
    const position = toNumber(packet.pos);
    const size = toNumber(packet.size);
    if (position !== null && size !== null) end = Math.max(end, position + size);
    if (packet.flags?.includes('D')) continue;
    const time = toNumber(packet.pts_time) ?? toNumber(packet.dts_time);
    if (time !== null) timestamps.push(time);
  }
  timestamps.sort((a, b) => a - b);
  return { timestamps, packetCount: parsed.packets?.length ?? 0, isTruncated: end > fileSize };
}

/**
 * Frame intervals vary by more than 10% of the typical one (and more than 2 ms, so that
 * millisecond time bases alternating 33/34 ms at 29.97 fps are not flagged).
 */
export function hasVaryingIntervals(timestamps: readonly number[]): boolean {
  const intervals: number[] = [];
  for (let index = 1; index < timestamps.length; index++) intervals.push((timestamps[index] as number) - (timestamps[index - 1] as number));
  if (intervals.length < 2) return false;
  const median = [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length / 2)] as number;
  const tolerance = Math.max(0.1 * median, 0.002);
  return intervals.some((interval) => Math.abs(interval - median) > tolerance);
}

function failure(kind: ProbeFailureKind, reason: string): ProbeResult {
  return { ok: false, kind, reason };
}

async function fileCheck(path: string): Promise<{ size: number } | ProbeResult> {
  try {
    const stats = await stat(path);
    // Never hand ffprobe a FIFO or a device: it would wait on it until the timeout.
    const notRegular = notRegularReason(stats);
    if (notRegular !== null) return failure('error', notRegular);
    if (stats.size === 0) return failure('error', 'is empty (0 bytes)');
    return { size: stats.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return failure('missing', 'file not found');
    if (code === 'EACCES' || code === 'EPERM') return failure('error', 'cannot be read (permission denied)');
    return failure('error', `cannot be read (${(error as Error).message})`);
  }
}

/**
 * Probes one clip. Never throws for a bad file; throws only AbortError on cancellation and
 * InputError when no ffprobe can be found at all (nothing could be probed then).
 */
export async function probeClip(path: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  throwIfAborted(options.signal);
  const checked = await fileCheck(path);
  if ('ok' in checked) return checked;
  const tools = await resolveFfmpeg();
  try {
    return await probeReadableFile(path, checked.size, tools.ffprobe.version, options);
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (error instanceof ProcessTimeoutError) return failure('error', `could not be read in time (${error.message})`);
    return failure('error', `could not be probed: ${(error as Error).message}`);
  }
}

async function probeReadableFile(path: string, fileSize: number, ffprobeVersion: string, options: ProbeOptions): Promise<ProbeResult> {
  // The packet scan starts beside the stream description rather than after it (two ffprobe
  // start-ups overlap: ~65 ms of every full probe) and is called off if the clip turns out
  // long, or not a clip.
  const speculation = new AbortController();
  const scanning = options.isQuick ? null : scanPackets(path, fileSize, { ...options, signal: options.signal ? AbortSignal.any([options.signal, speculation.signal]) : speculation.signal });
  scanning?.catch(() => undefined);
  try {
    return await describeReadableFile(path, fileSize, ffprobeVersion, options, scanning);
  } finally {
    // Called off, and gone (its process reaped) before the probe answers.
    speculation.abort();
    await scanning?.catch(() => undefined);
  }
}

async function describeReadableFile(path: string, fileSize: number, ffprobeVersion: string, options: ProbeOptions, scanning: Promise<PacketScan> | null): Promise<ProbeResult> {
  const result = await runFfprobe(['-print_format', 'json', '-show_format', '-show_streams', path], options);
  if (result.code !== 0) {
    const detail = errorSummary(result.stderr, path);
    const crashed = result.signal !== null ? ` (ffprobe crashed: ${result.signal})` : '';
    return failure('error', `is not a readable video: ${detail || 'ffprobe could not read it'}${crashed}`);
  }
  let output: Infer<typeof FfprobeOutput>;
  try {
    output = FfprobeOutput.parse(JSON.parse(result.stdout.toString('utf8')));
  } catch {
    return failure('error', 'is not a readable video: ffprobe printed no usable description');
  }
  const streams = output.streams ?? [];
  // Cover art in audio files is a one-picture "video" stream: not a video.
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  const hasAudio = streams.some((stream) => stream.codec_type === 'audio');
  const container = output.format?.format_name ?? 'unknown';
  if (!video) return failure('error', hasAudio ? 'has no video stream (audio only)' : 'has no video stream');
  if (TEXT_FORMATS.test(container)) return failure('error', 'is a text file, not a video');
  if (STILL_IMAGE_FORMATS.test(container)) return failure('error', `is a still image (${video.codec_name ?? container}), not a video`);
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (width <= 0 || height <= 0) return failure('error', 'has a video stream without a picture size (damaged header?)');

  const averageFrameRate = parseRate(video.avg_frame_rate);
  const realFrameRate = parseRate(video.r_frame_rate);
  let durationSeconds = toNumber(output.format?.duration) ?? toNumber(video.duration);
  const startSeconds = toNumber(video.start_time) ?? toNumber(output.format?.start_time) ?? 0;

  let frameCount = toNumber(video.nb_frames);
  let frameCountMethod: ClipProbe['frameCountMethod'] = 'header';
  let timestamps: number[] | null = null;
  const isShort = durationSeconds === null || durationSeconds <= PACKET_SCAN_MAX_SECONDS;
  if (options.isQuick) {
    if (frameCount === null || frameCount <= 0) {
      frameCount = Math.round((durationSeconds ?? 0) * (averageFrameRate || realFrameRate));
      frameCountMethod = 'duration';
    }
  } else if (isShort && scanning !== null) {
    const scan = await scanning;
    if (scan.isTruncated) return failure('error', 'is truncated: its index points past the end of the file');
    const listed = toNumber(video.nb_frames);
    if (listed !== null && listed > scan.packetCount) {
      return failure('error', `is truncated or damaged: its header lists ${listed} frames but only ${scan.packetCount} can be read`);
    }
    timestamps = scan.timestamps;
    // Discarded packets are not frames: the packet count is the frame count a decoder gives.
    frameCount = timestamps.length;
    frameCountMethod = 'packets';
  } else if (frameCount === null || frameCount <= 0) {
    const counted = await runFfprobe(['-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-print_format', 'json', path], options, options.timeoutMs ?? 60_000);
    const parsed = counted.code === 0 ? FfprobeOutput.safeParse(JSON.parse(counted.stdout.toString('utf8'))) : null;
    const packets = parsed?.success ? toNumber(parsed.data.streams?.[0]?.nb_read_packets) : null;
    if (packets !== null && packets > 0) {
      frameCount = packets;
      frameCountMethod = 'packets';
    } else {
      frameCount = Math.round((durationSeconds ?? 0) * (averageFrameRate || realFrameRate));
      frameCountMethod = 'duration';
    }
  }
  if (frameCount === null || frameCount <= 0) return failure('error', 'has a video stream with no frames');
  if (durationSeconds === null || durationSeconds <= 0) {
    if (timestamps === null || timestamps.length < 2) return failure('error', 'has no known duration');
    const last = timestamps.at(-1) as number;
    const first = timestamps[0] as number;
    durationSeconds = ((last - first) * timestamps.length) / (timestamps.length - 1);
  }

  const rotation = rotationOf(video);
  const isQuarterTurn = rotation === 90 || rotation === 270;
  const ratesDiffer = averageFrameRate > 0 && realFrameRate > 0 && Math.abs(averageFrameRate - realFrameRate) / realFrameRate > 0.01;
  const probe: ClipProbe = {
    container,
    durationSeconds,
    startSeconds,
    averageFrameRate,
    realFrameRate,
    frameCount,
    frameCountMethod,
    width,
    height,
    displayWidth: isQuarterTurn ? height : width,
    displayHeight: isQuarterTurn ? width : height,
    rotation,
    codec: video.codec_name ?? 'unknown',
    pixelFormat: video.pix_fmt ?? null,
    sampleAspectRatio: video.sample_aspect_ratio ?? null,
    // Timestamps are the evidence when we have them: r/avg also differ for a constant-rate
    // clip whose container rounds its duration.
    isVariableFrameRate: timestamps !== null ? hasVaryingIntervals(timestamps) : ratesDiffer,
    variableFrameRateEvidence: timestamps !== null ? 'timestamps' : 'frame rates',
    hasAudio,
    bitRate: toNumber(output.format?.bit_rate) ?? toNumber(video.bit_rate),
    fileSize,
    ffprobeVersion,
  };
  return { ok: true, probe: ClipProbe.parse(probe), ...(timestamps !== null ? { timestamps } : {}) };
}

/** A probe stored earlier (db `clips.probe`), or null when it is absent or from an older shape. */
export function parseStoredProbe(json: string | null): ClipProbe | null {
  if (json === null) return null;
  try {
    const parsed = ClipProbe.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
