// `frustum train` end to end, as a person runs it, against the fake engines (tests/fakes/: a
// fake llamafactory-cli, a fake EasyR1 package and a fake Ray Jobs server, each writing the real
// engine's files and output): the run folder it writes, the metrics and rollouts it stores, a
// crash, a resume, a cancel that leaves no process behind, --detach, --dry-run and Ray.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { openProject } from '../db/connection';
import { jobById, listJobs } from '../db/jobs';
import { metricSeriesOfJobs, rolloutSteps } from '../db/trainerOutput';
import { fakeEnginesEnvironment } from './fakes/environment';
import { startFakeRayJobsServer } from './fakes/rayJobsServer';
import { syntheticRl } from './fixtures/syntheticDatasets';
import { frustum } from './support/cli';
import { buildStudioProject, copyProject, STUDIO_SAMPLES } from './support/studioProject';
import { tempDir, track } from './support/tempDir';
import { HAS_PYTHON_WITH_YAML, PYTHON_SKIP_NOTE } from './support/python';


const fakeEngines = (extra: Record<string, string> = {}) => fakeEnginesEnvironment(extra);

let fixture = '';
let built = '';
beforeAll(async () => {
  // Outlives each test's temporary folders: every test copies this project.
  fixture = mkdtempSync(join(tmpdir(), 'frustum-train-built-'));
  built = await buildStudioProject(fixture);
}, 60_000);
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function project(): string {
  return copyProject(built, tempDir('frustum-train-'));
}

function metricsOf(path: string, jobId: number): Map<string, Array<[number, number]>> {
  const db = track(openProject(path, { readonly: true }));
  try {
    const series = new Map<string, Array<[number, number]>>();
    for (const columns of metricSeriesOfJobs(db, [jobId], 0)) series.set(columns.key, columns.steps.map((step, index) => [step, columns.values[index] as number]));
    return series;
  } finally {
    db.close();
  }
}

function jobsOf(path: string) {
  const db = track(openProject(path, { readonly: true }));
  try {
    return listJobs(db, 100);
  } finally {
    db.close();
  }
}

describe.skipIf(!HAS_PYTHON_WITH_YAML)(`frustum train${PYTHON_SKIP_NOTE}`, () => {
  it('--dry-run prints the run folder it would write, and writes nothing', () => {
    const path = project();
    const result = frustum(['train', path, '--engine', 'llamafactory', '--objective', 'sft', '--dry-run', '--set', 'learning_rate=5e-5'], { env: fakeEngines() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('==> train.yaml <==');
    expect(result.stdout).toContain('learning_rate: 0.00005');
    expect(result.stdout).toContain('==> command.sh <==');
    expect(result.stdout).toContain(`${STUDIO_SAMPLES} samples`);
    expect(existsSync(path.replace(/\.frustum$/, '.runs'))).toBe(false);
    expect(jobsOf(path)).toEqual([]);
  });

  it('refuses an engine that does not train the objective, before writing anything', () => {
    const path = project();
    const result = frustum(['train', path, '--engine', 'llamafactory', '--objective', 'grpo'], { env: fakeEngines() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GRPO on easyr1');
    expect(jobsOf(path)).toEqual([]);
  });

  it('says why a run has nothing to train on: the clips are not on disk, each named once', () => {
    const folder = tempDir();
    const path = join(folder, 'missing.frustum');
    writeFileSync(join(folder, 'rl.json'), JSON.stringify(syntheticRl({ count: 6, seed: 7 })));
    expect(frustum(['init', path]).code).toBe(0);
    expect(frustum(['import', path, join(folder, 'rl.json')]).code).toBe(0);
    const result = frustum(['train', path, '--engine', 'easyr1', '--objective', 'grpo', '--dry-run'], { env: fakeEngines() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('6 sample(s) left out: 1 clip(s) not on disk (rl_0.mp4)');
    expect(result.stderr).toContain('relink them in the Library');
  });

  it('SFT with LLaMA-Factory: a run folder the engine reads, its loss curve stored step by step, checkpoints listed', () => {
    const path = project();
    const result = frustum(['train', path, '--engine', 'llamafactory', '--objective', 'sft', '--set', 'num_train_epochs=2', '--json'], { env: fakeEngines() });
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { jobId: number; runFolder: string; lastStep: number; checkpoints: string[]; snapshotHash: string };
    const folder = answer.runFolder;
    expect(folder).toBe(join(path.replace(/copy\.frustum$/, ''), 'copy.runs', String(answer.jobId)));

    const config = parseYaml(readFileSync(join(folder, 'train.yaml'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ stage: 'sft', template: 'qwen2_vl', dataset: 'frustum_sft', finetuning_type: 'lora', num_train_epochs: 2, report_to: 'none', output_dir: join(folder, 'output') });
    const info = JSON.parse(readFileSync(join(folder, 'data', 'dataset_info.json'), 'utf8')) as Record<string, { file_name: string; formatting: string }>;
    expect(info['frustum_sft']).toMatchObject({ file_name: 'frustum_sft.json', formatting: 'sharegpt' });
    const records = JSON.parse(readFileSync(join(folder, 'data', 'frustum_sft.json'), 'utf8')) as Array<{ videos: string[]; messages: unknown[] }>;
    expect(records).toHaveLength(STUDIO_SAMPLES);
    // Every video the records name is reachable where LLaMA-Factory looks (media_dir), as a link to the real clip.
    for (const video of new Set(records.flatMap((record) => record.videos))) {
      const link = join(folder, 'media', video);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(realpathSync(link)).toMatch(/sft_[01]\.mp4$/);
    }
    const snapshot = JSON.parse(readFileSync(join(folder, 'snapshot.json'), 'utf8')) as { hash: string; samples: number };
    expect(snapshot).toMatchObject({ hash: answer.snapshotHash, samples: STUDIO_SAMPLES });
    expect(lstatSync(join(folder, 'command.sh')).mode & 0o111).not.toBe(0);

    // The loss points are exactly the trainer's log lines.
    const logged = readFileSync(join(folder, 'output', 'trainer_log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { current_steps: number; loss?: number; lr?: number });
    const metrics = metricsOf(path, answer.jobId);
    expect(metrics.get('loss')).toEqual(logged.filter((line) => line.loss !== undefined).map((line) => [line.current_steps, line.loss]));
    expect(metrics.get('lr')?.length).toBe(logged.filter((line) => line.lr !== undefined).length);
    expect(answer.lastStep).toBe(logged.at(-1)?.current_steps);
    expect(answer.checkpoints.length).toBeGreaterThan(0);
    expect(answer.checkpoints.every((name) => /^checkpoint-\d+$/.test(name))).toBe(true);
    const job = jobsOf(path)[0];
    expect(job).toMatchObject({ id: answer.jobId, kind: 'train', state: 'succeeded' });
    // Its log holds the trainer's own output.
    expect(readFileSync(job?.log_path ?? '', 'utf8')).toContain('***** train metrics *****');
  });

  it('GRPO with EasyR1: nested metrics flattened, validation at step 0, rollouts with rewards and advantages per step', () => {
    const path = project();
    const result = frustum(
      ['train', path, '--engine', 'easyr1', '--objective', 'grpo', '--set', 'worker.rollout.n=4', '--set', 'data.rollout_batch_size=8', '--set', 'trainer.max_steps=3', '--json'],
      { env: fakeEngines() },
    );
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { jobId: number; runFolder: string; lastStep: number; checkpoints: string[] };
    const folder = answer.runFolder;
    const config = parseYaml(readFileSync(join(folder, 'config.yaml'), 'utf8')) as { worker: { rollout: { n: number }; reward: { reward_function: string; reward_function_kwargs: Record<string, unknown> } }; data: Record<string, unknown>; trainer: Record<string, unknown> };
    expect(config.worker.rollout.n).toBe(4);
    expect(config.worker.reward.reward_function).toBe(`${folder}/reward.py:compute_score`);
    expect(config.worker.reward.reward_function_kwargs).toMatchObject({ group_size: 4, rollout_path: join(folder, 'rollouts.jsonl') });
    expect(config.data).toMatchObject({ answer_key: 'frustum_target', prompt_key: 'problem', format_prompt: `${folder}/format_prompt.jinja` });
    expect(readFileSync(join(folder, 'format_prompt.jinja'), 'utf8')).toBe(readFileSync(resolve(__dirname, '..', '..', 'shared', 'data', 'camreasoner', 'camera.jinja'), 'utf8').trimEnd());
    expect(answer.checkpoints).toEqual(['global_step_1', 'global_step_2', 'global_step_3']);

    const metrics = metricsOf(path, answer.jobId);
    for (const key of ['reward/overall', 'reward/format', 'reward/accuracy', 'actor/kl_loss', 'actor/entropy_loss', 'response_length/mean']) {
      expect(metrics.get(key)?.map(([step]) => step), key).toEqual([1, 2, 3]);
    }
    expect(metrics.get('val/reward_score')?.[0]?.[0]).toBe(0);
    // The stored values are the engine's own.
    const lines = readFileSync(join(folder, 'checkpoints', 'experiment_log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { step: number; reward?: { overall: number } });
    expect(metrics.get('reward/overall')).toEqual(lines.filter((line) => line.reward !== undefined).map((line) => [line.step, line.reward?.overall]));

    const db = track(openProject(path, { readonly: true }));
    try {
      expect(rolloutSteps(db, [answer.jobId])).toEqual([1, 2, 3]);
      const groups = db.prepare('SELECT sample_id, responses FROM job_rollouts WHERE job_id = ? AND step = 1').all(answer.jobId) as Array<{ sample_id: number; responses: string }>;
      expect(groups).toHaveLength(8);
      for (const group of groups) {
        expect(group.sample_id).toBeGreaterThan(0);
        const responses = JSON.parse(group.responses) as Array<{ overall: number; advantage: number }>;
        expect(responses).toHaveLength(4);
        // Group-normalised: advantages sum to zero within a group.
        expect(Math.abs(responses.reduce((sum, response) => sum + response.advantage, 0))).toBeLessThan(1e-6);
      }
    } finally {
      db.close();
    }
  });

  it('a trainer that crashes fails the job with its last lines; --resume continues from the last checkpoint and keeps the curve', () => {
    const path = project();
    const crashed = frustum(['train', path, '--engine', 'llamafactory', '--objective', 'sft', '--set', 'num_train_epochs=3', '--set', 'save_steps=2', '--set', 'logging_steps=1'], { env: fakeEngines({ FAKE_LLAMAFACTORY_CRASH_AT_STEP: '5' }) });
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('OutOfMemoryError');
    expect(crashed.stderr).not.toContain('internal error');
    const [failed] = jobsOf(path);
    expect(failed).toMatchObject({ kind: 'train', state: 'failed' });
    expect(failed?.error).toContain('CUDA out of memory');
    expect([...(metricsOf(path, failed?.id ?? 0).get('loss') ?? [])].map(([step]) => step)).toEqual([1, 2, 3, 4]);

    const resumed = frustum(['train', path, '--resume', String(failed?.id), '--json'], { env: fakeEngines() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const answer = JSON.parse(resumed.stdout) as { jobId: number; runFolder: string; lastStep: number };
    expect(answer.runFolder.endsWith(`/${failed?.id}`)).toBe(true);
    const steps = (metricsOf(path, answer.jobId).get('loss') ?? []).map(([step]) => step);
    // From the step after checkpoint-4 to the end: nothing before it was trained again.
    expect(steps[0]).toBe(5);
    expect(steps.at(-1)).toBe(answer.lastStep);
    // One log across both attempts: every step once (the last step twice: LLaMA-Factory logs the run's summary at it).
    const log = readFileSync(join(answer.runFolder, 'output', 'trainer_log.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { current_steps: number }).current_steps);
    expect([...new Set(log)]).toEqual(Array.from({ length: answer.lastStep }, (_, index) => index + 1));
  });

  it('an EasyR1 resume keeps the logs EasyR1 truncates at start', () => {
    const path = project();
    const sets = ['--set', 'worker.rollout.n=4', '--set', 'data.rollout_batch_size=8', '--set', 'trainer.max_steps=4', '--set', 'trainer.save_freq=1'];
    const crashed = frustum(['train', path, '--engine', 'easyr1', '--objective', 'grpo', ...sets], { env: fakeEngines({ FAKE_EASYR1_CRASH_AT_STEP: '3' }) });
    expect(crashed.code).toBe(1);
    const [failed] = jobsOf(path);
    const folder = join(path.replace(/copy\.frustum$/, ''), 'copy.runs', String(failed?.id));
    const before = readFileSync(join(folder, 'checkpoints', 'experiment_log.jsonl'), 'utf8');
    const resumed = frustum(['train', path, '--resume', String(failed?.id), '--json'], { env: fakeEngines() });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(join(folder, 'logs', 'attempt-1', 'experiment_log.jsonl'), 'utf8')).toBe(before);
    expect(readFileSync(join(folder, 'checkpoints', 'experiment_log.jsonl'), 'utf8')).not.toContain('"step": 1,');
    const answer = JSON.parse(resumed.stdout) as { jobId: number; lastStep: number };
    expect(answer.lastStep).toBe(4);
    const steps = (metricsOf(path, answer.jobId).get('reward/overall') ?? []).map(([step]) => step);
    expect(steps).toEqual([3, 4]);
  });

  it('--detach returns at once; frustum cancel stops the trainer and every process under it', async () => {
    const path = project();
    const started = frustum(['train', path, '--engine', 'llamafactory', '--objective', 'sft', '--set', 'num_train_epochs=50', '--detach', '--json'], { env: fakeEngines({ FAKE_LLAMAFACTORY_STEP_SECONDS: '0.2' }) });
    expect(started.code, started.stderr).toBe(0);
    const { jobId } = JSON.parse(started.stdout) as { jobId: number };
    const folder = join(path.replace(/copy\.frustum$/, ''), 'copy.runs', String(jobId));
    // Wait for the trainer to log a step.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (metricsOf(path, jobId).get('loss')?.length ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(metricsOf(path, jobId).get('loss')?.length).toBeGreaterThan(0);
    const trainerPids = processesMentioning(folder);
    expect(trainerPids.length).toBeGreaterThan(0);

    const cancelled = frustum(['cancel', path, String(jobId)]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const db = track(openProject(path, { readonly: true }));
    try {
      expect(jobById(db, jobId)?.state).toBe('cancelled');
    } finally {
      db.close();
    }
    const until = Date.now() + 10_000;
    while (Date.now() < until && processesMentioning(folder).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesMentioning(folder)).toEqual([]);
  }, 60_000);

  it('frustum cancel on a run in its own terminal stops the trainer tree and the command exits 130', async () => {
    const path = project();
    const child = spawn(process.execPath, [resolve(__dirname, '..', 'bin', 'frustum.js'), 'train', path, '--engine', 'easyr1', '--objective', 'grpo',
      '--set', 'worker.rollout.n=4', '--set', 'data.rollout_batch_size=8', '--set', 'trainer.total_epochs=100'], { env: fakeEngines({ FAKE_EASYR1_STEP_SECONDS: '0.2' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !/^Step 1$/m.test(output.replace(/^\(\w+ pid=\d+\) /gm, ''))) await new Promise((done) => setTimeout(done, 100));
    const [job] = jobsOf(path);
    const folder = join(path.replace(/copy\.frustum$/, ''), 'copy.runs', String(job?.id));
    expect(processesMentioning(folder).length).toBeGreaterThan(0);
    const cancelled = frustum(['cancel', path, String(job?.id)]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(await exited).toBe(130);
    expect(processesMentioning(folder)).toEqual([]);
    expect(jobsOf(path)[0]?.state).toBe('cancelled');
  }, 60_000);

  it('--ray-address submits through the Ray Jobs REST API and streams the metrics the same way', async () => {
    const path = project();
    const ray = await startFakeRayJobsServer({ env: fakeEngines() });
    try {
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        // Async: the fake Ray server runs in this process and must keep serving while the CLI waits on it.
        import('node:child_process').then(({ execFile }) => {
          execFile(process.execPath, [resolve(__dirname, '..', 'bin', 'frustum.js'), 'train', path, '--engine', 'easyr1', '--objective', 'grpo', '--ray-address', ray.url,
            '--set', 'worker.rollout.n=4', '--set', 'data.rollout_batch_size=8', '--set', 'trainer.max_steps=2', '--json'],
          { env: fakeEngines() }, (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
        }, () => done({ code: -1, stdout: '', stderr: 'could not load child_process' }));
      });
      expect(result.code, result.stderr).toBe(0);
      const answer = JSON.parse(result.stdout) as { jobId: number; rayJobId: string };
      expect(ray.submissions().map((job) => job.submission_id)).toEqual([answer.rayJobId]);
      expect(ray.submissions()[0]?.entrypoint).toContain('-m verl.trainer.main config=config.yaml');
      expect(ray.submissions()[0]?.status).toBe('SUCCEEDED');
      expect(metricsOf(path, answer.jobId).get('reward/overall')?.map(([step]) => step)).toEqual([1, 2]);
    } finally {
      await ray.close();
    }
  }, 60_000);
});

/** Live processes whose command line or working folder names this run folder. */
function processesMentioning(folder: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const cwd = realpathSync(`/proc/${entry}/cwd`);
      if (commandLine.includes(folder) || cwd === folder) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
