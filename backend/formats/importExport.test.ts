import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/errors';
import { appendRevision, revisionsOf, searchChains } from '../../db/chains';
import { createProject, type WritableDB } from '../../db/connection';
import { syntheticRl, syntheticSft } from '../../tests/fixtures/syntheticDatasets';
import { tempDir, track } from '../../tests/support/tempDir';
import { exportProject } from './exportFiles';
import { importFiles } from './importFiles';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const EVAL_FILE = join(SHARED, 'camreasoner', 'camerabench_binary.json');
const JSONL_DIR = join(SHARED, 'camerabench', 'binary_classification');
const hasShared = existsSync(EVAL_FILE);

function newProject(): { db: WritableDB; folder: string } {
  const folder = tempDir();
  return { db: track(createProject(join(folder, 'p.frustum'))), folder };
}

function writeJson(path: string, value: unknown, indent = 2): string {
  writeFileSync(path, JSON.stringify(value, null, indent));
  return path;
}

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

function count(db: WritableDB, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe.runIf(hasShared)('round trips of the reference files', () => {
  it('exports an unchanged evaluation import byte for byte', () => {
    const { db, folder } = newProject();
    const report = importFiles(db, [EVAL_FILE]);
    expect(report.samplesAdded).toBe(7679);
    expect(report.clipsAdded).toBe(969);
    expect(report.clipsMissing).toBe(969);
    const out = join(folder, 'eval.json');
    const exported = exportProject(db, { format: 'eval', out });
    expect(exported.verbatim).toBe(7679);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(EVAL_FILE, 'utf8'));
    db.close();
  });

  it('exports an unchanged CameraBench JSONL import byte for byte, and merges it with the evaluation file', () => {
    const { db, folder } = newProject();
    const file = join(JSONL_DIR, 'Pan_Left.jsonl');
    importFiles(db, [file]);
    const out = join(folder, 'pan_left.jsonl');
    exportProject(db, { format: 'camerabench', out });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(file, 'utf8'));
    // The same questions in the evaluation schema join the same samples.
    const merged = importFiles(db, [EVAL_FILE]);
    expect(merged.samplesMerged).toBe(512);
    expect(merged.samplesAdded).toBe(7679 - 512);
    expect(count(db, 'samples')).toBe(7679);
    db.close();
  });

  it('derives per-clip primitive labels from the answers, explicit labels first', () => {
    const { db } = newProject();
    importFiles(db, [EVAL_FILE]);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM clip_primitive_labels')).toBe(7679);
    expect(count('SELECT count(*) AS n FROM clip_primitive_labels WHERE value = 1')).toBe(942);
    const yes = db.prepare("SELECT clip_id, primitive FROM clip_primitive_labels WHERE value = 1 LIMIT 1").get() as { clip_id: number; primitive: string };
    db.prepare("INSERT INTO clip_labels(clip_id, primitive, value, author, updated_at) VALUES (?, ?, 0, 'curator', 'now')").run(yes.clip_id, yes.primitive);
    expect(count('SELECT count(*) AS n FROM clip_primitive_labels')).toBe(7679);
    expect(count('SELECT count(*) AS n FROM clip_primitive_labels WHERE value = 1')).toBe(941);
    db.close();
  });
});

describe('SFT and RL', () => {
  it('round-trips SFT records and writes the dataset_info.json entry', () => {
    const { db, folder } = newProject();
    const input = writeJson(join(folder, 'in.json'), syntheticSft({ count: 60, seed: 1 }));
    importFiles(db, [input]);
    const out = join(folder, 'out', 'camreasoning_sft.json');
    exportProject(db, { format: 'sft', out });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(input, 'utf8'));
    const info = JSON.parse(readFileSync(join(folder, 'out', 'dataset_info.json'), 'utf8'));
    expect(info.camreasoning_sft).toEqual({
      file_name: 'camreasoning_sft.json',
      formatting: 'sharegpt',
      columns: { messages: 'messages', videos: 'videos' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    });
    db.close();
  });

  it('writes an edited chain into its original record, keeping key order and the other records', () => {
    const { db, folder } = newProject();
    const records = syntheticSft({ count: 20, seed: 2 }) as Array<{ messages: Array<{ role: string; content: string }>; videos: string[] }>;
    const input = writeJson(join(folder, 'in.json'), records);
    importFiles(db, [input]);
    const sample = db.prepare('SELECT id FROM samples ORDER BY id LIMIT 1 OFFSET 3').get() as { id: number };
    const edited = '<observation>edited</observation><think>because</think><answer>A</answer>';
    const revision = appendRevision(db, sample.id, edited, { kind: 'person', name: 'test' });
    expect(revisionsOf(db, sample.id).map((row) => row.parent_id)).toEqual([null, revision.parent_id]);
    expect(searchChains(db, 'edited')).toEqual([sample.id]);
    // Imported chains are indexed on the first search; the edited sample's old text is gone.
    const parallax = searchChains(db, 'parallax', 1000);
    expect(parallax.length).toBeGreaterThan(0);
    expect(searchChains(db, 'edited OR parallax', 1000)).toHaveLength(parallax.length + (parallax.includes(sample.id) ? 0 : 1));
    const out = join(folder, 'out.json');
    const report = exportProject(db, { format: 'sft', out });
    expect(report).toMatchObject({ verbatim: 19, changed: 1, fresh: 0 });
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    records[3]!.messages[1]!.content = edited;
    expect(exported).toEqual(records);
    expect(Object.keys(exported[3])).toEqual(['messages', 'videos']);
    db.close();
  });

  it('exports RL records for samples that came from another format', () => {
    const { db, folder } = newProject();
    importFiles(db, [writeJson(join(folder, 'sft.json'), syntheticSft({ count: 15, seed: 3 }))]);
    const out = join(folder, 'rl.json');
    const report = exportProject(db, { format: 'rl', out });
    expect(report.fresh).toBe(15);
    const records = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(records[0])).toEqual(['problem_id', 'problem', 'data_type', 'problem_type', 'options', 'answer', 'videos']);
    expect(records[0].videos).toEqual(['video/sft_0.mp4']);
    db.close();
  });

  it('filters exports by split and status', () => {
    const { db, folder } = newProject();
    importFiles(db, [writeJson(join(folder, 'rl.json'), syntheticRl({ count: 30, seed: 4 }))]);
    db.prepare("UPDATE samples SET status = 'accepted' WHERE id <= 10").run();
    const out = join(folder, 'accepted.json');
    expect(exportProject(db, { format: 'rl', out, status: 'accepted' }).records).toBe(10);
    expect(exportProject(db, { format: 'rl', out, split: 'test' }).records).toBe(0);
    db.close();
  });

  it('refuses to export over a file it imported from', () => {
    const { db, folder } = newProject();
    const input = writeJson(join(folder, 'rl.json'), syntheticRl({ count: 3, seed: 5 }));
    importFiles(db, [input]);
    expect(() => exportProject(db, { format: 'rl', out: input })).toThrow(/imported from/);
    db.close();
  });
});

describe('imports are all or nothing', () => {
  it("lists new samples, and merged ones whose question changed, for the studio's lint cache", () => {
    const { db, folder } = newProject();
    const sft = writeJson(join(folder, 'sft.json'), syntheticSft({ count: 20, seed: 3 }));
    importFiles(db, [sft]);
    expect(count(db, 'sample_lint_pending')).toBe(20);
    db.prepare('DELETE FROM sample_lint_pending').run(); // as if the studio had linted them
    const rl = writeJson(join(folder, 'rl.json'), syntheticRl({ count: 5, seed: 3 }));
    const report = importFiles(db, [rl]);
    expect(report.samplesAdded).toBeGreaterThan(0);
    expect(count(db, 'sample_lint_pending')).toBe(report.samplesAdded + report.samplesMerged);
    db.close();
  });

  it('rolls back every file when one record anywhere is bad, and names it', () => {
    const { db, folder } = newProject();
    const good = writeJson(join(folder, 'good.json'), syntheticRl({ count: 10, seed: 6 }));
    const records = syntheticRl({ count: 10, seed: 7, clipPrefix: 'other' }) as Array<Record<string, unknown>>;
    records[7] = { ...records[7], answer: 'E' };
    const bad = writeJson(join(folder, 'bad.json'), records);
    const error = inputError(() => importFiles(db, [good, bad]));
    expect(error.problems).toEqual([expect.objectContaining({ file: bad, record: 7, field: 'answer', reason: expect.stringMatching(/"E" is not one of the options A, B/) })]);
    expect(count(db, 'samples')).toBe(0);
    expect(count(db, 'sources')).toBe(0);
    db.close();
  });

  it('reports duplicates within a file', () => {
    const { db, folder } = newProject();
    const records = syntheticRl({ count: 5, seed: 8 }) as Array<Record<string, unknown>>;
    records.push({ ...records[2] });
    const file = writeJson(join(folder, 'dup.json'), records);
    const error = inputError(() => importFiles(db, [file]));
    expect(error.problems[0]).toMatchObject({ record: 5, reason: expect.stringMatching(/duplicate/) });
    db.close();
  });

  it('reports a conflicting answer against what the project holds', () => {
    const { db, folder } = newProject();
    const records = syntheticRl({ count: 5, seed: 9 }) as Array<Record<string, unknown>>;
    importFiles(db, [writeJson(join(folder, 'a.json'), records)]);
    const flipped = records.map((record) => ({ ...record, answer: record['answer'] === '<answer>A</answer>' ? 'B' : 'A' }));
    const error = inputError(() => importFiles(db, [writeJson(join(folder, 'b.json'), flipped)]));
    expect(error.problems).toHaveLength(5);
    expect(error.problems[0]?.reason).toMatch(/conflicts with the project/);
    db.close();
  });

  it('skips a file imported before', () => {
    const { db, folder } = newProject();
    const file = writeJson(join(folder, 'a.json'), syntheticRl({ count: 5, seed: 10 }));
    importFiles(db, [file]);
    const again = importFiles(db, [file]);
    expect(again.files[0]).toMatchObject({ skipped: true });
    expect(count(db, 'samples')).toBe(5);
    db.close();
  });
});

describe('clips', () => {
  it('finds clips in --videos by path or by name, and keeps the rest as missing', () => {
    const { db, folder } = newProject();
    const videos = join(folder, 'clips');
    mkdirSync(join(videos, 'video'), { recursive: true });
    writeFileSync(join(videos, 'video', 'rl_0.mp4'), 'x');
    writeFileSync(join(videos, 'rl_1.mp4'), 'x');
    const report = importFiles(db, [writeJson(join(folder, 'rl.json'), syntheticRl({ count: 45, seed: 11 }))], { videosDir: videos });
    expect(report.clipsAdded).toBe(3);
    expect(report.clipsMissing).toBe(1);
    const statuses = db.prepare('SELECT name, media_status FROM clips ORDER BY name').all();
    expect(statuses).toEqual([
      { name: 'rl_0.mp4', media_status: 'ok' },
      { name: 'rl_1.mp4', media_status: 'ok' },
      { name: 'rl_2.mp4', media_status: 'missing' },
    ]);
    db.close();
  });
});

describe('files known by another name', () => {
  it("records each file under the name it is known by, names it in problems, and counts only clips still without a file", () => {
    const { db, folder } = newProject();
    mkdirSync(join(folder, 'copy', 'video'), { recursive: true });
    writeFileSync(join(folder, 'copy', 'video', 'rl_0.mp4'), 'x');
    const first = importFiles(db, [writeJson(join(folder, 'copy', 'rl.json'), syntheticRl({ count: 30, seed: 11 }))], { sourcePaths: ['/home/me/rl.json'] });
    expect(first.clipsMissing).toBe(1);
    expect(first.files.map((file) => file.path)).toEqual(['/home/me/rl.json']);
    expect(db.prepare('SELECT path FROM sources').all()).toEqual([{ path: '/home/me/rl.json' }]);
    // A second dataset over the same clips, read from a folder that holds none of them: the clip
    // the project has on disk is not missing, the one it never had still is.
    const again = (syntheticRl({ count: 30, seed: 11 }) as Array<{ problem_id: string; problem: string }>)
      .map((record) => ({ ...record, problem_id: `${record.problem_id}-again`, problem: `${record.problem} (asked again)` }));
    const second = importFiles(db, [writeJson(join(folder, 'again.json'), again)], { sourcePaths: ['again (dropped).json'] });
    expect(second.clipsMissing).toBe(1);
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '[{');
    const problem = inputError(() => importFiles(db, [broken], { sourcePaths: ['mine.json'] })).problems[0];
    expect(problem?.file).toBe('mine.json');
    db.close();
  });
});

describe('results and score files', () => {
  it('imports evaluator output as a run and exports CameraBench score files from it', () => {
    const { db, folder } = newProject();
    const results = [
      { problem_id: 'Pan_Left_1', problem: 'Does the camera pan to the left?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], process: '', solution: '<answer>B</answer>', path: 'video/a.mp4', output: '<observation>o</observation><think>t</think><answer>B</answer>', prediction: 'B', accuracy: 1.0 },
      { problem_id: 'Pan_Left_2', problem: 'Does the camera pan to the left?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], process: '', solution: '<answer>A</answer>', path: 'video/b.mp4', output: '<answer>B</answer>', prediction: 'B', accuracy: 0.0 },
    ];
    const file = writeJson(join(folder, 'results.json'), { results, metrics: { 'overall/acc': 0.5 }, meta: { model_path: 'CamReasoner-7B' } });
    const report = importFiles(db, [file]);
    expect(report.predictions).toBe(2);
    const out = join(folder, 'scores');
    const exported = exportProject(db, { format: 'camerabench-scores', out });
    expect(exported.files).toHaveLength(1);
    const scoreFile = JSON.parse(readFileSync(exported.files[0]!, 'utf8'));
    expect(scoreFile.metadata).toMatchObject({ model_name: 'CamReasoner-7B', split_name: 'Pan_Left' });
    expect(scoreFile.scores.map((s: { score: number; ground_truth_label: string }) => [s.score, s.ground_truth_label])).toEqual([[1, 'Yes'], [1, 'No']]);
    expect(readFileSync(exported.files[0]!, 'utf8')).toMatch(/"score": 1\.0/);
    db.close();
  });
});

describe('project file safety', () => {
  it('leaves the project file unchanged when an import fails', () => {
    const { db, folder } = newProject();
    importFiles(db, [writeJson(join(folder, 'ok.json'), syntheticRl({ count: 5, seed: 12 }))]);
    const before = db.prepare('SELECT * FROM samples').all();
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '[{"problem": "x",');
    inputError(() => importFiles(db, [broken]));
    expect(db.prepare('SELECT * FROM samples').all()).toEqual(before);
    db.close();
    const reopened = new Database(join(folder, 'p.frustum'), { readonly: true });
    expect((reopened.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n).toBe(1);
    reopened.close();
  });
});
