// inference.* through the in-process client, on a real project (2 clips, 30 samples), against
// the FAKE vLLM server (tests/fakes/openaiServer.ts): a run started from the studio is a job in
// a process of its own that sends CamReasoner's exact request and stores what came back; a live
// ask streams frames, deltas and the stored outcome as events; the model's output becomes a
// chain revision; an imported run cannot be resumed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient, type EventPayload, type InferenceSettings } from '../../../common/api/contract';
import { waitForJob } from '../../../common/api/waitForJob';
import { openProject } from '../../../db/connection';
import { startFakeOpenAIServer, tokenize, type FakeOpenAIServer, type FakeReply } from '../../../tests/fakes/openaiServer';
import { buildStudioProject, copyProject, STUDIO_SAMPLES } from '../../../tests/support/studioProject';
import { tempDir } from '../../../tests/support/tempDir';
import { camReasonerPrompt } from '../../inference/camReasonerRequest';
import { createInProcessClient } from '../inProcessClient';
import { openStudio, type Studio } from '../studio';

const mediaUrls = { video: (id: number) => `test://clip/${id}`, frameTemplate: (id: number) => `test://clip/${id}/{index}`, filmstrip: (id: number) => `test://clip/${id}/strip` };

/** Says B (Yes) with P = 0.8 against A: P(Yes) is read from these log-probs. */
function replyB(): FakeReply {
  const text = '<observation>The scene drifts to the left in every frame.</observation>\n<think>A steady drift is a pan.</think>\n<answer>B</answer>';
  const tokens = tokenize(text).map((token) => ({ token }));
  const answerIndex = tokens.findIndex((token, index) => token.token === 'B' && tokens[index - 1]?.token === '>');
  tokens[answerIndex] = { token: 'B', logprob: Math.log(0.8), topLogprobs: [{ token: 'B', logprob: Math.log(0.8) }, { token: 'A', logprob: Math.log(0.2) }] } as (typeof tokens)[number];
  return { tokens };
}

let fixture = '';
let built = '';
let server: FakeOpenAIServer;
let studio: Studio | null = null;
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-inference-studio-'));
  built = await buildStudioProject(fixture);
  server = await startFakeOpenAIServer({ reply: replyB, chunkDelayMs: 1 });
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(fixture, { recursive: true, force: true });
});
afterEach(async () => {
  await studio?.close();
  studio = null;
});

function open(): { client: ApiClient; events: Array<{ event: string; payload: unknown }>; project: string } {
  const folder = tempDir();
  const project = copyProject(built, folder);
  studio = openStudio({ projectPath: project, host: 'in-process', mediaUrls, author: 'tester', cacheRoot: join(folder, 'cache'), log: () => undefined });
  const events: Array<{ event: string; payload: unknown }> = [];
  studio.onAny((event, payload) => events.push({ event, payload }));
  return { client: createInProcessClient(studio), events, project };
}

const settings = (): InferenceSettings => ({
  engine: 'openai',
  endpoint: server.baseUrl,
  model: 'CamReasoner-7B',
  temperature: 0,
  maxTokens: 8192,
  frames: { sampling: 'first', parts: 'images', fps: 1, maxFrames: 64, maxPixels: 1_048_576 },
});

describe('inference in the studio', () => {
  it('runs every sample as a job with CamReasoner\'s exact request, and stores what came back', async () => {
    const { client, events } = open();
    const before = server.requests.length;
    const started = await client.call('inference.start', { settings: settings(), concurrency: 4 });
    const finished = await waitForJob(client, started.job.id);
    expect(finished.state, finished.error ?? '').toBe('succeeded');

    const [run] = (await client.call('inference.runs', {})).runs;
    expect(run).toMatchObject({ id: started.runId, kind: 'inference', model: 'CamReasoner-7B', samples: STUDIO_SAMPLES, done: STUDIO_SAMPLES, errors: 0, jobId: started.job.id, jobState: 'succeeded' });
    expect(run?.settings).toEqual(settings());
    expect(run?.snapshotHash).toMatch(/^[0-9a-f]{64}$/);

    const requests = server.requests.slice(before).filter((request) => request.path === '/v1/chat/completions');
    expect(requests).toHaveLength(STUDIO_SAMPLES);
    const body = requests[0]?.body ?? {};
    expect(body).toMatchObject({ model: 'CamReasoner-7B', temperature: 0, max_tokens: 8192, stream: true, logprobs: true, top_logprobs: 5 });
    const parts = body['messages'][0].content as Array<{ type: string; text?: string }>;
    // 1.2-second clips at 1 fps: frames at 0 s and 1 s, then the prompt.
    expect(parts.map((part) => part.type)).toEqual(['image_url', 'image_url', 'text']);
    const rows = await client.call('inference.rows', { runId: started.runId, offset: 0, limit: 100 });
    expect(rows.total).toBe(STUDIO_SAMPLES);
    const db = openProject(studio?.projectPath ?? '', { readonly: true });
    try {
      const sample = db.prepare('SELECT question, options FROM samples WHERE id = ?').get(rows.rows[0]?.sampleId) as { question: string; options: string };
      const prompts = requests.map((request) => (request.body?.['messages'][0].content as Array<{ text?: string }>).at(-1)?.text);
      expect(prompts).toContain(camReasonerPrompt({ problem: sample.question, options: JSON.parse(sample.options) as string[] }));
    } finally {
      db.close();
    }

    const first = rows.rows[0];
    expect(first).toMatchObject({ prediction: 'B', isPending: false, error: null });
    expect(first?.yesProbability).toBeCloseTo(0.8, 10);
    const { predictions } = await client.call('inference.predictions', { sampleId: first?.sampleId ?? 0 });
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ runId: started.runId, format: 1, finishReason: 'stop', prediction: 'B' });
    expect(predictions[0]?.frames.map((frame) => frame.timestamp)).toEqual([0, 1]);
    expect(predictions[0]?.completionTokens).toBeGreaterThan(10);
    // Accuracy is the evaluator's: B is right exactly where the reference is B.
    const answers = rows.rows.map((row) => [row.answer, row.accuracy]);
    for (const [answer, accuracy] of answers) expect(accuracy).toBe(answer === 'B' ? 1 : 0);
    expect(events.some((entry) => entry.event === 'inference.progress' && (entry.payload as EventPayload<'inference.progress'>).runId === started.runId)).toBe(true);

    // Finished: a resume has nothing left to ask.
    const resumed = await client.call('inference.resume', { runId: started.runId });
    const again = await waitForJob(client, resumed.job.id);
    expect(again.state, again.error ?? '').toBe('succeeded');
    expect(server.requests.length - before).toBe(STUDIO_SAMPLES);
  }, 120_000);

  it('streams a live ask as events, stores it in the asked-in-Inspect run, and makes it the chain', async () => {
    const { client, events } = open();
    const [row] = (await client.call('library.query', { filter: {}, sort: { key: 'id', direction: 'asc' }, offset: 0, limit: 1 })).rows;
    const sampleId = row?.id ?? 0;
    const asked = await client.call('inference.ask', { sampleId, settings: settings() });
    const outcome = await new Promise<EventPayload<'inference.stream'>>((resolve) => {
      const check = setInterval(() => {
        const last = events.filter((entry) => entry.event === 'inference.stream').map((entry) => entry.payload as EventPayload<'inference.stream'>).find((payload) => payload.streamId === asked.streamId && (payload.type === 'done' || payload.type === 'error'));
        if (last) {
          clearInterval(check);
          resolve(last);
        }
      }, 10);
    });
    expect(outcome.type, outcome.type === 'error' ? outcome.message : '').toBe('done');
    const stream = events.filter((entry) => entry.event === 'inference.stream').map((entry) => entry.payload as EventPayload<'inference.stream'>).filter((payload) => payload.streamId === asked.streamId);
    expect(stream[0]?.type).toBe('frames');
    const deltas = stream.filter((payload) => payload.type === 'delta');
    expect(deltas.length).toBeGreaterThan(5);
    const text = deltas.map((payload) => (payload.type === 'delta' ? payload.text : '')).join('');
    expect(outcome.type === 'done' ? outcome.prediction.output : null).toBe(text);
    // Times only go forward.
    const times = stream.map((payload) => payload.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // The same settings again: the same run, this sample's answer replaced.
    const again = await client.call('inference.ask', { sampleId, settings: settings() });
    expect(again.runId).toBe(asked.runId);
    const runs = (await client.call('inference.runs', {})).runs;
    expect(runs.filter((run) => run.id === asked.runId)).toHaveLength(1);

    const detail = await client.call('sample.get', { id: sampleId });
    const made = await client.call('inference.makeChain', { runId: asked.runId, sampleId, parentRevisionId: detail.head?.id ?? null });
    expect(made.revision).toMatchObject({ authorKind: 'model', text });
    expect(made.revision.author).toContain('CamReasoner-7B');
    // From a stale head: refused, nothing written.
    await expect(client.call('inference.makeChain', { runId: asked.runId, sampleId, parentRevisionId: detail.head?.id ?? null })).rejects.toMatchObject({ code: 'conflict' });
  }, 60_000);

  it('refuses what it cannot do with a reason', async () => {
    const { client } = open();
    await expect(client.call('inference.start', { settings: { ...settings(), endpoint: 'not a url' }, concurrency: 1 })).rejects.toThrow(ApiError);
    await expect(client.call('inference.start', { settings: settings(), concurrency: 1, filter: { clip: 'no such clip' } })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.call('inference.resume', { runId: 999 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.call('inference.makeChain', { runId: 999, sampleId: 1, parentRevisionId: null })).rejects.toMatchObject({ code: 'not-found' });
  });
});
