// `frustum train --engine builtin` end to end, as a person runs it, on a small demo project (4
// synthetic clips, 60 samples): the built-in reasoner really trains (TensorFlow.js, at small
// sizes so the test takes seconds), SFT then GRPO from its checkpoint, then a resume. What is
// checked is what the studio reads: the run folder, the metric points and rollouts stored in the
// project, the checkpoints with their ONNX export, and the refusals made before any job starts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { openProject } from '../db/connection';
import { listJobs } from '../db/jobs';
import { metricSeriesOfJobs, rolloutSteps, rolloutsOfStep } from '../db/trainerOutput';
import { evaluateBuiltinOnProject } from '../training/inference/evaluateProject';
import { frustum } from './support/cli';
import { copyProject } from './support/studioProject';
import { tempDir, track } from './support/tempDir';

/** Small enough to train in seconds on two cores; large enough to write something. */
const SMALL = ['--set', 'model.context=16', '--set', 'model.embedding=8', '--set', 'model.hidden=16', '--set', 'data.max_response_length=60'];

let fixture = '';
let demo = '';
beforeAll(() => {
  // Outlives each test's temporary folders: every test copies this project (its clips stay here).
  fixture = mkdtempSync(join(tmpdir(), 'frustum-builtin-demo-'));
  demo = join(fixture, 'demo.frustum');
  const made = frustum(['demo', demo, '--count', '4']);
  expect(made.code, made.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function metricKeys(path: string, jobId: number): Map<string, number[]> {
  const db = track(openProject(path, { readonly: true }));
  try {
    return new Map(metricSeriesOfJobs(db, [jobId], 0).map((series) => [series.key, [...series.steps]]));
  } finally {
    db.close();
  }
}

async function evaluateProjectWith(path: string, checkpoint: string) {
  const db = track(openProject(path));
  try {
    return await evaluateBuiltinOnProject(db, checkpoint);
  } finally {
    db.close();
  }
}

function lastJobId(path: string): number {
  const db = track(openProject(path, { readonly: true }));
  try {
    return Math.max(...listJobs(db, 100).map((job) => job.id));
  } finally {
    db.close();
  }
}

describe('frustum train --engine builtin', () => {
  it('--dry-run shows builtin.yaml and the trainer command, and refuses what the built-in trainer does not take', () => {
    const path = copyProject(demo, tempDir('frustum-builtin-'));
    const dry = frustum(['train', path, '--engine', 'builtin', '--objective', 'sft', '--dry-run', '--set', 'trainer.total_epochs=3']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('==> builtin.yaml <==');
    expect(dry.stdout).toContain('total_epochs: 3');
    expect(dry.stdout).toMatch(/frustum\.js builtin-train \./);
    expect(existsSync(path.replace(/\.frustum$/, '.runs'))).toBe(false);

    const misspelt = frustum(['train', path, '--engine', 'builtin', '--objective', 'sft', '--set', 'trainer.total_epoch=3']);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain('total_epoch');
    const gpus = frustum(['train', path, '--engine', 'builtin', '--objective', 'sft', '--gpus', '2']);
    expect(gpus.code).toBe(2);
    // The wall-time cap (the demo's) stops the trainer between steps and says so.
    const capped = frustum(['train', path, '--engine', 'builtin', '--objective', 'sft', ...SMALL, '--set', 'trainer.max_seconds=0.000001']);
    expect(capped.code, capped.stderr).toBe(0);
    expect(capped.stdout).toContain('stopping after step 0: trainer.max_seconds 0.000001 reached');
    const noSft = frustum(['train', copyProject(demo, tempDir('frustum-builtin-')), '--engine', 'builtin', '--objective', 'grpo']);
    expect(noSft.code).toBe(2);
    expect(noSft.stderr).toContain('train one first');
  });

  it('trains SFT, then GRPO from its checkpoint, then resumes GRPO: curves, rollouts and checkpoints as the studio reads them', async () => {
    const path = copyProject(demo, tempDir('frustum-builtin-'));
    const sft = frustum(['train', path, '--engine', 'builtin', '--objective', 'sft', ...SMALL, '--set', 'trainer.total_epochs=2', '--set', 'worker.actor.global_batch_size=16']);
    expect(sft.code, sft.stderr).toBe(0);
    expect(sft.stdout).toMatch(/TensorFlow\.js [\d.]+: @tensorflow\//);
    // 4 of the 60 answers are Yes: repeated 4 times an epoch ((56 / 4) ^ 0.5, rounded), 72 records, 5 batches of 16.
    expect(sft.stdout).toContain('data.answer_balance 0.5: 12 repeats of rarer answers per epoch (72 records an epoch)');
    expect(sft.stdout).toContain('Total training steps: 10');
    const sftJob = lastJobId(path);
    const sftMetrics = metricKeys(path, sftJob);
    expect(sftMetrics.get('loss')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...sftMetrics.keys()]).toEqual(expect.arrayContaining(['lr', 'epoch', 'grad_norm']));
    const sftFolder = join(path.replace(/\.frustum$/, '.runs'), String(sftJob));
    const sftCheckpoint = join(sftFolder, 'checkpoints', 'global_step_10', 'actor');
    for (const file of ['model.json', 'weights.bin', 'encoder.onnx', 'decoder.onnx', 'optimizer.json']) expect(existsSync(join(sftCheckpoint, file)), file).toBe(true);
    const evidence = JSON.parse(readFileSync(join(sftFolder, 'data', 'evidence.json'), 'utf8')) as { clips: Record<string, { pairs: number }> };
    expect(Object.keys(evidence.clips)).toHaveLength(4);

    // The checkpoint's ONNX export answers every question of the project, scored as the results are.
    const evaluated = await evaluateProjectWith(path, sftCheckpoint);
    expect(evaluated.samples).toHaveLength(60);
    expect(evaluated.majorityAccuracy).toBeCloseTo(56 / 60, 10);
    for (const sample of evaluated.samples) {
      expect(sample.text.length).toBeGreaterThan(0);
      if (sample.yesProbability !== null) expect(sample.yesProbability).toBeGreaterThanOrEqual(0);
      if (sample.yesProbability !== null) expect(sample.yesProbability).toBeLessThanOrEqual(1);
    }
    expect(evaluated.format).toBeGreaterThanOrEqual(0);
    expect(evaluated.accuracy).toBeLessThanOrEqual(1);

    // `frustum infer --builtin` with the run folder: the same ONNX answers, through the engine's own process.
    const inferred = frustum(['infer', path, '--builtin', '--model', sftFolder, '--json']);
    expect(inferred.code, inferred.stderr).toBe(0);
    const run = JSON.parse(inferred.stdout) as { runId: number; answered: number; samples: number };
    expect(run).toMatchObject({ samples: 60, answered: 60 });
    const runDb = track(openProject(path, { readonly: true }));
    try {
      const stored = new Map((runDb.prepare('SELECT sample_id, output, score, frames FROM predictions WHERE run_id = ?').all(run.runId) as Array<{ sample_id: number; output: string; score: number | null; frames: string }>).map((row) => [row.sample_id, row]));
      for (const sample of evaluated.samples) {
        expect(stored.get(sample.sampleId)?.output).toBe(sample.text);
        expect(stored.get(sample.sampleId)?.score ?? null).toBe(sample.yesProbability);
        expect(stored.get(sample.sampleId)?.frames).toBe('[]');
      }
      const meta = JSON.parse((runDb.prepare('SELECT meta FROM runs WHERE id = ?').get(run.runId) as { meta: string }).meta) as { settings: { engine: string; model: string }; trainJobId: number };
      expect(meta.settings).toMatchObject({ engine: 'builtin', model: sftCheckpoint });
      expect(meta.trainJobId).toBe(sftJob);
    } finally {
      runDb.close();
    }

    // GRPO finds the newest built-in SFT checkpoint itself.
    const grpo = frustum(['train', path, '--engine', 'builtin', '--objective', 'grpo', ...SMALL, '--set', 'trainer.max_steps=2', '--set', 'worker.rollout.n=4', '--set', 'data.rollout_batch_size=4', '--set', 'trainer.save_freq=1', '--set', 'trainer.val_freq=1']);
    expect(grpo.code, grpo.stderr).toBe(0);
    const grpoJob = lastJobId(path);
    const grpoFolder = join(path.replace(/\.frustum$/, '.runs'), String(grpoJob));
    const config = parseYaml(readFileSync(join(grpoFolder, 'builtin.yaml'), 'utf8')) as { model: { init_checkpoint: string } };
    expect(config.model.init_checkpoint).toBe(sftCheckpoint);
    const grpoMetrics = metricKeys(path, grpoJob);
    for (const key of ['reward/overall', 'reward/format', 'reward/accuracy', 'actor/pg_loss', 'actor/kl_loss', 'actor/entropy_loss', 'response_length/mean']) {
      expect(grpoMetrics.get(key), key).toEqual([1, 2]);
    }
    // EasyR1 validates before the first step and logs it as step 0.
    expect(grpoMetrics.get('val/reward_score')).toEqual([0, 1, 2]);
    const db = track(openProject(path, { readonly: true }));
    try {
      expect(rolloutSteps(db, [grpoJob])).toEqual([1, 2]);
      const groups = rolloutsOfStep(db, [grpoJob], 1);
      expect(groups).toHaveLength(4);
      for (const group of groups) {
        const responses = JSON.parse(group.responses) as Array<{ advantage: number }>;
        expect(responses).toHaveLength(4);
        const advantages = responses.map((response) => response.advantage);
        // Group-normalised: the advantages of a group sum to zero.
        expect(Math.abs(advantages.reduce((sum, value) => sum + value, 0))).toBeLessThan(1e-6);
      }
    } finally {
      db.close();
    }

    const resumed = frustum(['train', path, '--resume', String(grpoJob), '--set', 'trainer.max_steps=3']);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).toContain('resuming after step 2');
    const resumeJob = lastJobId(path);
    expect(metricKeys(path, resumeJob).get('reward/overall')).toEqual([3]);
    expect(existsSync(join(grpoFolder, 'checkpoints', 'global_step_3', 'actor', 'decoder.onnx'))).toBe(true);
  });
});
