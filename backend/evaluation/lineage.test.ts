// A run's lineage: a built-in run back through its checkpoint and training job (the run folder's
// run.json, as backend/engines/runFolder.ts writes it) to the dataset snapshot it trained on; a
// job whose run.json is gone, from its row; an imported run, from its file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLineage, type InferenceSettings } from '../../common/api/contract';
import { createProject } from '../../db/connection';
import { insertJob } from '../../db/jobs';
import { getRun } from '../../db/runs';
import { addRun } from '../../tests/support/evalRuns';
import { tempDir, track } from '../../tests/support/tempDir';
import { runFolderOf, writeRunDescription, type RunDescription } from '../engines/runFolder';
import { importFiles } from '../formats/importFiles';
import { runLineageOf } from './lineage';

function builtinSettings(checkpoint: string): InferenceSettings {
  return { engine: 'builtin', model: checkpoint, temperature: 0, maxTokens: 256, frames: { sampling: 'first', parts: 'images', fps: 1, maxFrames: 64, maxPixels: 1_048_576 } };
}

describe('run lineage', () => {
  it('a built-in run: its checkpoint, the training job that made it, and that job\'s dataset snapshot', () => {
    const folder = tempDir();
    const path = join(folder, 'p.frustum');
    const db = track(createProject(path));
    const runFolder = runFolderOf(path, 7);
    mkdirSync(runFolder, { recursive: true });
    const description: RunDescription = {
      engine: 'builtin',
      objective: 'sft',
      model: 'builtin',
      runName: 'p-job-7',
      jobId: 7,
      request: { engine: 'builtin', objective: 'sft' },
      python: 'python3',
      paths: { metricsLog: join(runFolder, 'metrics.jsonl'), checkpointFolder: join(runFolder, 'checkpoints'), rollouts: null },
      snapshot: { hash: 'a'.repeat(64), samples: 60, filter: { split: ['train'] } },
      notes: [],
    };
    writeRunDescription(runFolder, description);
    const checkpoint = join(runFolder, 'checkpoints', 'global_step_10', 'actor');
    const settings = builtinSettings(checkpoint);
    const runId = addRun(db, `builtin:${checkpoint}`, [], { settings, concurrency: 1, snapshotHash: 'b'.repeat(64), filter: { split: ['test'] }, trainJobId: 7 });
    const lineage = runLineageOf(db, path, getRun(db, runId) ?? (() => { throw new Error('no run'); })());
    expect(runLineage.parse(lineage)).toEqual(lineage);
    expect(lineage).toMatchObject({
      runId,
      kind: 'inference',
      model: `builtin:${checkpoint}`,
      settings,
      snapshotHash: 'b'.repeat(64),
      filter: { split: ['test'] },
      trainJob: { jobId: 7, engine: 'builtin', objective: 'sft', runFolder, snapshotHash: 'a'.repeat(64), samples: 60 },
      checkpoint,
      source: null,
    });
    db.close();
  });

  it("a training job whose run.json is gone: engine and objective from the job's row, its snapshot unknown", () => {
    const folder = tempDir();
    const path = join(folder, 'p.frustum');
    const db = track(createProject(path));
    const job = insertJob(db, { kind: 'train', title: 'GRPO with EasyR1', params: JSON.stringify({ request: { engine: 'easyr1', objective: 'grpo' } }), logPathOf: (id) => join(folder, `${id}.log`) });
    const runId = addRun(db, 'builtin:x', [], { settings: builtinSettings('/elsewhere/actor'), concurrency: 1, snapshotHash: 'c'.repeat(64), filter: {}, trainJobId: job.id });
    const lineage = runLineageOf(db, path, getRun(db, runId) ?? (() => { throw new Error('no run'); })());
    expect(lineage.trainJob).toEqual({ jobId: job.id, engine: 'easyr1', objective: 'grpo', runFolder: runFolderOf(path, job.id), snapshotHash: null, samples: null });
    expect(lineage.checkpoint).toBe('/elsewhere/actor');
    db.close();
  });

  it('an imported results file: the file it came from and the model path it names', () => {
    const folder = tempDir();
    const path = join(folder, 'p.frustum');
    const db = track(createProject(path));
    const results = join(folder, 'qwen.json');
    writeFileSync(results, JSON.stringify({
      results: [{
        problem_id: 'Pan_Left_1', problem: 'Does the camera pan to the left?', data_type: 'video', problem_type: 'multiple choice',
        options: ['A. No', 'B. Yes'], process: '', solution: '<answer>B</answer>', path: 'video/x.mp4', data_source: 'camerabench',
        dataset: 'camerabench', output: '<answer>B</answer>', prediction: 'B', accuracy: 1.0,
      }],
      metrics: { 'overall/acc': 1 },
      meta: { batch_size: 128, model_path: './sft_model', input_json: 'camerabench_binary.json' },
    }));
    importFiles(db, [results]);
    const lineage = runLineageOf(db, path, getRun(db, 1) ?? (() => { throw new Error('no run'); })());
    expect(lineage).toMatchObject({ runId: 1, kind: 'evaluation', model: './sft_model', settings: null, trainJob: null, checkpoint: './sft_model', source: results });
    expect(runLineage.parse(lineage)).toEqual(lineage);
    db.close();
  });
});
