// `frustum export --format results`: CamReasoner's evaluator output file, byte for byte as
// Inference/infer/eval_bench.py writes it. The expected files are what eval_bench itself wrote
// for the same records and model texts (tests/reference/evalBenchOracle.py).
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors';
import { appendRevision } from '../../db/chains';
import { createProject, type WritableDB } from '../../db/connection';
import { insertInferenceRun, savePredictions, type StoredPrediction } from '../../db/inference';
import { tempDir, track } from '../../tests/support/tempDir';
import { caseExpected, caseTexts, EVAL_BENCH_CASES, REFERENCE } from '../../tests/support/evalBenchCases';
import { exportProject } from './exportFiles';
import { importFiles } from './importFiles';

function evalBenchCase(name: string): { records: Array<Record<string, unknown>>; texts: Array<string | null>; expected: string } {
  const found = EVAL_BENCH_CASES.find((entry) => entry.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return { records: found.records, texts: caseTexts(found), expected: caseExpected(found) };
}

function newProject(folder = tempDir()): { db: WritableDB; folder: string } {
  return { db: track(createProject(join(folder, 'p.frustum'))), folder };
}

function sampleIdOf(db: WritableDB, problemId: string): number {
  return (db.prepare('SELECT id FROM samples WHERE problem_id = ?').get(problemId) as { id: number }).id;
}

function prediction(sampleId: number, output: string | null, error: string | null = null): StoredPrediction {
  return {
    sample_id: sampleId,
    output,
    prediction: null,
    accuracy: null,
    score: null,
    error,
    frames: null,
    completion_tokens: null,
    first_token_ms: null,
    duration_ms: null,
    finish_reason: null,
  };
}

describe('results export of a Frustum run', () => {
  it("writes eval_bench's file: run order, output in place, prediction and float accuracy appended, ERROR for a failed generation", () => {
    const { db, folder } = newProject();
    const { records, texts, expected } = evalBenchCase('frustum-run');
    const unanswered = { ...records[0], problem_id: 'Tilt_Up_2', problem: 'Does the camera tilt upward?', path: 'video/d.mp4', id: 'Tilt_Up_2' };
    // The evaluation file lists the questions in another order than the run asks them.
    const input = join(folder, 'questions.json');
    writeFileSync(input, JSON.stringify([records[2], unanswered, records[1], records[0]], null, 2));
    importFiles(db, [input]);
    const [first, second, third] = records.map((record) => sampleIdOf(db, String(record['problem_id']))) as [number, number, number];
    const runId = insertInferenceRun(db, {
      model: 'Qwen/Qwen2.5-VL-7B-Instruct',
      meta: JSON.stringify({ settings: { temperature: 0 }, concurrency: 2 }),
      sampleIds: [first, second, third, sampleIdOf(db, 'Tilt_Up_2')],
    });
    savePredictions(db, runId, [
      prediction(first, texts[0] ?? null),
      prediction(second, texts[1] ?? null),
      // A failure keeps what had streamed before it; eval_bench has no text for a failed batch.
      prediction(third, '<observation>half', 'HTTP 500 from the server'),
    ]);
    const out = join(folder, 'qwen.json');
    const report = exportProject(db, { format: 'results', out, run: runId });
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(report).toMatchObject({ format: 'results', run: runId, records: 3, errors: 1, verbatim: 3, changed: 0, fresh: 0 });
    expect(report.skipped).toEqual([{ reason: `not answered yet in run ${runId}`, count: 1 }]);

    // The file imports back as a run and exports again unchanged.
    const again = newProject(tempDir());
    const imported = importFiles(again.db, [out]);
    expect(imported.predictions).toBe(3);
    const exportedAgain = join(again.folder, 'again.json');
    expect(exportProject(again.db, { format: 'results', out: exportedAgain })).toMatchObject({ records: 3, errors: 0, verbatim: 3 });
    expect(readFileSync(exportedAgain, 'utf8')).toBe(expected);
    again.db.close();
    db.close();
  });

  it('writes a fresh evaluation record for a sample no evaluation file held, and null batch_size without a concurrency', () => {
    const { db, folder } = newProject();
    const sft = [
      {
        messages: [
          { role: 'user', content: '<video>Does the camera pan to the left?\nOptions:\nA. No\nB. Yes' },
          { role: 'assistant', content: '<observation>o</observation><think>t</think><answer>B</answer>' },
        ],
        videos: ['video/a.mp4'],
      },
    ];
    const input = join(folder, 'sft.json');
    writeFileSync(input, JSON.stringify(sft, null, 2));
    importFiles(db, [input]);
    const sampleId = (db.prepare('SELECT id FROM samples').get() as { id: number }).id;
    const runId = insertInferenceRun(db, { model: 'm', meta: '{}', sampleIds: [sampleId] });
    savePredictions(db, runId, [prediction(sampleId, '<answer>B</answer>')]);
    const out = join(folder, 'results.json');
    expect(exportProject(db, { format: 'results', out })).toMatchObject({ records: 1, fresh: 1 });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<Record<string, unknown>>; meta: unknown };
    expect(Object.keys(written.results[0]!)).toEqual([
      'problem_id',
      'problem',
      'data_type',
      'problem_type',
      'options',
      'process',
      'solution',
      'path',
      'data_source',
      'dataset',
      'output',
      'id',
      'prediction',
      'accuracy',
    ]);
    expect(written.results[0]).toMatchObject({ output: '<answer>B</answer>', prediction: 'B', accuracy: 1, solution: '<answer>B</answer>' });
    expect(written.meta).toEqual({ batch_size: null, model_path: 'm', input_json: 'p.frustum' });
    expect(readFileSync(out, 'utf8')).toContain('"accuracy": 1.0\n');
    db.close();
  });
});

describe('results export of an imported results file', () => {
  it("gives eval_bench's own file back byte for byte (integer ids, a 5.0, a problem type of its own, a failed batch)", () => {
    const { db, folder } = newProject();
    const { expected } = evalBenchCase('round-trip');
    const input = join(folder, 'qwen.json');
    copyFileSync(join(REFERENCE, 'eval-bench-results', 'round-trip.json'), input);
    const imported = importFiles(db, [input]);
    const runId = imported.runs[0]!;
    const out = join(folder, 'exported.json');
    const report = exportProject(db, { format: 'results', out, run: runId });
    expect(report).toMatchObject({ records: 4, verbatim: 4, changed: 0, errors: 0, skipped: [] });
    expect(readFileSync(out, 'utf8')).toBe(expected);
    db.close();
  });

  it('rescores an edited record as eval_bench would: the chain lands in "process", the metrics follow the answers', () => {
    const { db, folder } = newProject();
    const input = join(folder, 'qwen.json');
    copyFileSync(join(REFERENCE, 'eval-bench-results', 'round-trip.json'), input);
    importFiles(db, [input]);
    appendRevision(db, sampleIdOf(db, '601'), '<observation>edited</observation><think>t</think><answer>B</answer>', { kind: 'person', name: 'test' });
    const out = join(folder, 'exported.json');
    expect(exportProject(db, { format: 'results', out })).toMatchObject({ records: 4, verbatim: 3, changed: 1 });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<Record<string, unknown>>; metrics: unknown };
    expect(written.results[0]).toMatchObject({ process: '<observation>edited</observation><think>t</think><answer>B</answer>', prediction: 'B', accuracy: 1 });
    expect(written.metrics).toEqual({ 'overall/acc': 0.5, 'multiple choice/acc': 1 / 3, 'Multiple Choice/acc': 1 });
    db.close();
  });

  it('keeps an output that is not text (a list of outputs) with the prediction and accuracy the file gave, as floats', () => {
    const { db, folder } = newProject();
    const record = {
      problem_id: 7,
      problem: 'Does the camera pan to the left?',
      data_type: 'video',
      problem_type: 'multiple choice',
      options: ['A. No', 'B. Yes'],
      process: '',
      solution: '<answer>B</answer>',
      path: 'video/a.mp4',
      output: ['<answer>B</answer>', '<answer>A</answer>'],
      prediction: 'B',
      accuracy: 1,
    };
    const input = join(folder, 'lists.json');
    writeFileSync(input, JSON.stringify({ results: [record], metrics: { 'overall/acc': 1 }, meta: { model_path: 'm' } }, null, 2));
    importFiles(db, [input]);
    const out = join(folder, 'out.json');
    expect(exportProject(db, { format: 'results', out })).toMatchObject({ records: 1, verbatim: 1 });
    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text)).toEqual({ results: [record], metrics: { 'overall/acc': 1, 'multiple choice/acc': 1 }, meta: { model_path: 'm' } });
    expect(text).toContain('      "accuracy": 1.0\n    }');
    expect(text).toContain('"overall/acc": 1.0,');
    db.close();
  });

  it('refuses a run of CameraBench scores and a run that does not exist', () => {
    const { db, folder } = newProject();
    const scores = join(folder, 'scores.json');
    writeFileSync(
      scores,
      JSON.stringify({
        metadata: { model_name: 'm' },
        scores: [{ sample_id: 'Pan_Left_1', video_path: 'a.mp4', question: 'Does the camera pan to the left?', ground_truth_label: 'Yes', score: 0.9, error: null }],
      }),
    );
    importFiles(db, [scores]);
    const out = join(folder, 'out.json');
    expect(() => exportProject(db, { format: 'results', out })).toThrow(UsageError);
    expect(() => exportProject(db, { format: 'results', out })).toThrow(/camerabench-scores/);
    expect(() => exportProject(db, { format: 'results', out, run: 7 })).toThrow(/no run 7; runs: 1/);
    db.close();
  });
});
