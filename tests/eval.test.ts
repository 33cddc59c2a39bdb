// `frustum eval` end to end, run as a separate process the way users run it: the tables in their
// layouts with each row's basis, the matrices, the notes and the lineage; --json; usage mistakes
// (exit 2); and a judge behind the FAKE OpenAI-compatible server for captions' gen_match.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvalReport, RunLineage } from '../common/api/contract';
import { primitiveInfo } from '../common/camerabench/primitives';
import { importFiles } from '../backend/formats/importFiles';
import { createProject } from '../db/connection';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './fakes/openaiServer';
import { frustum, frustumJson } from './support/cli';
import { addRun, itemSampleIds } from './support/evalRuns';
import { tempDir, track } from './support/tempDir';

const BIN = join(__dirname, '..', 'bin', 'frustum.js');

/** CamReasoner's results file for pan-left questions: 3 Yes, 5 No, answered "B" (Yes) on clips 0–3. */
function resultsProject(): string {
  const folder = tempDir();
  const project = join(folder, 'p.frustum');
  expect(frustum(['init', project]).code).toBe(0);
  const info = primitiveInfo('Pan_Left');
  const results = Array.from({ length: 8 }, (_, index) => {
    const isYes = index < 3;
    const said = index < 4 ? 'B' : 'A';
    return {
      problem_id: `Pan_Left_${index + 1}`, problem: info.question, data_type: 'video', problem_type: 'multiple choice',
      options: ['A. No', 'B. Yes'], process: '', solution: `<answer>${isYes ? 'B' : 'A'}</answer>`, path: `video/clip${index}.mp4`,
      data_source: 'camerabench', dataset: 'camerabench', id: `Pan_Left_${index}`,
      output: `<answer>${said}</answer>`, prediction: said, accuracy: (said === 'B') === isYes ? 1 : 0,
    };
  });
  const file = join(folder, 'qwen.json');
  writeFileSync(file, JSON.stringify({ results, metrics: { 'overall/acc': 7 / 8 }, meta: { batch_size: 128, model_path: './sft_model', input_json: 'camerabench_binary.json' } }, null, 2));
  expect(frustum(['import', project, file]).code).toBe(0);
  return project;
}

/** Runs the CLI without blocking this process (a fake server here must answer it). */
function frustumAsync(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('frustum eval', () => {
  it('prints Table 1 with each row\'s basis, the majority baseline and the published rows, the notes and the lineage', () => {
    const project = resultsProject();
    const result = frustum(['eval', project, '--run', '1']);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('== camerabench-binary: run 1 (./sft_model), 8 items, 8 answered; scored from the answers (a Yes/No answer as 1/0): no log-probs');
    expect(out).toContain('CameraBench binary classification, Table-1 layout (%)');
    expect(out).toMatch(/Move In\s+Move Out\s+Move Up.*Static\s+Avg/);
    // eval_bench: 7 of 8 right. AP from the letters: at score 1, P = 3/4, R = 1 → 75.0; ROC AUC: each
    // Yes (scored 1) ties the one No scored 1 and beats the other four → 3 · 4.5 of 15 pairs = 90.0.
    expect(out).toMatch(/\[3\] Run 1 \(\.\/sft_model\): accuracy\s+(?:-\s+){8}87\.5\s+(?:-\s+){6}87\.5/);
    expect(out).toMatch(/\[2\] Run 1 \(\.\/sft_model\): ROC AUC\s+(?:-\s+){8}90\.0/);
    expect(out).toMatch(/\[1\] Run 1 \(\.\/sft_model\): AP\s+(?:-\s+){8}75\.0/);
    expect(out).toMatch(/~ \[5\] Always "No": accuracy\s+(?:-\s+){8}62\.5/);
    expect(out).toMatch(/\* \[6\] CamReasoner-7B \(paper, Table 1\)\s+68\.7/);
    expect(out).toContain("CamReasoner's own Table-1 row is ACCURACY while its baselines");
    expect(out).toContain('Lineage of run 1 (evaluation');
    expect(out).toContain('checkpoint: ./sft_model');
    expect(out).toMatch(/imported from: .*qwen\.json/);

    const json = frustumJson<{ lineage: RunLineage; reports: EvalReport[] }>(['eval', project]);
    expect(json.code).toBe(0);
    expect(json.json.lineage).toMatchObject({ runId: 1, kind: 'evaluation', source: expect.stringMatching(/qwen\.json$/) });
    expect(json.json.reports.map((report) => report.benchmark)).toEqual(['camerabench-binary']);
    const only = frustumJson<{ reports: EvalReport[] }>(['eval', project, '--benchmark', 'shotbench']);
    expect(only.json.reports[0]).toMatchObject({ benchmark: 'shotbench', items: 0 });
  });

  it('refuses usage mistakes with exit 2', () => {
    const project = resultsProject();
    const missing = frustum(['eval', project, '--run', '9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run 9; runs: 1');
    expect(frustum(['eval', project, '--benchmark', 'imagenet']).code).toBe(2);
    const halfJudge = frustum(['eval', project, '--judge-endpoint', 'http://127.0.0.1:9']);
    expect(halfJudge.code).toBe(2);
    expect(halfJudge.stderr).toContain('a judge needs both --judge-endpoint URL and --judge-model NAME');
    const unsetKey = frustum(['eval', project, '--judge-endpoint', 'http://127.0.0.1:9', '--judge-model', 'm', '--judge-api-key-env', 'FRUSTUM_TEST_UNSET_KEY']);
    expect(unsetKey.code).toBe(2);
    expect(unsetKey.stderr).toContain('FRUSTUM_TEST_UNSET_KEY is not set');
  });

  it('asks a judge for gen_match when one is named, and says "not computed" when none is', async () => {
    const folder = tempDir();
    const project = join(folder, 'p.frustum');
    const db = track(createProject(project));
    const captions = join(folder, 'caption_data.json');
    writeFileSync(captions, JSON.stringify([
      { video: 'a.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera pans left slowly.' },
      { video: 'b.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera remains fixed.' },
    ]));
    importFiles(db, [captions]);
    const samples = itemSampleIds(db, 'camerabench-caption');
    addRun(db, 'captioner', [{ sampleId: samples[0] as number, output: 'The camera pans left.' }, { sampleId: samples[1] as number, output: 'The camera zooms in.' }]);
    db.close();

    const plain = frustum(['eval', project]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/gen_match: not computed/);

    server = await startFakeOpenAIServer({ model: 'judge', reply: (body) => ((body['messages'][0].content as string).includes("'The camera pans left.'") ? 'Yes' : 'No') });
    const judged = await frustumAsync(['eval', project, '--judge-endpoint', server.baseUrl, '--judge-model', 'judge']);
    expect(judged.code, judged.stderr).toBe(0);
    // One caption matches, one does not: gen_match 0.5.
    expect(judged.stdout).toMatch(/Run 1 \(captioner\)\s+2\s+2(?:\s+\d\.\d{4}){5}\s+0\.5000/);
    expect(judged.stdout).toContain('gen_match: judge at http');
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);
  });
});
