// The chat request CamReasoner's evaluation (Inference/infer/eval_bench.py, evaluation.md §4)
// sends for one sample, rebuilt for an OpenAI-compatible server: one user message, the frames
// first and the prompt last, no system message. Frames are one per second, the first 64 (the
// first 64 seconds, not a uniform sample), each resized as qwen_vl_utils' fetch_image would with max_pixels 1,048,576. Resizing here,
// to a size whose sides are multiples of 28, means the server's own resize of the image is the
// identity, so the model sees the reference's pixels (up to JPEG's loss: the reference hands
// PNGs to the processor; base64 PNGs of 64 frames would be several times larger). A free-form
// sample (a CameraBench caption) is asked the same way, its text being the question alone
// (promptFor).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { InputError } from '../../common/errors';
import { evalPrompt } from '../../common/formats/prompts';
import { regularFileSize } from '../media/confine';
import { checkFfmpeg, requireProbe, runFfmpeg, wholeClipTimeoutMs, type Size } from '../media/decode';
import type { ClipProbe } from '../media/probe';
import type { ChatContentPart, ChatMessage } from './openaiClient';

/** One question as CamReasoner's records hold it (camerabench_binary.json and the VQA set). */
export interface CamReasonerSample {
  problem: string;
  /** "A. No", "B. Yes"…; joined under "Options:" as eval_bench.py does. */
  options: readonly string[];
  /**
   * "multiple choice" (the default; the one TYPE_TEMPLATE entry prompts.json transcribes), or
   * "free-form" for a caption (promptFor asks the question as CameraBench's generator does).
   */
  problemType?: string;
}

export interface CamReasonerRequestOptions {
  /** Frames per second (eval_bench.py: 1, fixed; its --fps argument is never used). */
  fps?: number;
  /** The first this many frames are kept (infer.sh MAX_FRAMES=64). */
  maxFrames?: number;
  /** Per frame (eval_bench.py max_pixels_image: 1024×32×32 = 1,048,576). */
  maxPixels?: number;
  /**
   * 'frames' (the reference): one image part per frame. 'video_frames': the same JPEGs as one
   * `data:video/jpeg;base64,…,…` video part (vLLM's video loader reads such a URL as one
   * comma-separated JPEG per frame), for servers that cap images per prompt. 'video_url': the
   * whole file as one data: URL and the server samples it (vLLM: 32 frames uniformly by default,
   * which is not what CamReasoner was evaluated with).
   */
  mode?: 'frames' | 'video_frames' | 'video_url';
  /**
   * 'first' (the reference): `fps` frames a second, the first `maxFrames` of them. 'uniform':
   * `maxFrames` frames spread evenly over the whole clip (fewer when the clip has fewer).
   */
  sampling?: 'first' | 'uniform';
  /** ffmpeg's -q:v for the JPEG frames, 2 (best) to 31. */
  jpegQuality?: number;
  /** Refuse files above this size in 'video_url' mode: the whole file travels base64 in the body. */
  maxVideoBytes?: number;
  signal?: AbortSignal;
  /** Already known probe of the clip (saves an ffprobe run). */
  probe?: ClipProbe;
  /** Frames extracted before with these settings (a clip asked several questions is extracted once). */
  extracted?: ExtractedFrames;
  timeoutMs?: number;
}

/** A frame the model received: when it is in the clip and the size it was sent at. */
export interface SentFrame {
  /** Seconds from the clip's first frame: frame k is the one on screen at k / fps. */
  timestamp: number;
  width: number;
  height: number;
  /** JPEG bytes. */
  bytes: number;
}

export interface CamReasonerRequest {
  messages: ChatMessage[];
  /** The text part, exactly. */
  prompt: string;
  /** Empty in 'video_url' mode: the server chooses the frames. */
  frames: SentFrame[];
  /** The settings the request was built with, to be stored with a run's predictions. */
  settings: { mode: 'frames' | 'video_frames' | 'video_url'; sampling: 'first' | 'uniform'; fps: number; maxFrames: number; maxPixels: number; jpegQuality: number };
}

export const CAMREASONER_DEFAULTS = { fps: 1, maxFrames: 64, maxPixels: 1_048_576, jpegQuality: 2 } as const;

// Qwen2.5-VL: a 14-pixel patch, 2×2 patches merged into one token, so sides are multiples of 28.
const QWEN_FACTOR = 28;
// qwen_vl_utils 0.0.14: IMAGE_MIN_TOKEN_NUM (4) × factor², and the aspect ratio it refuses.
const QWEN_MIN_PIXELS = 4 * QWEN_FACTOR * QWEN_FACTOR;
const QWEN_MAX_RATIO = 200;
const DEFAULT_MAX_VIDEO_BYTES = 256 * 1024 * 1024;

/**
 * The text a sample is asked with: CamReasoner's evaluation prompt for a multiple-choice
 * question; for a free-form one (CameraBench's captions) the question itself, as CameraBench's
 * caption generator asks it (linzhiqiu/t2v_metrics @ 6ecb74f, camerabench/caption_generation.py
 * lines 90-95: `score_model.model.generate(images=[video], texts=[question])`, and the Qwen2-VL
 * and GPT wrappers' `generate` put that text in the one user message unchanged, with no template
 * around it: t2v_metrics/models/vqascore_models/qwen2vl_model.py lines 516-519,
 * gpt4v_model.py lines 241-262).
 */
export function promptFor(sample: CamReasonerSample): string {
  const type = sample.problemType ?? 'multiple choice';
  return type === 'free-form' ? cameraBenchCaptionPrompt(sample) : camReasonerPrompt(sample);
}

/** CameraBench's caption prompt: the record's question, nothing added. */
export function cameraBenchCaptionPrompt(sample: Pick<CamReasonerSample, 'problem'>): string {
  return sample.problem;
}

/** eval_bench.py's prompt: QUESTION_TEMPLATE with the options, then TYPE_TEMPLATE with no space between. */
export function camReasonerPrompt(sample: CamReasonerSample): string {
  const type = sample.problemType ?? 'multiple choice';
  if (type !== 'multiple choice') {
    throw new InputError([{ file: 'sample', field: 'problem_type', reason: `only "multiple choice" has a transcribed CamReasoner prompt, got "${type}"` }]);
  }
  return evalPrompt(sample.problem, sample.options);
}

// Python 3's round(): halves go to the even neighbour (round(38.5) == 38).
function pyRound(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** qwen_vl_utils.smart_resize: sides multiples of `factor`, area within [minPixels, maxPixels], aspect kept. */
export function qwenSmartResize(size: Size, maxPixels: number, minPixels = QWEN_MIN_PIXELS, factor = QWEN_FACTOR): Size {
  const { width, height } = size;
  if (Math.max(width, height) / Math.min(width, height) > QWEN_MAX_RATIO) {
    throw new InputError([{ file: 'frame', reason: `aspect ratio must be under ${QWEN_MAX_RATIO}, got ${width}×${height}` }]);
  }
  let heightBar = Math.max(factor, pyRound(height / factor) * factor);
  let widthBar = Math.max(factor, pyRound(width / factor) * factor);
  if (heightBar * widthBar > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    heightBar = Math.max(factor, Math.floor(height / beta / factor) * factor);
    widthBar = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (heightBar * widthBar < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    heightBar = Math.ceil((height * beta) / factor) * factor;
    widthBar = Math.ceil((width * beta) / factor) * factor;
  }
  return { width: widthBar, height: heightBar };
}

// The size of the PNGs the reference's ffmpeg writes: stored pixels, turned by the rotation
// (ffmpeg autorotates), not stretched by the sample aspect ratio.
function frameSourceSize(probe: ClipProbe): Size {
  const turned = probe.rotation === 90 || probe.rotation === 270;
  return turned ? { width: probe.height, height: probe.width } : { width: probe.width, height: probe.height };
}

function checkOptions(fps: number, maxFrames: number, maxPixels: number, quality: number): void {
  const problems = [];
  if (!(fps > 0 && fps <= 60)) problems.push({ file: 'request', field: 'fps', reason: `must be above 0 and at most 60, got ${fps}` });
  if (!(Number.isInteger(maxFrames) && maxFrames >= 1 && maxFrames <= 4096)) problems.push({ file: 'request', field: 'maxFrames', reason: `must be a whole number from 1 to 4096, got ${maxFrames}` });
  if (!(Number.isInteger(maxPixels) && maxPixels >= QWEN_MIN_PIXELS)) problems.push({ file: 'request', field: 'maxPixels', reason: `must be a whole number of at least ${QWEN_MIN_PIXELS}, got ${maxPixels}` });
  if (!(Number.isInteger(quality) && quality >= 2 && quality <= 31)) problems.push({ file: 'request', field: 'jpegQuality', reason: `must be a whole number from 2 to 31, got ${quality}` });
  if (problems.length > 0) throw new InputError(problems);
}

// JPEG's SOF marker holds the size; reading it back checks what was actually sent.
function jpegSize(data: Buffer): Size | null {
  let offset = 2;
  while (offset + 9 < data.length && data[offset] === 0xff) {
    const marker = data[offset + 1] as number;
    const length = data.readUInt16BE(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

export interface ExtractedFrames {
  frames: SentFrame[];
  /** JPEG bytes, one per frame. */
  images: Buffer[];
}

/** The frames as eval_bench.py's extract_frames_1fps takes them, resized and JPEG-encoded. */
export async function extractCamReasonerFrames(
  path: string,
  options: Pick<CamReasonerRequestOptions, 'fps' | 'sampling' | 'maxFrames' | 'maxPixels' | 'jpegQuality' | 'signal' | 'probe' | 'timeoutMs'> = {},
): Promise<ExtractedFrames> {
  const requestedFps = options.fps ?? CAMREASONER_DEFAULTS.fps;
  const maxFrames = options.maxFrames ?? CAMREASONER_DEFAULTS.maxFrames;
  const maxPixels = options.maxPixels ?? CAMREASONER_DEFAULTS.maxPixels;
  const quality = options.jpegQuality ?? CAMREASONER_DEFAULTS.jpegQuality;
  checkOptions(requestedFps, maxFrames, maxPixels, quality);
  await regularFileSize(path);
  // Size, rotation and duration are all it needs: the quick probe (no packet scan).
  const probe = options.probe ?? (await requireProbe(path, options.signal, { isQuick: true }));
  // Uniform: the rate that puts maxFrames frames in the clip's duration, so frame k is the one on
  // screen at k × duration / maxFrames (a clip with fewer frames gives each of its own).
  const fps = options.sampling === 'uniform' && probe.durationSeconds > 0 ? maxFrames / probe.durationSeconds : requestedFps;
  const size = qwenSmartResize(frameSourceSize(probe), maxPixels);
  const folder = await mkdtemp(join(tmpdir(), 'frustum-camreasoner-'));
  try {
    // The reference runs `ffmpeg -i VIDEO -r 1 frame_%05d.png`, whose frame choice depends on
    // ffmpeg's version: 5.1 writes 7 frames for a 5-second mp4 (input frames 0, 1, 22, 47, …).
    // The fps filter takes the frame on screen at k / fps, as grayFrames and frameCache do, so
    // the frames sent are the ones the analyzer and the Inspect view show at those times.
    // No -map: ffmpeg picks the video stream as it did there. -frames:v stops after the frames
    // that truncation would keep.
    const result = await runFfmpeg(
      ['-i', path, '-an', '-sn', '-vf', `fps=${fps}:round=up,scale=${size.width}:${size.height}:flags=bicubic`, '-frames:v', String(maxFrames), '-q:v', String(quality), '-start_number', '0', join(folder, 'frame_%05d.jpg')],
      { timeoutMs: options.timeoutMs ?? wholeClipTimeoutMs(probe), signal: options.signal },
    );
    checkFfmpeg(result, path, 'Extracting frames');
    const names = (await readdir(folder)).filter((name) => name.endsWith('.jpg')).sort();
    const images = await Promise.all(names.map((name) => readFile(join(folder, name))));
    const frames = images.map((image, index) => {
      const written = jpegSize(image) ?? size;
      return { timestamp: index / fps, width: written.width, height: written.height, bytes: image.length };
    });
    return { frames, images };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const VIDEO_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.mkv': 'video/x-matroska', '.avi': 'video/x-msvideo' };

/** The messages for one sample and the frames they carry; the text is {@link promptFor}'s. */
export async function buildCamReasonerRequest(path: string, sample: CamReasonerSample, options: CamReasonerRequestOptions = {}): Promise<CamReasonerRequest> {
  const mode = options.mode ?? 'frames';
  const prompt = promptFor(sample);
  const settings = {
    mode,
    sampling: options.sampling ?? ('first' as const),
    fps: options.fps ?? CAMREASONER_DEFAULTS.fps,
    maxFrames: options.maxFrames ?? CAMREASONER_DEFAULTS.maxFrames,
    maxPixels: options.maxPixels ?? CAMREASONER_DEFAULTS.maxPixels,
    jpegQuality: options.jpegQuality ?? CAMREASONER_DEFAULTS.jpegQuality,
  };
  const text: ChatContentPart = { type: 'text', text: prompt };
  if (mode === 'video_url') {
    const bytes = await regularFileSize(path);
    const limit = options.maxVideoBytes ?? DEFAULT_MAX_VIDEO_BYTES;
    if (bytes > limit) throw new InputError([{ file: path, reason: `is ${bytes} bytes; a video_url part carries the whole file, at most ${limit}` }]);
    const type = VIDEO_TYPES[extname(path).toLowerCase()] ?? 'video/mp4';
    const url = `data:${type};base64,${(await readFile(path)).toString('base64')}`;
    return { messages: [{ role: 'user', content: [{ type: 'video_url', video_url: { url } }, text] }], prompt, frames: [], settings };
  }
  const { frames, images } = options.extracted ?? (await extractCamReasonerFrames(path, options));
  // eval_bench.py falls back to the whole video when extraction yields nothing; an empty
  // extraction here is a clip ffmpeg could not decode a frame from, which no fallback fixes.
  if (frames.length === 0) throw new InputError([{ file: path, reason: 'no frames could be extracted' }]);
  const parts: ChatContentPart[] = mode === 'video_frames'
    ? [{ type: 'video_url', video_url: { url: `data:video/jpeg;base64,${images.map((image) => image.toString('base64')).join(',')}` } }]
    : images.map((image) => ({ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${image.toString('base64')}` } }));
  return { messages: [{ role: 'user', content: [...parts, text] }], prompt, frames, settings };
}
