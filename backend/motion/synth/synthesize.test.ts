import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRIMITIVES, primitiveFromProblemId } from '../../../common/camerabench/primitives';
import { cameraBenchRecord, evalRecord, rlRecord, sftRecord } from '../../../common/formats/schemas';
import { lintChain } from '../../../common/ota/lint';
import { createProject } from '../../../db/connection';
import { importFiles } from '../../formats/importFiles';
import { resolveFfmpeg } from '../../media/ffmpeg';
import { PROGRAM_KINDS } from './programs';
import { createRenderPool, packCamera, renderFrameHere } from './renderPool';
import { planClip, synthesize } from './synthesize';

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'frustum-synth-'));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const tiny = { width: 96, height: 64, fps: 8, durationSeconds: 1 };

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every file under a folder, relative path → bytes. */
function snapshot(folder: string, skip: RegExp): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(folder, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (!skip.test(path)) files.set(path, readFileSync(join(folder, path), 'latin1'));
    }
  };
  walk('');
  return files;
}

describe('synthesize', () => {
  it('renders and encodes tiny clips with ground truth, labels and records', async () => {
    const out = temporaryFolder();
    const progress: number[] = [];
    const report = await synthesize({ out, count: 3, seed: 4, ...tiny, workers: 2, onProgress: (done) => progress.push(done) });
    expect(report.clips.map((clip) => clip.name)).toEqual(['0000_dolly_in_slow', '0001_dolly_out_medium', '0002_pedestal_up_fast']);
    expect(progress.at(-1)).toBe(24);

    for (const clip of report.clips) {
      const video = join(out, clip.clip);
      // Decode every frame: 8 frames of 96x64 come back.
      const decoded = execFileSync((await resolveFfmpeg()).ffmpeg.path, ['-v', 'error', '-i', video, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
      expect(decoded.length).toBe(8 * 96 * 64 * 3);
      const truth = readJson<{ frames: unknown[]; labels: Record<string, string>; width: number }>(join(out, clip.groundTruth));
      expect(truth.frames).toHaveLength(8);
      expect(truth.width).toBe(96);
      expect(Object.entries(truth.labels).filter(([, label]) => label === 'Yes').map(([primitive]) => primitive)).toEqual(clip.program.primitives);
    }
    const [first] = report.clips;
    expect(readJson<Record<string, string>>(join(out, first!.groundTruth)).clip).toBe('clips/0000_dolly_in_slow.mp4');

    const questions = readJson<Array<{ problem_id: string; solution: string; path: string }>>(join(out, 'questions.json'));
    expect(questions).toHaveLength(3 * 15);
    const moveIn = questions.filter((question) => primitiveFromProblemId(question.problem_id) === 'Move_In');
    expect(moveIn.map((question) => question.solution)).toEqual(['<answer>B</answer>', '<answer>A</answer>', '<answer>A</answer>']);
    expect(readFileSync(join(out, 'camerabench/Move_Up.jsonl'), 'utf8').split('\n')[2]).toContain('"label": "Yes"');
  });

  it('renders the same pixels on a worker thread as on this one', async () => {
    const clip = planClip(8, 9, { ...tiny, width: 64, height: 48 });
    const cameras = [packCamera(clip.states[0]!), packCamera(clip.states[5]!)];
    const pool = createRenderPool(1);
    const frames: Uint8Array[] = [];
    try {
      await pool.renderClip({ scene: clip.scene, cameras, width: 64, height: 48 }, async (pixels) => void frames.push(pixels));
    } finally {
      await pool.close();
    }
    expect(frames).toHaveLength(2);
    cameras.forEach((camera, index) => expect(Buffer.from(frames[index]!).equals(Buffer.from(renderFrameHere(clip.scene, camera, 64, 48)))).toBe(true));
  });

  it('writes byte-identical JSON for the same seed and options, different for another seed', async () => {
    const options = { count: 4, ...tiny, skipVideo: true };
    const [a, b, c] = [temporaryFolder(), temporaryFolder(), temporaryFolder()];
    await synthesize({ out: a, seed: 11, ...options });
    await synthesize({ out: b, seed: 11, ...options });
    await synthesize({ out: c, seed: 12, ...options });
    const first = snapshot(a, /\.mp4$/);
    expect(first.size).toBe(4 + 4 + 15); // ground truth, questions/sft/rl/manifest, CameraBench JSONL
    expect(snapshot(b, /\.mp4$/)).toEqual(first);
    expect(snapshot(c, /\.mp4$/).get('ground_truth/0000_dolly_in_slow.json')).not.toBe(first.get('ground_truth/0000_dolly_in_slow.json'));
  });

  it('covers every primitive, writes valid records whose chains lint clean, and imports', async () => {
    const out = temporaryFolder();
    const count = PROGRAM_KINDS.length;
    await synthesize({ out, count, seed: 3, ...tiny, skipVideo: true });
    const questions = readJson<unknown[]>(join(out, 'questions.json'));
    const sft = readJson<Array<{ messages: Array<{ content: string }> }>>(join(out, 'sft.json'));
    const rl = readJson<unknown[]>(join(out, 'rl.json'));
    expect(questions).toHaveLength(count * 15);
    for (const record of questions) evalRecord.parse(record);
    for (const record of rl) rlRecord.parse(record);
    for (const record of sft) sftRecord.parse(record);
    for (const primitive of PRIMITIVES) {
      const lines = readFileSync(join(out, `camerabench/${primitive}.jsonl`), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(count);
      const labels = lines.map((line) => cameraBenchRecord.parse(JSON.parse(line)).label);
      expect(labels).toContain('Yes');
    }
    // Every chain: format reward, answer among the options, no claim contradicting its label.
    sft.forEach((record, index) => {
      const primitive = PRIMITIVES[Math.floor(index / count)]!;
      const issues = lintChain(record.messages[1]!.content, { options: ['A. No', 'B. Yes'], primitive });
      expect(issues.filter((issue) => issue.severity !== 'info'), `${primitive} ${index % count}: ${record.messages[1]!.content}`).toEqual([]);
    });

    const db = createProject(join(out, 'synth.frustum'));
    try {
      const imported = importFiles(db, ['questions.json', 'sft.json', 'rl.json'].map((file) => join(out, file)), { videosDir: out });
      expect(imported.samplesAdded).toBe(count * 15);
      expect(imported.chainsAdded).toBe(count * 15);
    } finally {
      db.close();
    }
  });

  it('stops when cancelled and writes no records', async () => {
    const out = temporaryFolder();
    const controller = new AbortController();
    const run = synthesize({
      out, count: 3, seed: 1, ...tiny, workers: 1, signal: controller.signal,
      onProgress: (done) => {
        if (done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(existsSync(join(out, 'questions.json'))).toBe(false);
    expect(readdirSync(join(out, 'clips'))).toEqual([]);
  });

  it('refuses odd sizes and bad counts with a usage error', async () => {
    await expect(synthesize({ out: temporaryFolder(), count: 1, seed: 1, width: 95, height: 64 })).rejects.toThrow(/even/);
    await expect(synthesize({ out: temporaryFolder(), count: 0, seed: 1 })).rejects.toThrow(/count/);
  });
});
