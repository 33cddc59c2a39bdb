// Importing the benchmarks' question sets (issue 13) from their own files in ../shared/data:
// CameraBench's VQA pair files, CamReasoner's converted_vqa and run.py files, CameraBench's
// captions, ShotBench and RefineShot; and the benchmark items each gives (migration 10).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/errors';
import { benchmarkItems, benchmarkItemsOfSample, benchmarksOfProject, type BenchmarkItemRow } from '../../db/benchmarks';
import { createProject, type WritableDB } from '../../db/connection';
import { tempDir, track } from '../../tests/support/tempDir';
import { exportProject } from './exportFiles';
import { importFiles } from './importFiles';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const VQA = join(SHARED, 'camerabench', 'vqa_and_retrieval');
const CONVERTED = join(SHARED, 'camreasoner', 'converted_vqa_samples');
const CAPTIONS = join(SHARED, 'camerabench', 'caption_data.json');
const SHOTBENCH = join(SHARED, 'shotbench', 'shotbench_camera_movement_464.jsonl');
const REFINESHOT = join(SHARED, 'shotbench', 'refineshot_test_refined_3572.jsonl');
const BINARY = join(SHARED, 'camreasoner', 'camerabench_binary.json');
const hasShared = existsSync(VQA) && existsSync(SHOTBENCH);

const PREFIX = 'Does the camera movement in this video match the following description?\n\n';
const ROLES = ['pos_text_pos_image', 'pos_text_neg_image', 'neg_text_pos_image', 'neg_text_neg_image'];

interface Pair {
  pos_video: string;
  neg_video: string;
  pos_text: string;
  neg_text: string;
}

function newProject(): { db: WritableDB; folder: string } {
  const folder = tempDir();
  return { db: track(createProject(join(folder, 'p.frustum'))), folder };
}

function count(db: WritableDB, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

function pairsOf(path: string): Pair[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Pair);
}

function taskFiles(skill: string): string[] {
  return readdirSync(join(VQA, skill)).sort().map((file) => join(VQA, skill, file));
}

/**
 * CamReasoner's Inference/camerabench_vqa.json, rebuilt as its Evaluation/data/run.py builds it
 * (evaluation notes §1.4): every pair of the sorted folders, four items each, "'yes'" for the
 * matching two and "'no'" for the crossed two, solution A when matching, else B.
 */
function runPyRecords(): Array<Record<string, unknown>> {
  const records: Array<Record<string, unknown>> = [];
  for (const skill of readdirSync(VQA).sort()) {
    for (const file of readdirSync(join(VQA, skill)).sort()) {
      const task = file.replace(/\.jsonl$/, '');
      let counter = 0;
      for (const pair of pairsOf(join(VQA, skill, file))) {
        for (const [isPosText, isPosVideo] of [[true, true], [true, false], [false, true], [false, false]] as const) {
          const isMatch = isPosText === isPosVideo;
          counter++;
          records.push({
            problem_id: `${task}-${counter}`,
            problem: `Which of the following options is more likely to have the answer '${isMatch ? 'yes' : 'no'}'?`,
            data_type: 'video',
            problem_type: 'multiple choice',
            options: [`A. ${isPosText ? pair.pos_text : pair.neg_text}`, `B. ${isPosText ? pair.neg_text : pair.pos_text}`],
            process: '',
            solution: `<answer>${isMatch ? 'A' : 'B'}</answer>`,
            path: `video/${isPosVideo ? pair.pos_video : pair.neg_video}`,
            data_source: 'camerabench',
            dataset: 'camerabench',
            output: [],
          });
        }
      }
    }
  }
  return records;
}

describe.runIf(hasShared)('importing CameraBench VQA', () => {
  it('a skill folder of pair files: four items per pair, in order, labelled by the pair\'s semantics, skill from the folder', () => {
    const { db } = newProject();
    const files = taskFiles('motion_direction');
    const report = importFiles(db, files);
    expect(report.files.every((file) => file.format === 'camerabench-vqa')).toBe(true);
    const pairs = files.flatMap((file) => pairsOf(file).map((pair, index) => ({ pair, index, task: file.split('/').at(-1)?.replace('.jsonl', '') as string })));
    expect(pairs).toHaveLength(447);
    const items = benchmarkItems(db, 'camerabench-vqa');
    expect(report.benchmarkItems).toBe(1788);
    expect(items).toHaveLength(1788);
    expect(report.samplesAdded).toBe(count(db, 'SELECT count(DISTINCT sample_id) AS n FROM benchmark_items'));
    expect(new Set(items.map((item) => item.split))).toEqual(new Set(['motion_direction']));
    // Several pairs across tasks, each item against the pair: text and video by role, Yes (A) exactly when they match.
    for (const at of [0, 1, 57, 200, 446]) {
      const { pair, index, task } = pairs[at] as { pair: Pair; index: number; task: string };
      const group = items.filter((item) => item.group_key === `motion_direction/${task}#${index}`);
      expect(group.map((item) => item.role)).toEqual(ROLES);
      const expected = [
        [pair.pos_text, pair.pos_video, 'A'],
        [pair.pos_text, pair.neg_video, 'B'],
        [pair.neg_text, pair.pos_video, 'B'],
        [pair.neg_text, pair.neg_video, 'A'],
      ];
      expect(group.map((item) => [item.question, item.clip_name, item.answer])).toEqual(expected.map(([text, video, answer]) => [PREFIX + text, video, answer]));
      expect(group.map((item) => item.item_key)).toEqual([0, 1, 2, 3].map((role) => `${task}.jsonl_${4 * index + role}`));
      for (const item of group) expect(JSON.parse(item.options)).toEqual(['A. Yes', 'B. No']);
    }
    expect(benchmarksOfProject(db)).toEqual([
      { benchmark: 'camerabench-vqa', items: 1788, samples: report.samplesAdded, splits: [{ split: 'motion_direction', items: 1788 }], groups: 447 },
    ]);
    db.close();
  });

  it('the whole of CameraBench VQA: 3,543 pairs, 14,172 items over fewer samples, each skill as published', () => {
    const { db } = newProject();
    const files = readdirSync(VQA).sort().flatMap((skill) => taskFiles(skill));
    const report = importFiles(db, files);
    expect(report.benchmarkItems).toBe(14_172);
    // A video and text recur across pairs: one sample, several items (evaluation notes §1.1).
    expect(report.samplesAdded).toBe(12_317);
    const summary = benchmarksOfProject(db)[0];
    expect(summary?.groups).toBe(3543);
    expect(Object.fromEntries((summary?.splits ?? []).map((split) => [split.split, split.items / 4]))).toEqual({
      complex_description: 1071, confusable_motion: 75, has_motion: 1011, motion_and_steadiness: 296, motion_direction: 447,
      motion_speed: 87, only_motion: 139, scene_dynamics: 87, tracking_shot: 330,
    });
    db.close();
  });

  it('CamReasoner\'s converted_vqa files (eval format) become the same items; with the pair files they add nothing', () => {
    const { db } = newProject();
    const converted = [join(CONVERTED, 'only_zoom_in_vs_only_forward.json'), join(CONVERTED, 'pan_left_vs_pan_right.json')];
    const report = importFiles(db, converted);
    expect(report.files.map((file) => file.format)).toEqual(['eval', 'eval']);
    expect(report.benchmarkItems).toBe(64 + 320);
    const items = benchmarkItems(db, 'camerabench-vqa');
    // The folder (converted_vqa_samples) is no skill: the skill comes from CameraBench's task list.
    expect(new Set(items.map((item) => `${item.task}:${item.split}`))).toEqual(new Set(['only_zoom_in_vs_only_forward:confusable_motion', 'pan_left_vs_pan_right:motion_direction']));
    const k = 37;
    const item = items.find((row) => row.item_key === `pan_left_vs_pan_right.jsonl_${k}`) as BenchmarkItemRow;
    expect(item.group_key).toBe(`motion_direction/pan_left_vs_pan_right#${Math.floor(k / 4)}`);
    expect(item.role).toBe(ROLES[k % 4]);
    const before = items.map((row) => [row.item_key, row.sample_id, row.split, row.group_key, row.role]);
    const pairFiles = importFiles(db, [join(VQA, 'confusable_motion', 'only_zoom_in_vs_only_forward.jsonl'), join(VQA, 'motion_direction', 'pan_left_vs_pan_right.jsonl')]);
    expect(pairFiles.samplesAdded).toBe(0);
    expect(pairFiles.benchmarkItems).toBe(0);
    expect(benchmarkItems(db, 'camerabench-vqa').map((row) => [row.item_key, row.sample_id, row.split, row.group_key, row.role])).toEqual(before);
    db.close();
  });

  it('run.py\'s camerabench_vqa.json: imported as it is labelled, its own benchmark, and a warning that its "\'no\'" half is inverted', () => {
    const { db, folder } = newProject();
    const records = runPyRecords();
    const text = JSON.stringify(records, null, 2);
    // The rebuild is CamReasoner's file: the git blob evaluation notes §1.4 name.
    const blob = createHash('sha1').update(`blob ${Buffer.byteLength(text)}\u0000`).update(text).digest('hex');
    expect({ bytes: Buffer.byteLength(text), blob }).toEqual({ bytes: 8_958_912, blob: '0332c6ca03790ec0cc8faa228cfa82e27c9117fc' });
    const path = join(folder, 'camerabench_vqa.json');
    writeFileSync(path, text);
    const report = importFiles(db, [path]);
    expect(report.files[0]?.format).toBe('eval');
    expect(report.benchmarkItems).toBe(14_172);
    expect(report.notes).toEqual([expect.stringMatching(/^warning: .*camerabench_vqa\.json: 7086 of its 7086 items that ask "Which of the following options is more likely to have the answer 'no'\?" are labelled with the option whose answer is "yes"/)]);
    const items = benchmarkItems(db, 'camerabench-vqa-runpy');
    expect(items).toHaveLength(14_172);
    // Never silently fixed: every sample keeps the file's letter; the pair's letter sits beside it.
    expect(items.every((item) => item.answer === item.meta['labelAsFiled'])).toBe(true);
    const asking = (asks: string) => items.filter((item) => item.meta['asks'] === asks);
    expect(asking('yes').every((item) => item.answer === 'A' && item.meta['labelByPairSemantics'] === 'A')).toBe(true);
    expect(asking('no').every((item) => item.answer === 'B' && item.meta['labelByPairSemantics'] === 'A')).toBe(true);
    expect(asking('no').every((item) => item.role === 'pos_text_neg_image' || item.role === 'neg_text_pos_image')).toBe(true);
    const second = items.find((item) => item.item_key === 'all-2') as BenchmarkItemRow;
    expect(second).toMatchObject({ split: 'complex_description', task: 'all', group_key: 'complex_description/all#0', role: 'pos_text_neg_image', clip_name: '1hu1np_BI2M.9.1.mp4', answer: 'B' });
    // The correctly labelled items are a benchmark apart: nothing of this file is in camerabench-vqa.
    expect(benchmarkItems(db, 'camerabench-vqa')).toEqual([]);
    db.close();
  });
});

describe.runIf(hasShared)('CamReasoner\'s 138 reasoning examples (eval_camerabench.json)', () => {
  it('import whole: run.py\'s wording with shuffled options and numeric ids, each question told by its options', () => {
    const { db } = newProject();
    const report = importFiles(db, [join(SHARED, 'camreasoner', 'eval_camerabench_OTA_outputs_138.json')]);
    expect(report.samplesAdded).toBe(138);
    // Their ids are not run.py's, so they are no items of the pairs: samples, as before.
    expect(count(db, 'SELECT count(*) AS n FROM benchmark_items')).toBe(0);
    const answers = db.prepare('SELECT answer, count(*) AS n FROM samples GROUP BY answer ORDER BY answer').all();
    expect(answers).toEqual([{ answer: 'A', n: 53 }, { answer: 'B', n: 85 }]);
    db.close();
  });
});

describe.runIf(hasShared)('importing CameraBench captions', () => {
  it('caption_data.json: free-form samples, no answer letter, the reference on each item', () => {
    const { db } = newProject();
    const report = importFiles(db, [CAPTIONS]);
    expect(report.files[0]?.format).toBe('camerabench-caption');
    expect(report.samplesAdded).toBe(1071);
    expect(report.benchmarkItems).toBe(1071);
    expect(count(db, "SELECT count(*) AS n FROM samples WHERE problem_type = 'free-form' AND answer IS NULL AND options = '[]' AND split = 'test'")).toBe(1071);
    const records = JSON.parse(readFileSync(CAPTIONS, 'utf8')) as Array<{ video: string; question: string; answer: string }>;
    const items = benchmarkItems(db, 'camerabench-caption');
    expect(items.map((item) => [item.clip_name, item.question, item.reference, item.meta['index']])).toEqual(records.map((record, index) => [record.video, record.question, record.answer, index]));
    expect(benchmarkItemsOfSample(db, items[5]?.sample_id as number).map((item) => item.reference)).toEqual([records[5]?.answer]);
    // A free-form question has no letter to export as an evaluation answer.
    const exported = exportProject(db, { format: 'eval', out: join(tempDir(), 'eval.json') });
    expect(exported.skipped).toEqual([{ reason: 'no reference answer', count: 1071 }]);
    db.close();
  });
});

describe.runIf(hasShared)('importing ShotBench and RefineShot', () => {
  it('the 464 camera-movement questions, then RefineShot\'s 3,572: one sample per question, an item in each benchmark', () => {
    const { db } = newProject();
    const shot = importFiles(db, [SHOTBENCH]);
    expect(shot.files[0]?.format).toBe('shotbench');
    expect(shot.samplesAdded).toBe(464);
    const rows = readFileSync(SHOTBENCH, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, string | number>);
    const items = benchmarkItems(db, 'shotbench');
    expect(items.map((item) => [item.item_key, item.problem_id, item.split, item.answer])).toEqual(rows.map((row) => [String(row['index']), String(row['index']), 'camera movement', row['answer']]));
    expect(JSON.parse(items[1]?.options ?? '[]')).toEqual(['A. Pan left, then tilt down.', 'B. Pan right, then tilt up.', 'C. Push in, then tilt up.', 'D. Push in, then tilt down.']);
    expect(items[0]?.clip_ref).toBe('video/L85T-a6JUUw.mp4_48.mp4');

    const refined = importFiles(db, [REFINESHOT]);
    expect(refined.files[0]?.format).toBe('refineshot');
    // Its camera-movement rows are ShotBench's rows: the same samples.
    expect(refined.samplesAdded).toBe(3572 - 464);
    expect(refined.unchanged + refined.samplesMerged).toBe(464);
    expect(refined.benchmarkItems).toBe(3572);
    expect(refined.notes).toEqual([expect.stringMatching(/refineshot_test_refined_3572\.jsonl: 3108 row\(s\) ask about a still image, not a video/)]);
    const summary = benchmarksOfProject(db);
    expect(summary.map((row) => [row.benchmark, row.items, row.samples])).toEqual([['refineshot', 3572, 3572], ['shotbench', 464, 464]]);
    expect(summary[0]?.splits).toEqual([
      { split: 'camera angle', items: 455 }, { split: 'camera movement', items: 464 }, { split: 'composition', items: 479 }, { split: 'lens size', items: 489 },
      { split: 'lighting', items: 350 }, { split: 'lighting type', items: 405 }, { split: 'shot framing', items: 445 }, { split: 'shot size', items: 485 },
    ]);
    const movement = (benchmark: 'shotbench' | 'refineshot') => benchmarkItems(db, benchmark).filter((item) => item.split === 'camera movement').map((item) => item.sample_id);
    expect(movement('refineshot')).toEqual(movement('shotbench'));
    db.close();
  });

  it('--format chooses the benchmark whatever the file is called', () => {
    const { db } = newProject();
    importFiles(db, [SHOTBENCH], { format: 'refineshot' });
    expect(benchmarksOfProject(db).map((row) => row.benchmark)).toEqual(['refineshot']);
    db.close();
  });
});

describe.runIf(hasShared)('CameraBench binary membership of the existing formats', () => {
  it('the JSONL and CamReasoner\'s file name the same 7,679 items, one per primitive and clip', () => {
    const { db } = newProject();
    importFiles(db, [join(SHARED, 'camerabench', 'binary_classification', 'Pan_Left.jsonl')]);
    expect(benchmarksOfProject(db)).toEqual([{ benchmark: 'camerabench-binary', items: 512, samples: 512, splits: [{ split: 'Pan_Left', items: 512 }], groups: null }]);
    const report = importFiles(db, [BINARY]);
    expect(report.benchmarkItems).toBe(7679 - 512);
    const summary = benchmarksOfProject(db)[0];
    expect(summary?.items).toBe(7679);
    expect(summary?.splits.find((split) => split.split === 'Static')).toEqual({ split: 'Static', items: 966 });
    db.close();
  });
});

describe.runIf(hasShared)('importing a benchmark file again', () => {
  it('adds nothing: the same file is skipped, and the same records in another file are already there', () => {
    const { db, folder } = newProject();
    const files = [join(VQA, 'has_motion', 'has_pan_left.jsonl'), CAPTIONS, SHOTBENCH, join(CONVERTED, 'pan_left_vs_pan_right.json')];
    const first = importFiles(db, files);
    const tables = () => ['samples', 'clips', 'benchmark_items', 'sample_sources', 'sources'].map((table) => count(db, `SELECT count(*) AS n FROM ${table}`));
    const before = tables();
    const again = importFiles(db, files);
    expect(again.files.every((file) => file.skipped)).toBe(true);
    expect(tables()).toEqual(before);
    // The same records, one byte different as files (a trailing newline more): new sources, nothing else new.
    mkdirSync(join(folder, 'has_motion'));
    const copies = [join(folder, 'has_motion', 'has_pan_left.jsonl'), join(folder, 'caption_data.json'), join(folder, 'shotbench_camera_movement_464.jsonl')];
    copies.forEach((copy, index) => writeFileSync(copy, readFileSync(files[index] as string, 'utf8') + '\n'));
    const copied = importFiles(db, copies);
    const recordsOf = 4 * pairsOf(files[0] as string).length + 1071 + 464;
    expect({ added: copied.samplesAdded, merged: copied.samplesMerged, items: copied.benchmarkItems, unchanged: copied.unchanged }).toEqual({ added: 0, merged: 0, items: 0, unchanged: recordsOf });
    expect(first.benchmarkItems).toBe(recordsOf + 320);
    expect(tables().slice(0, 3)).toEqual(before.slice(0, 3));
    db.close();
  });
});

describe.runIf(hasShared)('benchmark records against the project', () => {
  it('a pair file that says another thing about an item the project holds is refused, naming file, record and reason; nothing is written', () => {
    const { db, folder } = newProject();
    const original = join(VQA, 'motion_direction', 'pan_left_vs_pan_right.jsonl');
    importFiles(db, [original]);
    const tables = () => ['samples', 'clips', 'benchmark_items', 'sample_sources', 'sources'].map((table) => count(db, `SELECT count(*) AS n FROM ${table}`));
    const before = tables();
    mkdirSync(join(folder, 'motion_direction'));
    const changed = join(folder, 'motion_direction', 'pan_left_vs_pan_right.jsonl');
    const lines = readFileSync(original, 'utf8').split('\n');
    const record = JSON.parse(lines[3] as string) as Pair;
    lines[3] = JSON.stringify({ ...record, pos_video: 'another.mp4' });
    writeFileSync(changed, lines.join('\n'));
    let caught: unknown;
    try {
      importFiles(db, [changed]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const problem = (caught as InputError).problems[0];
    expect(problem).toMatchObject({ file: changed, record: 3, reason: expect.stringMatching(/^conflicts with the project: there, camerabench-vqa item "pan_left_vs_pan_right\.jsonl_12" names another question or clip/) });
    expect(tables()).toEqual(before);
    db.close();
  });
});

describe('benchmark membership of the existing formats never stops an import', () => {
  it('a CameraBench record whose item another question of the project already is: imported, without the item, and noted', () => {
    const { db, folder } = newProject();
    const record = (problemId: string, problem: string, solution: string) => ({
      problem_id: problemId, problem, data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], process: '',
      solution: `<answer>${solution}</answer>`, path: 'video/a.mp4', data_source: 'camerabench', dataset: 'camerabench', output: [], id: problemId,
    });
    const path = join(folder, 'questions.json');
    // Both are Pan_Left questions about a.mp4 (the second by its id only): one camerabench-binary item.
    writeFileSync(path, JSON.stringify([record('Pan_Left_1', 'Does the camera pan to the left?', 'B'), record('Pan_Left_2', 'Does the view turn left at all?', 'A')], null, 2));
    const report = importFiles(db, [path]);
    expect(report.samplesAdded).toBe(2);
    expect(report.benchmarkItems).toBe(1);
    expect(report.notes).toEqual([expect.stringMatching(/questions\.json: 1 record\(s\) imported without their benchmark item, which is already another question's \(first: record 1, camerabench-binary item "Pan_Left\/a\.mp4"/)]);
    expect(benchmarkItems(db, 'camerabench-binary').map((item) => [item.item_key, item.question])).toEqual([['Pan_Left/a.mp4', 'Does the camera pan to the left?']]);
    db.close();
  });

  it('a VQA pair file outside a skill folder, of a task CameraBench does not list: its folder names the skill, and a note says so', () => {
    const { db, folder } = newProject();
    mkdirSync(join(folder, 'my_skill'));
    const path = join(folder, 'my_skill', 'my_task.jsonl');
    writeFileSync(path, `${JSON.stringify({ pos_video: 'a.mp4', neg_video: 'b.mp4', pos_text: 'Does the camera pan left?', neg_text: 'Does the camera pan right?' })}\n`);
    const report = importFiles(db, [path]);
    expect(report.files[0]?.format).toBe('camerabench-vqa');
    expect(benchmarkItems(db, 'camerabench-vqa').map((item) => [item.item_key, item.split, item.group_key, item.role, item.answer])).toEqual([
      ['my_task.jsonl_0', 'my_skill', 'my_skill/my_task#0', 'pos_text_pos_image', 'A'],
      ['my_task.jsonl_1', 'my_skill', 'my_skill/my_task#0', 'pos_text_neg_image', 'B'],
      ['my_task.jsonl_2', 'my_skill', 'my_skill/my_task#0', 'neg_text_pos_image', 'B'],
      ['my_task.jsonl_3', 'my_skill', 'my_skill/my_task#0', 'neg_text_neg_image', 'A'],
    ]);
    expect(report.notes).toEqual([expect.stringMatching(/my_task\.jsonl: 4 VQA item\(s\) of a task CameraBench does not list, in a folder that is not a skill folder/)]);
    db.close();
  });
});
