// The `frustum` commands end to end, run as a separate process the way users and scripts run
// them: output, --json, exit codes, and what ends up in the project file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePatternClip } from '../backend/media/testClips';
import { primitiveInfo, type Primitive } from '../common/camerabench/primitives';
import { sftUserContent } from '../common/formats/prompts';
import { syntheticRl, syntheticSft } from './fixtures/syntheticDatasets';
import { frustum, frustumJson } from './support/cli';
import { tempDir } from './support/tempDir';

const SHARED = join(__dirname, '..', '..', 'shared', 'data');
const EVAL_FILE = join(SHARED, 'camreasoner', 'camerabench_binary.json');
const hasShared = existsSync(EVAL_FILE);

function setup(): { folder: string; project: string } {
  const folder = tempDir();
  const project = join(folder, 'p.frustum');
  expect(frustum(['init', project]).code).toBe(0);
  return { folder, project };
}

function write(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

describe('frustum', () => {
  it('prints help and exits 0; a usage mistake exits 2', () => {
    const help = frustum(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'import', 'export', 'stats', 'validate', 'score', 'reward', 'relink']) expect(help.stdout).toContain(command);
    expect(frustum(['import']).code).toBe(2);
    expect(frustum(['export', 'x.frustum', '--format', 'xml', '--out', 'y']).code).toBe(2);
    expect(frustum(['no-such-command']).code).toBe(2);
  });

  it('init refuses to overwrite', () => {
    const { project } = setup();
    const again = frustum(['init', project]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('imports, reports stats, exports and validates SFT data', () => {
    const { folder, project } = setup();
    const sft = write(join(folder, 'sft.json'), syntheticSft({ count: 45, seed: 21 }));
    const rl = write(join(folder, 'rl.json'), syntheticRl({ count: 30, seed: 22 }));
    const imported = frustumJson<{ ok: boolean; samplesAdded: number; chainsAdded: number }>(['import', project, sft, rl]);
    expect(imported.code).toBe(0);
    expect(imported.json).toMatchObject({ ok: true, samplesAdded: 75, chainsAdded: 45 });

    const stats = frustumJson<{ samples: { total: number; byKind: Record<string, number>; bySplit: Record<string, number> }; chainLength: { count: number; p50: number }; chainCharacters: { count: number; p50: number }; clips: { byStatus: Record<string, number> } }>(['stats', project]);
    expect(stats.code).toBe(0);
    expect(stats.json.samples.total).toBe(75);
    expect(stats.json.samples.byKind).toEqual({ rl: 30, sft: 45 });
    expect(stats.json.samples.bySplit).toEqual({ train: 75 });
    expect(stats.json.chainLength.count).toBe(45);
    // Words, as the studio's Library and Stats count them (backend/facts); characters beside them.
    expect(stats.json.chainLength.p50).toBeGreaterThan(15);
    expect(stats.json.chainCharacters.count).toBe(45);
    expect(stats.json.chainCharacters.p50).toBeGreaterThan(100);
    expect(stats.json.clips.byStatus).toEqual({ missing: 5 });
    expect(frustum(['stats', project]).stdout).toMatch(/by primitive/);

    const out = join(folder, 'export', 'train.json');
    const exported = frustumJson<{ records: number; verbatim: number }>(['export', project, '--format', 'sft', '--out', out]);
    expect(exported.json).toMatchObject({ records: 45, verbatim: 45 });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(sft, 'utf8'));
    expect(existsSync(join(folder, 'export', 'dataset_info.json'))).toBe(true);

    const valid = frustum(['validate', sft]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/ok: no errors/);
  });

  it('rejects a bad import with exit 1, names the record, and changes nothing', () => {
    const { folder, project } = setup();
    const records = syntheticRl({ count: 10, seed: 23 }) as Array<Record<string, unknown>>;
    records[4] = { ...records[4], videos: 'video/x.mp4' };
    const bad = write(join(folder, 'bad.json'), records);
    const result = frustum(['import', project, bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}, record 4`);
    expect(result.stderr).toMatch(/field "videos"/);
    const stats = frustumJson<{ samples: { total: number }; sources: number }>(['stats', project]);
    expect(stats.json.samples.total).toBe(0);
    expect(stats.json.sources).toBe(0);
  });

  it('validate exits 3 when it finds errors and lists them in --json', () => {
    const { folder } = setup();
    const records = syntheticSft({ count: 5, seed: 24 }) as Array<{ messages: Array<{ content: string }> }>;
    records[2]!.messages[1]!.content = '<think>no observation</think><answer>B</answer>';
    const file = write(join(folder, 'sft.json'), records);
    const result = frustumJson<{ ok: boolean; errors: number; findings: Array<{ record: number; code: string }> }>(['validate', file]);
    expect(result.code).toBe(3);
    expect(result.json.ok).toBe(false);
    expect(result.json.findings.some((finding) => finding.record === 2)).toBe(true);
  });

  it('stores readings, reuses them, and checks chains against them in validate and stats', async () => {
    const { folder, project } = setup();
    const clips = join(folder, 'clips');
    mkdirSync(clips);
    await makePatternClip(clips, 'cellauto', 'pan-right');
    await makePatternClip(clips, 'cellauto', 'still');
    const record = (clip: string, primitive: Primitive, chain: string) => ({
      messages: [{ role: 'user', content: sftUserContent(primitiveInfo(primitive).question, ['A. No', 'B. Yes']) }, { role: 'assistant', content: chain }],
      videos: [`clips/${clip}`],
    });
    const wrong = '<observation>The pattern drifts to the left.</observation><think>So the camera pans left.</think><answer>B</answer>';
    const sft = write(join(folder, 'sft.json'), [
      record('cellauto-pan-right.mp4', 'Pan_Right', '<observation>The pattern drifts to the left, the same everywhere.</observation><think>Uniform drift without parallax is a rotation: the camera pans right.</think><answer>B</answer>'),
      record('cellauto-pan-right.mp4', 'Pan_Left', wrong),
      record('cellauto-still.mp4', 'Static', '<observation>Nothing in the picture changes.</observation><think>The camera remains static.</think><answer>B</answer>'),
    ]);
    expect(frustumJson(['import', project, sft, '--videos', folder]).json).toMatchObject({ ok: true, samplesAdded: 3, clipsMissing: 0 });
    // Checked alone, the file is fine: every chain agrees with its own answer.
    expect(frustum(['validate', sft]).code).toBe(0);
    // Nothing analyzed yet: nothing to contradict.
    expect(frustum(['validate', project]).code).toBe(0);

    type Analyzed = { clips: { analyzed: number; reused: number; failed: number } };
    expect(frustumJson<Analyzed>(['analyze', project]).json.clips).toEqual({ analyzed: 2, reused: 0, failed: 0, notOnDisk: 0 });
    const again = frustum(['analyze', project]);
    expect(again.stdout).toMatch(/clips reused .*\s2$/m);
    expect(frustumJson<Analyzed>(['analyze', project, '--force']).json.clips).toMatchObject({ analyzed: 2, reused: 0 });
    // Other settings are another reading; going back to the first settings reuses the stored one.
    expect(frustumJson<Analyzed>(['analyze', project, '--fps', '6']).json.clips).toMatchObject({ analyzed: 2, reused: 0 });
    expect(frustumJson<Analyzed>(['analyze', project]).json.clips).toMatchObject({ analyzed: 0, reused: 2 });
    // A given lens is a setting too; 'auto' (the default) reads it from each clip.
    expect(frustumJson<Analyzed>(['analyze', project, '--fov', '45']).json.clips).toMatchObject({ analyzed: 2, reused: 0 });
    expect(frustumJson<Analyzed>(['analyze', project, '--fov', 'auto']).json.clips).toMatchObject({ analyzed: 0, reused: 2 });
    const badFov = frustum(['analyze', project, '--fov', 'wide']);
    expect([badFov.code, badFov.stderr]).toEqual([2, expect.stringContaining("--fov must be 'auto' or degrees")]);

    type Validated = { ok: boolean; errors: number; findings: Array<{ file: string; record: number; code: string; section: string; start: number; end: number; kind: string; message: string; clip: string }> };
    const validated = frustumJson<Validated>(['validate', project, sft]);
    expect(validated.code).toBe(3);
    const found = validated.json.findings.filter((finding) => finding.code === 'contradicts-analysis');
    expect(found.map((finding) => [finding.record, finding.section, finding.kind])).toEqual([[2, 'think', 'opposite-direction'], [2, 'answer', 'answer']]);
    expect(wrong.slice(found[0]!.start, found[0]!.end)).toBe('pans left');
    expect(found[0]!.message).toMatch(/says "pans left"; measured: the content drifts left.* → pan right \(score (?:0\.[89]\d|1\.00)\)/);
    expect(found[0]!.clip).toBe('cellauto-pan-right.mp4');
    // The file's own findings are as before: none.
    expect(validated.json.findings.filter((finding) => finding.file === sft)).toEqual([]);
    expect(frustum(['validate', project]).stdout).toMatch(/error: .*p\.frustum, sample 2 \(clip cellauto-pan-right\.mp4\): think: says "pans left"/);

    const stats = frustumJson<{ clips: { analyzed: number }; contradictions: { chains: number; total: number; checked: number; byKind: Record<string, number> } }>(['stats', project]);
    expect(stats.json.clips.analyzed).toBe(2);
    expect(stats.json.contradictions).toMatchObject({ chains: 1, total: 2, checked: 3, byKind: { 'opposite-direction': 1, answer: 1, 'absent-motion': 0, 'not-static': 0, 'denied-motion': 0 } });
    expect(frustum(['stats', project]).stdout).toMatch(/contradictions with the analyzer: 1 chain\(s\), 2 claim\(s\)/);
  });

  it('computes rewards line by line as the trainer does', () => {
    const input = [
      { response: '<observation>o</observation><think>t</think><answer>B</answer>', ground_truth: '<answer>B</answer>' },
      { response: '<think>t</think><answer>b</answer>', ground_truth: 'B' },
      { response: 'A', ground_truth: 'B' },
    ].map((line) => JSON.stringify(line)).join('\n');
    const result = frustum(['reward', '-'], { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '{"format": 1.0, "accuracy": 1.0, "overall": 1.0}\n{"format": 0.0, "accuracy": 1.0, "overall": 0.9}\n{"format": 0.0, "accuracy": 0.0, "overall": 0.0}\n',
    );
    const r1v = frustumJson<{ results: Array<{ overall: number }> }>(['reward', '-', '--variant', 'r1v'], { input });
    // r1v wants <think> first (the observation breaks its format) and compares the ground truth
    // as written, so a wrapped "<answer>B</answer>" never matches.
    expect(r1v.json.results.map((r) => r.overall)).toEqual([0, 1, 0]);
    const bad = frustum(['reward', '-'], { input: '{"response": 1}\n' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/<stdin>, record 0, line 1/);
  });

  it('scores evaluation results with the evaluator rule', () => {
    const { folder } = setup();
    const make = (id: number, answer: string, output: string) => ({
      problem_id: `Pan_Left_${id}`, problem: 'Does the camera pan to the left?', data_type: 'video', problem_type: 'multiple choice',
      options: ['A. No', 'B. Yes'], process: '', solution: `<answer>${answer}</answer>`, path: `video/${id}.mp4`, data_source: 'camerabench',
      dataset: 'camerabench', output, prediction: '', accuracy: 0,
    });
    const file = write(join(folder, 'results.json'), {
      results: [make(1, 'B', '<answer>B</answer>'), make(2, 'A', '<answer>b. yes</answer>'), make(3, 'B', 'B. Yes'), make(4, 'A', '<answer>A</answer>')],
      metrics: {},
      meta: { model_path: 'm' },
    });
    const result = frustumJson<{ results: Array<{ metrics: Record<string, number>; mismatches: number }> }>(['score', file]);
    expect(result.code).toBe(0);
    expect(result.json.results[0]?.metrics).toEqual({ 'overall/acc': 0.75, 'multiple choice/acc': 0.75 });
    expect(result.json.results[0]?.mismatches).toBe(3);
    expect(frustum(['score', file]).stdout).toMatch(/Pan_Left\s+75\.0%/);
  });

  it('refuses to score a file that holds no predictions', () => {
    const { folder } = setup();
    const file = write(join(folder, 'rl.json'), syntheticRl({ count: 2, seed: 25 }));
    const result = frustum(['score', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is a rl file; score takes/);
  });

  it('relinks missing clips to a folder', () => {
    const { folder, project } = setup();
    frustum(['import', project, write(join(folder, 'rl.json'), syntheticRl({ count: 30, seed: 26 }))]);
    mkdirSync(join(folder, 'clips', 'deep'), { recursive: true });
    writeFileSync(join(folder, 'clips', 'deep', 'rl_1.mp4'), 'x');
    const result = frustumJson<{ relinked: number; stillMissing: number }>(['relink', project, join(folder, 'clips')]);
    expect(result.json).toMatchObject({ relinked: 1, stillMissing: 1 });
  });

  it("exports a run as CamReasoner's evaluator output, byte for byte as eval_bench.py wrote it", () => {
    const { folder, project } = setup();
    const evalBench = join(__dirname, 'reference', 'eval-bench-results', 'round-trip.json');
    const input = join(folder, 'qwen.json');
    writeFileSync(input, readFileSync(evalBench));
    expect(frustum(['import', project, input]).code).toBe(0);
    const out = join(folder, 'exported.json');
    const exported = frustumJson<{ format: string; run: number; records: number; verbatim: number; errors: number; files: string[] }>([
      'export',
      project,
      '--format',
      'results',
      '--run',
      '1',
      '--out',
      out,
    ]);
    expect(exported.code).toBe(0);
    expect(exported.json).toMatchObject({ format: 'results', run: 1, records: 4, verbatim: 4, errors: 0, files: [out] });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(evalBench, 'utf8'));
    const human = frustum(['export', project, '--format', 'results', '--out', join(folder, 'again.json')]);
    expect(human.stdout).toMatch(/^wrote 4 results records of run 1 \(4 unchanged, 0 edited, 0 new\)/);
    const missing = frustum(['export', project, '--format', 'results', '--run', '9', '--out', join(folder, 'x.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run 9; runs: 1/);
  });

  it.runIf(hasShared)('scores CameraBench score files exported from imported results', () => {
    const { folder, project } = setup();
    const questions = JSON.parse(readFileSync(EVAL_FILE, 'utf8')) as Array<Record<string, unknown>>;
    // A "model" that answers Yes exactly when the truth is Yes for Pan_* and No elsewhere.
    const results = questions.map((record) => {
      const truth = record['solution'] === '<answer>B</answer>';
      const isPan = String(record['problem_id']).startsWith('Pan_');
      const letter = isPan ? (truth ? 'B' : 'A') : 'A';
      return { ...record, output: `<answer>${letter}</answer>`, prediction: letter, accuracy: Number((letter === 'B') === truth) };
    });
    const file = write(join(folder, 'results.json'), { results, metrics: {}, meta: { model_path: 'oracle-pan' } });
    expect(frustum(['import', project, file]).code).toBe(0);
    const scores = join(folder, 'scores');
    const exported = frustumJson<{ files: string[] }>(['export', project, '--format', 'camerabench-scores', '--out', scores]);
    expect(exported.json.files).toHaveLength(15);
    const scored = frustumJson<{ camerabench: { splits: Array<{ split_name: string; average_precision: number }>; summary: { mean_average_precision: number } } }>(['score', ...exported.json.files]);
    const ap = Object.fromEntries(scored.json.camerabench.splits.map((split) => [split.split_name, split.average_precision]));
    expect(ap['Pan_Left']).toBe(1);
    expect(ap['Pan_Right']).toBe(1);
    // Constant scores: AP equals the positive rate of the split.
    expect(ap['Static']).toBeCloseTo(questions.filter((q) => String(q['problem_id']).startsWith('Static_') && q['solution'] === '<answer>B</answer>').length / 966, 12);
  });
});
