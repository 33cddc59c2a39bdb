// training.* through the in-process client, on a real project, with the fake engines
// (tests/fakes/) standing in for LLaMA-Factory and EasyR1: the preview is what the job writes,
// a started run's metrics arrive as events and through training.metrics, rollouts come back
// grouped with their prompt, clip and contradictions, and a resume's history joins its own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient, type EventPayload } from '../../../common/api/contract';
import { waitForJob } from '../../../common/api/waitForJob';
import { fakeEnginesEnvironment } from '../../../tests/fakes/environment';
import { buildStudioProject, copyProject, STUDIO_SAMPLES } from '../../../tests/support/studioProject';
import { tempDir } from '../../../tests/support/tempDir';
import { createInProcessClient } from '../inProcessClient';
import { openStudio, type Studio } from '../studio';
import { HAS_PYTHON_WITH_YAML, PYTHON_SKIP_NOTE } from '../../../tests/support/python';

const mediaUrls = { video: (id: number) => `test://clip/${id}`, frameTemplate: (id: number) => `test://clip/${id}/{index}`, filmstrip: (id: number) => `test://clip/${id}/strip` };

let fixture = '';
let built = '';
let studio: Studio | null = null;
const savedEnv = { ...process.env };
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-train-studio-'));
  built = await buildStudioProject(fixture);
  // Job processes inherit this environment: the fakes are the engines installed here.
  process.env = fakeEnginesEnvironment({ FAKE_LLAMAFACTORY_STEP_SECONDS: '0.01', FAKE_EASYR1_STEP_SECONDS: '0.01' });
}, 60_000);
afterAll(() => {
  process.env = savedEnv;
  rmSync(fixture, { recursive: true, force: true });
});
afterEach(async () => {
  await studio?.close();
  studio = null;
});

function open(): { client: ApiClient; events: Array<{ event: string; payload: unknown }> } {
  const folder = tempDir();
  const project = copyProject(built, folder);
  studio = openStudio({ projectPath: project, host: 'in-process', mediaUrls, author: 'tester', cacheRoot: join(folder, 'cache'), log: () => undefined });
  const events: Array<{ event: string; payload: unknown }> = [];
  studio.onAny((event, payload) => events.push({ event, payload }));
  return { client: createInProcessClient(studio), events };
}

describe.skipIf(!HAS_PYTHON_WITH_YAML)(`training in the studio${PYTHON_SKIP_NOTE}`, () => {
  it('previews exactly what the job then writes', async () => {
    const { client } = open();
    const request = { engine: 'llamafactory' as const, objective: 'sft' as const, sets: [{ key: 'num_train_epochs', value: '1' }] };
    const plan = await client.call('training.preview', request);
    expect(plan.samples).toBe(STUDIO_SAMPLES);
    expect(plan.files.map((file) => file.path)).toEqual(['train.yaml', 'command.sh', 'data/frustum_sft.json', 'data/dataset_info.json']);
    const job = await client.call('training.start', request);
    const finished = await waitForJob(client, job.id);
    expect(finished.state, finished.error ?? '').toBe('succeeded');
    const [run] = (await client.call('training.runs', {})).runs;
    expect(run).toMatchObject({ jobId: job.id, engine: 'llamafactory', objective: 'sft', resumedFrom: null, snapshot: { hash: plan.snapshotHash, samples: STUDIO_SAMPLES } });
    expect(readFileSync(join(run?.runFolder ?? '', 'train.yaml'), 'utf8')).toBe(plan.files[0]?.text);
    expect(run?.checkpoints.at(-1)).toMatchObject({ isLast: true, weights: 'adapter' });
  });

  it('refuses an objective its engine does not train, with no job made', async () => {
    const { client } = open();
    const error = await client.call('training.start', { engine: 'llamafactory', objective: 'grpo' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('bad-request');
    expect((await client.call('jobs.list', {})).jobs).toEqual([]);
  });

  it('pushes metric points as they are stored, and a resume continues the same curve', async () => {
    const { client, events } = open();
    const sets = [
      { key: 'worker.rollout.n', value: '4' }, { key: 'data.rollout_batch_size', value: '8' },
      { key: 'trainer.max_steps', value: '4' }, { key: 'trainer.save_freq', value: '1' },
    ];
    process.env['FAKE_EASYR1_CRASH_AT_STEP'] = '3';
    const first = await client.call('training.start', { engine: 'easyr1', objective: 'grpo', sets });
    delete process.env['FAKE_EASYR1_CRASH_AT_STEP'];
    expect((await waitForJob(client, first.id)).state).toBe('failed');
    const second = await client.call('training.resume', { jobId: first.id });
    expect((await waitForJob(client, second.id)).state).toBe('succeeded');

    // Every point stored reached the page as an event, in order of storage.
    const pushed = events.filter((entry) => entry.event === 'training.metrics').map((entry) => entry.payload as EventPayload<'training.metrics'>);
    const pushedSteps = (jobId: number) => pushed.filter((event) => event.jobId === jobId).flatMap((event) => event.series.find((series) => series.key === 'reward/overall')?.steps ?? []);
    expect(pushedSteps(first.id)).toEqual([1, 2]);
    expect(pushedSteps(second.id)).toEqual([3, 4]);
    // Each event says where the job's previous one ended: a page that has that misses nothing.
    for (const jobId of [first.id, second.id]) {
      const ofJob = pushed.filter((event) => event.jobId === jobId);
      for (const [index, event] of ofJob.entries()) if (index > 0) expect(event.previousSeq).toBe(ofJob[index - 1]?.seq);
    }

    // The resumed job's curve is the whole run's.
    const metrics = await client.call('training.metrics', { jobId: second.id });
    const reward = metrics.series.find((series) => series.key === 'reward/overall');
    expect(reward?.steps).toEqual([1, 2, 3, 4]);
    expect(metrics.seq).toBe(Math.max(...pushed.map((event) => event.seq)));
    expect((await client.call('training.metrics', { jobId: second.id, afterSeq: metrics.seq })).series).toEqual([]);

    const runs = (await client.call('training.runs', {})).runs;
    expect(runs.map((run) => [run.jobId, run.resumedFrom])).toEqual([[second.id, first.id], [first.id, null]]);
    expect(runs[0]?.runFolder).toBe(runs[1]?.runFolder);

    // Rollouts by step, each group with its sample's question, clip and reward components.
    const rollouts = await client.call('training.rollouts', { jobId: second.id, step: 3 });
    expect(rollouts.steps).toEqual([1, 2, 3, 4]);
    expect(rollouts.groups).toHaveLength(8);
    for (const group of rollouts.groups) {
      expect(group.sampleId).not.toBeNull();
      expect(group.clipId).not.toBeNull();
      expect(group.prompt).toContain('Options:');
      expect(group.responses).toHaveLength(4);
      for (const response of group.responses) expect(response.overall).toBeCloseTo(0.9 * response.accuracy + 0.1 * response.format, 10);
    }
    const newest = await client.call('training.rollouts', { jobId: second.id });
    expect(newest.step).toBe(4);
  }, 60_000);
});
