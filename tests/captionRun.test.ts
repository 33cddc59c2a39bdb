// Captions end to end, as a person runs them (issue 13 item 3): CameraBench's caption questions
// imported, asked through `frustum infer` of the FAKE vLLM server (tests/fakes/openaiServer.ts)
// with the prompt CameraBench's caption generator sends (the question, nothing added), the
// output stored as the caption, and `frustum export --format camerabench-caption-results`
// writing the very file caption_generation.py writes for the same record and caption
// (tests/reference/caption-expected.json, case "no-checkpoint-trailing-slash"). The built-in
// model, which cannot caption, refuses captions before anything is written.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../backend/media/ffmpeg';
import { openProject } from '../db/connection';
import { startFakeOpenAIServer } from './fakes/openaiServer';
import { frustum } from './support/cli';
import { createImportedProject } from './support/studioProject';
import { tempDir, track } from './support/tempDir';

const BIN = join(__dirname, '..', 'bin', 'frustum.js');
const REFERENCE = join(__dirname, 'reference');

interface GenerationCase {
  name: string;
  model: string;
  checkpoint: string | null;
  video_dir: string;
  records: Array<{ video: string; question: string; answer: string }>;
  outputs: Array<{ caption: string } | { raise: string }>;
}

const CASES = JSON.parse(readFileSync(join(REFERENCE, 'caption-cases.json'), 'utf8')) as { generation: GenerationCase[] };
const EXPECTED = JSON.parse(readFileSync(join(REFERENCE, 'caption-expected.json'), 'utf8')) as { generation: Array<{ name: string; text: string; file_name: string }> };

/** The CLI in a process of its own, not waited on synchronously: the fake server answers from this process. */
function start(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A project holding the case's caption records, each clip a real one-second video beside the file. */
async function captionProject(records: GenerationCase['records']): Promise<{ project: string; folder: string }> {
  const folder = tempDir();
  const { ffmpeg } = await resolveFfmpeg();
  for (const { video } of records) {
    mkdirSync(join(folder, video, '..'), { recursive: true });
    execFileSync(ffmpeg.path, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=64x48:r=10:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', join(folder, video)], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const data = join(folder, 'caption_data.json');
  writeFileSync(data, JSON.stringify(records, null, 4));
  return { project: await createImportedProject(join(folder, 'captions.frustum'), data), folder };
}

describe('a caption run', () => {
  it('asks the bare question, stores the caption, and exports the file caption_generation.py writes', async () => {
    const generation = CASES.generation.find((entry) => entry.name === 'no-checkpoint-trailing-slash') as GenerationCase;
    const expected = EXPECTED.generation.find((entry) => entry.name === generation.name) as { text: string };
    const { project, folder } = await captionProject(generation.records);
    const captions = generation.outputs.map((output) => ('caption' in output ? output.caption : ''));
    const server = await startFakeOpenAIServer({ model: generation.model, reply: (_body, index) => captions[index] ?? '' });
    try {
      const run = await start(['infer', project, '--endpoint', server.baseUrl, '--model', generation.model, '--max-frames', '1', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout), run.stderr).toMatchObject({ runId: 1, samples: 1, answered: 1, failed: 0, accuracy: null });
      const chats = server.requests.filter((request) => request.path === '/v1/chat/completions');
      expect(chats).toHaveLength(1);
      // One user message, the frame then the text; the text is the record's question exactly.
      const messages = chats[0]?.body?.['messages'] as Array<{ role: string; content: Array<{ type: string; text?: string }> }>;
      expect(messages.map((message) => message.role)).toEqual(['user']);
      expect(messages[0]?.content.map((part) => part.type)).toEqual(['image_url', 'text']);
      expect(messages[0]?.content.at(-1)?.text).toBe(generation.records[0]?.question);

      const db = track(openProject(project, { readonly: true }));
      try {
        expect(db.prepare('SELECT output, prediction, accuracy, error FROM predictions WHERE run_id = 1').all()).toEqual([
          { output: captions[0], prediction: captions[0], accuracy: null, error: null },
        ]);
      } finally {
        db.close();
      }

      const out = join(folder, 'scores');
      const exported = frustum(['export', project, '--format', 'camerabench-caption-results', '--run', '1', '--out', out, '--video-dir', generation.video_dir, '--json']);
      expect(exported.code, exported.stderr).toBe(0);
      const [name] = readdirSync(out);
      expect(name).toMatch(new RegExp(`^caption_results_${generation.model}_\\d{8}_\\d{6}\\.json$`));
      const text = readFileSync(join(out, name as string), 'utf8');
      // The generator's bytes, but for when it ran.
      const stamp = (JSON.parse(text) as { metadata: { generation_timestamp: string } }).metadata.generation_timestamp;
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
      expect(text).toBe(expected.text.replace(/"generation_timestamp": "[^"]*"/, `"generation_timestamp": "${stamp}"`));
    } finally {
      await server.close();
    }
  }, 120_000);

  it('the built-in model leaves captions out, counted, and asks nothing when only captions match', async () => {
    const { project, folder } = await captionProject([{ video: 'a.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera pans left.' }]);
    const checkpoint = join(folder, 'checkpoint');
    mkdirSync(checkpoint);
    writeFileSync(join(checkpoint, 'model.json'), '{}');
    const result = frustum(['infer', project, '--builtin', '--model', checkpoint]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/no samples to ask: .* 1 sample\(s\), none with a clip that the built-in model can answer \(1 free-form: it cannot caption\)/);
    const db = track(openProject(project, { readonly: true }));
    try {
      expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
