import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../media/ffmpeg';
import { buildCamReasonerRequest, camReasonerPrompt, promptFor, qwenSmartResize } from './camReasonerRequest';

const DATA = join(import.meta.dirname, '../../../shared/data/camreasoner');

interface PromptsJson {
  question_template: string;
  type_template: Record<string, string>;
}
interface Record_ {
  problem: string;
  options: string[];
  problem_type: string;
}

// The prompt as eval_bench.py renders it, straight from prompts.json's strings (Python's
// str.format with one field is a plain substitution).
function referencePrompt(prompts: PromptsJson, record: Record_): string {
  const question = `${record.problem}\nOptions:\n${record.options.join('\n')}`;
  return prompts.question_template.replace('{Question}', question) + (prompts.type_template[record.problem_type] as string);
}

describe('camReasonerPrompt', () => {
  const prompts = JSON.parse(readFileSync(join(DATA, 'prompts.json'), 'utf8')) as PromptsJson;

  it('matches prompts.json byte for byte for real binary and VQA records', () => {
    const binary = JSON.parse(readFileSync(join(DATA, 'camerabench_binary.json'), 'utf8')) as Record_[];
    const vqa = JSON.parse(readFileSync(join(DATA, 'eval_camerabench_OTA_outputs_138.json'), 'utf8')) as Record_[];
    for (const record of [binary[0], binary[binary.length - 1], vqa[0]] as Record_[]) {
      const ours = camReasonerPrompt({ problem: record.problem, options: record.options, problemType: record.problem_type });
      expect(Buffer.from(ours, 'utf8').equals(Buffer.from(referencePrompt(prompts, record), 'utf8'))).toBe(true);
    }
  });

  it('keeps the missing space between the two templates', () => {
    const prompt = camReasonerPrompt({ problem: 'Does the camera pan left?', options: ['A. No', 'B. Yes'] });
    expect(prompt).toContain('Follow the format specified in the instructions.Please provide only the single option letter');
    expect(prompt.startsWith('Does the camera pan left?\nOptions:\nA. No\nB. Yes\n\nPlease carefully')).toBe(true);
    expect(prompt.endsWith('tags.\nExample:\n<answer>A</answer>')).toBe(true);
  });

  it('refuses problem types without a transcribed template', () => {
    expect(() => camReasonerPrompt({ problem: 'x', options: [], problemType: 'free-form' })).toThrow(/multiple choice/);
  });
});

describe('promptFor', () => {
  it("asks a multiple-choice question with CamReasoner's prompt and a caption with CameraBench's: the question alone", () => {
    const question = { problem: 'Does the camera pan left?', options: ['A. No', 'B. Yes'], problemType: 'multiple choice' };
    expect(promptFor(question)).toBe(camReasonerPrompt(question));
    expect(promptFor({ problem: 'Does the camera pan left?', options: ['A. No', 'B. Yes'] })).toBe(camReasonerPrompt(question));
    // caption_generation.py passes the record's question to generate() unchanged (t2v_metrics @ 6ecb74f).
    const caption = { problem: 'Describe the camera movement in this video.', options: [], problemType: 'free-form' };
    expect(promptFor(caption)).toBe('Describe the camera movement in this video.');
    expect(() => promptFor({ problem: 'x', options: [], problemType: 'numerical' })).toThrow(/multiple choice/);
  });
});

describe('qwenSmartResize', () => {
  it('follows qwen_vl_utils: multiples of 28 within max_pixels', () => {
    // smart_resize(1080, 1920, max_pixels=1048576) in Python gives (756, 1344).
    expect(qwenSmartResize({ width: 1920, height: 1080 }, 1_048_576)).toEqual({ width: 1344, height: 756 });
    // Under the cap: only rounded to the nearest multiple (Python round: 480/28 = 17.14 → 17).
    expect(qwenSmartResize({ width: 480, height: 272 }, 1_048_576)).toEqual({ width: 476, height: 280 });
    // Below min_pixels (3136): scaled up.
    expect(qwenSmartResize({ width: 32, height: 24 }, 1_048_576)).toEqual({ width: 84, height: 56 });
  });
});

describe('buildCamReasonerRequest', () => {
  let folder = '';
  let five = '';
  let long = '';
  let large = '';
  const sample = { problem: 'Does the camera pan right?', options: ['A. No', 'B. Yes'] };

  beforeAll(async () => {
    const { ffmpeg } = await resolveFfmpeg();
    folder = mkdtempSync(join(tmpdir(), 'frustum-camreasoner-test-'));
    const render = (source: string, name: string): string => {
      const path = join(folder, name);
      execFileSync(ffmpeg.path, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path]);
      return path;
    };
    five = render('testsrc2=s=320x180:r=25:d=5', 'five.mp4');
    long = render('testsrc2=s=64x48:r=5:d=70', 'long.mp4');
    large = render('testsrc2=s=1920x1080:r=4:d=2', 'large.mp4');
  }, 60_000);
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('sends one JPEG per second of a 5-second clip, then the prompt', async () => {
    const request = await buildCamReasonerRequest(five, sample);
    expect(request.frames.map((frame) => frame.timestamp)).toEqual([0, 1, 2, 3, 4]);
    const [message] = request.messages;
    expect(request.messages).toHaveLength(1);
    expect(message?.role).toBe('user');
    const parts = message?.content as { type: string; image_url?: { url: string }; text?: string }[];
    expect(parts).toHaveLength(6);
    for (const part of parts.slice(0, 5)) {
      expect(part.type).toBe('image_url');
      expect(part.image_url?.url.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
    }
    expect(parts[5]).toEqual({ type: 'text', text: camReasonerPrompt(sample) });
    // 320×180 rounds to 308×168 (Python round of 11.43 and 6.43).
    expect(request.frames[0]).toMatchObject({ width: 308, height: 168 });
    expect(request.settings).toEqual({ mode: 'frames', sampling: 'first', fps: 1, maxFrames: 64, maxPixels: 1_048_576, jpegQuality: 2 });
  });

  it('keeps only the first 64 frames of a long clip', async () => {
    const request = await buildCamReasonerRequest(long, sample);
    expect(request.frames).toHaveLength(64);
    expect(request.frames[63]?.timestamp).toBe(63);
  });

  it('spreads the frames over the whole clip when sampling uniformly', async () => {
    const request = await buildCamReasonerRequest(long, sample, { sampling: 'uniform', maxFrames: 7 });
    // 70 s in 7 frames: one every 10 s, from the first.
    expect(request.frames.map((frame) => frame.timestamp)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(request.settings).toMatchObject({ sampling: 'uniform', maxFrames: 7 });
  });

  it('sends the frames as one data:video/jpeg part in video_frames mode', async () => {
    const request = await buildCamReasonerRequest(five, sample, { mode: 'video_frames' });
    const parts = request.messages[0]?.content as { type: string; video_url?: { url: string } }[];
    expect(parts.map((part) => part.type)).toEqual(['video_url', 'text']);
    const url = parts[0]?.video_url?.url ?? '';
    expect(url.startsWith('data:video/jpeg;base64,')).toBe(true);
    // One base64 JPEG per frame, comma-separated, as vLLM's video loader splits them.
    const jpegs = url.slice('data:video/jpeg;base64,'.length).split(',');
    expect(jpegs).toHaveLength(5);
    for (const jpeg of jpegs) expect(Buffer.from(jpeg, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(request.frames).toHaveLength(5);
  });

  it('respects the pixel cap on every frame', async () => {
    const request = await buildCamReasonerRequest(large, sample);
    expect(request.frames).toHaveLength(2);
    for (const frame of request.frames) {
      expect(frame.width * frame.height).toBeLessThanOrEqual(1_048_576);
      expect([frame.width % 28, frame.height % 28]).toEqual([0, 0]);
      expect(frame).toMatchObject({ width: 1344, height: 756 });
    }
    const small = await buildCamReasonerRequest(large, sample, { maxPixels: 100_000, maxFrames: 1 });
    expect(small.frames).toHaveLength(1);
    expect((small.frames[0]?.width ?? 0) * (small.frames[0]?.height ?? 0)).toBeLessThanOrEqual(100_000);
  });

  it('sends the whole file as a video_url part in that mode', async () => {
    const request = await buildCamReasonerRequest(five, sample, { mode: 'video_url' });
    const parts = request.messages[0]?.content as { type: string; video_url?: { url: string } }[];
    expect(parts.map((part) => part.type)).toEqual(['video_url', 'text']);
    expect(parts[0]?.video_url?.url).toBe(`data:video/mp4;base64,${readFileSync(five).toString('base64')}`);
    expect(request.frames).toEqual([]);
  });

  it('refuses what is not a file', async () => {
    await expect(buildCamReasonerRequest(join(folder, 'missing.mp4'), sample)).rejects.toThrow(/not found/);
    await expect(buildCamReasonerRequest(folder, sample)).rejects.toThrow(/directory/);
  });
});
