// What a run stores for a caption, and which samples a built-in run leaves out (issue 13 item 3).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors';
import { createProject } from '../../db/connection';
import { runSampleOrder } from '../../db/runs';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import type { EngineAnswer } from './engine';
import { freezeInferenceRun, storedPrediction } from './runInference';
import { CAMREASONER_SETTINGS } from './engine';

const answer = (output: string): EngineAnswer => ({ output, frames: [], yesProbability: null, completionTokens: 9, firstTokenMs: 1, durationMs: 2, finishReason: 'stop' });

describe('storedPrediction', () => {
  it('keeps a caption whole, ungraded; a multiple-choice answer as eval_bench reads it', () => {
    const caption = 'The camera pans left. <answer>A</answer>\n';
    expect(storedPrediction(1, answer(caption), null, 'free-form')).toMatchObject({ output: caption, prediction: caption, accuracy: null });
    expect(storedPrediction(1, answer('<think>t</think><answer>B</answer>'), 'B')).toMatchObject({ prediction: 'B', accuracy: 1 });
    expect(storedPrediction(1, answer('<answer>A</answer>'), 'B', 'multiple choice')).toMatchObject({ prediction: 'A', accuracy: 0 });
  });
});

describe('freezeInferenceRun', () => {
  it('a built-in run leaves free-form samples out and counts them; an OpenAI-compatible run keeps them', () => {
    const folder = tempDir();
    const project = join(folder, 'p.frustum');
    const db = track(createProject(project));
    const captions = join(folder, 'caption_data.json');
    writeFileSync(captions, JSON.stringify([{ video: 'a.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera pans left.' }]));
    const questions = join(folder, 'camerabench_binary.json');
    writeFileSync(questions, JSON.stringify([{ problem_id: 'Pan_Left_1', problem: 'Does the camera pan left?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], process: '', solution: '<answer>B</answer>', path: 'video/b.mp4', data_source: 'camerabench', dataset: 'camerabench', output: [], id: 'Pan_Left_1' }], null, 2));
    importFiles(db, [captions, questions]);
    const sampleIds = (db.prepare('SELECT id FROM samples ORDER BY id').all() as Array<{ id: number }>).map((row) => row.id);
    expect(sampleIds).toHaveLength(2);
    const checkpoint = join(folder, 'checkpoint');
    mkdirSync(checkpoint);
    writeFileSync(join(checkpoint, 'model.json'), '{}');
    const builtin = { ...CAMREASONER_SETTINGS, engine: 'builtin' as const, model: checkpoint };
    const frozen = freezeInferenceRun(db, project, { settings: builtin, concurrency: 1 }, { sampleIds });
    expect(frozen).toMatchObject({ samples: 1, withoutClip: 0, freeFormSkipped: 1 });
    expect(runSampleOrder(db, frozen.runId)).toEqual([sampleIds[1]]);
    const openai = { ...CAMREASONER_SETTINGS, engine: 'openai' as const, endpoint: 'http://127.0.0.1:9/v1', model: 'm' };
    expect(freezeInferenceRun(db, project, { settings: openai, concurrency: 1 }, { sampleIds })).toMatchObject({ samples: 2, freeFormSkipped: 0 });
    expect(() => freezeInferenceRun(db, project, { settings: builtin, concurrency: 1 }, { sampleIds: [sampleIds[0] as number] })).toThrow(UsageError);
    db.close();
  });
});
