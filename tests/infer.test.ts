// `frustum infer` end to end, as a person runs it, against the FAKE vLLM server
// (tests/fakes/openaiServer.ts) on a small project (2 clips, 30 samples): a run stores every
// answer with its settings and snapshot; a run killed mid-way (SIGKILL: nothing gets to clean up)
// resumes without asking a finished sample again; a server that is down stops the run with what
// to do; usage mistakes are refused before anything is written.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../db/connection';
import { runCounts } from '../db/inference';
import { getRun } from '../db/runs';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './fakes/openaiServer';
import { frustum } from './support/cli';
import { buildStudioProject, copyProject, STUDIO_SAMPLES } from './support/studioProject';
import { tempDir, track } from './support/tempDir';

const BIN = join(__dirname, '..', 'bin', 'frustum.js');

interface Running {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The CLI in a process of its own, not waited on synchronously: the fake server answers from this process. */
function start(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Running {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { pid: child.pid ?? 0, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}

function counts(project: string, runId: number) {
  const db = track(openProject(project, { readonly: true }));
  try {
    return runCounts(db, runId);
  } finally {
    db.close();
  }
}

const chats = (server: FakeOpenAIServer) => server.requests.filter((request) => request.path === '/v1/chat/completions');

let fixture = '';
let built = '';
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-infer-'));
  built = await buildStudioProject(fixture);
}, 60_000);
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe('frustum infer', () => {
  it('asks every sample and stores the answers with the run\'s settings and snapshot', async () => {
    const project = copyProject(built, tempDir());
    const server = await startFakeOpenAIServer({ apiKey: 'sk-test', reply: (_body, index) => `<observation>frame ${index}</observation><think>so</think><answer>${index % 3 === 0 ? 'A' : 'B'}</answer>` });
    try {
      const result = await start([
        'infer', project, '--endpoint', server.baseUrl, '--model', 'CamReasoner-7B', '--concurrency', '3', '--max-frames', '1', '--api-key-env', 'FRUSTUM_TEST_KEY', '--json',
      ], { ...process.env, FRUSTUM_TEST_KEY: 'sk-test' }).done;
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as { runId: number; samples: number; answered: number; failed: number; accuracy: number };
      expect(json).toMatchObject({ samples: STUDIO_SAMPLES, answered: STUDIO_SAMPLES, failed: 0 });
      // One line per answer in the job's log, on stderr in JSON mode.
      expect(result.stderr.match(/^#\d+ sample \d+: /gm)).toHaveLength(STUDIO_SAMPLES);
      expect(chats(server)).toHaveLength(STUDIO_SAMPLES);
      // --max-frames 1: one image part, then the prompt; the key read from the variable named, and never stored.
      for (const request of chats(server)) {
        expect((request.body?.['messages'][0].content as Array<{ type: string }>).map((part) => part.type)).toEqual(['image_url', 'text']);
        expect(request.headers.authorization).toBe('Bearer sk-test');
      }
      const db = track(openProject(project, { readonly: true }));
      try {
        const run = getRun(db, json.runId);
        const meta = JSON.parse(run?.meta ?? '{}') as Record<string, unknown>;
        expect(meta).toMatchObject({
          settings: { engine: 'openai', endpoint: server.baseUrl, model: 'CamReasoner-7B', apiKeyEnv: 'FRUSTUM_TEST_KEY', temperature: 0, maxTokens: 8192, frames: { sampling: 'first', parts: 'images', fps: 1, maxFrames: 1, maxPixels: 1_048_576 } },
          concurrency: 3,
          filter: { media: ['ok'] },
        });
        expect(meta['snapshotHash']).toMatch(/^[0-9a-f]{64}$/);
        expect(run?.meta).not.toContain('sk-test');
        const stored = db.prepare('SELECT p.prediction, p.accuracy, s.answer FROM predictions p JOIN samples s ON s.id = p.sample_id WHERE p.run_id = ?').all(json.runId) as Array<{ prediction: string; accuracy: number; answer: string }>;
        expect(stored).toHaveLength(STUDIO_SAMPLES);
        for (const row of stored) expect(row.accuracy).toBe(row.prediction === row.answer ? 1 : 0);
        expect(json.accuracy).toBeCloseTo(stored.filter((row) => row.accuracy === 1).length / STUDIO_SAMPLES, 10);
      } finally {
        db.close();
      }
    } finally {
      await server.close();
    }
  }, 120_000);

  it('resumes a killed run without asking a finished sample again', async () => {
    const project = copyProject(built, tempDir());
    // Paced so the kill comes mid-run: each answer takes ~40 events × 15 ms.
    const server = await startFakeOpenAIServer({ chunkDelayMs: 15, reply: () => `<observation>${'the view drifts left '.repeat(8)}</observation><think>pan</think><answer>B</answer>` });
    try {
      const first = start(['infer', project, '--endpoint', server.baseUrl, '--model', 'CamReasoner-7B', '--concurrency', '2', '--max-frames', '1']);
      await expect.poll(() => counts(project, 1).done, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(4);
      process.kill(first.pid, 'SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      const answeredBefore = counts(project, 1).done;
      expect(answeredBefore).toBeLessThan(STUDIO_SAMPLES);
      const askedBefore = chats(server).length;

      const resumed = await start(['infer', project, '--resume', '1', '--concurrency', '4', '--json']).done;
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: 1, answered: STUDIO_SAMPLES, asked: STUDIO_SAMPLES - answeredBefore });
      // Only the samples without an answer were asked (the killed requests in flight among them).
      expect(chats(server).length - askedBefore).toBe(STUDIO_SAMPLES - answeredBefore);
      expect(counts(project, 1)).toMatchObject({ samples: STUDIO_SAMPLES, done: STUDIO_SAMPLES, errors: 0 });
    } finally {
      await server.close();
    }
  }, 120_000);

  it('stops when the server is down, keeping what it has, and says how to go on', async () => {
    const project = copyProject(built, tempDir());
    const server = await startFakeOpenAIServer();
    const url = server.baseUrl;
    await server.close();
    const result = await start(['infer', project, '--endpoint', url, '--model', 'CamReasoner-7B', '--concurrency', '16', '--max-frames', '1']).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/failed \d+ requests in a row/);
    expect(result.stderr).toContain(`--resume 1`);
    expect(counts(project, 1).errors).toBeGreaterThanOrEqual(16);
  }, 120_000);

  it('refuses usage mistakes before writing anything', () => {
    const project = copyProject(built, tempDir());
    const cases: Array<[string[], RegExp]> = [
      [['infer', project], /--endpoint URL and --model NAME/],
      [['infer', project, '--endpoint', 'nope', '--model', 'CamReasoner-7B'], /not a URL/],
      [['infer', project, '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'CamReasoner-7B', '--max-frames', '0'], /maxFrames/],
      [['infer', project, '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'CamReasoner-7B', '--concurrency', '1000'], /--concurrency must be from 1 to 256/],
      [['infer', project, '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'CamReasoner-7B', '--filter', '{"clip":"nothing like it"}'], /no samples to ask/],
      [['infer', project, '--builtin'], /no built-in checkpoint yet/],
      [['infer', project, '--resume', '7'], /no run 7/],
      [['infer', project, '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--api-key-env', 'FRUSTUM_NO_SUCH_VARIABLE'], /FRUSTUM_NO_SUCH_VARIABLE is not set/],
    ];
    for (const [args, message] of cases) {
      const result = frustum(args);
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const db = track(openProject(project, { readonly: true }));
    try {
      expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
