// The shortcut audit over real project files: synthetic datasets imported as files (one with
// its label in the clip names, one with random letters) reported per source, the studio's
// stats.audit through the contract, and the reference datasets of ../shared/data with what the
// audit finds in them (the closing note of issue 13 quotes these numbers).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSamples, type AuditGroupReport, type ShortcutId, type ShortcutResult } from '../../common/audit/audit';
import { InputError } from '../../common/errors';
import { PRIMITIVES, PRIMITIVE_INFO } from '../../common/camerabench/primitives';
import { pickOne, seededRandom } from '../../common/random';
import { createProject } from '../../db/connection';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { createInProcessClient } from '../studio/inProcessClient';
import { openStudio } from '../studio/studio';
import { auditProject } from './audit';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const CAMREASONER = join(SHARED, 'camreasoner');
const SHOTBENCH = join(SHARED, 'shotbench');
const hasShared = existsSync(join(CAMREASONER, 'camerabench_binary.json'));

function shortcut(group: AuditGroupReport, id: ShortcutId): ShortcutResult {
  const found = group.shortcuts.find((result) => result.id === id);
  if (!found) throw new Error(`no ${id} in ${group.label}`);
  return found;
}

function evalRecord(index: number, problem: string, options: string[], answer: string, path: string) {
  return { problem_id: `q_${index}`, problem, data_type: 'video', problem_type: 'multiple choice', options, process: '', solution: `<answer>${answer}</answer>`, path, data_source: 'synthetic', dataset: 'synthetic' };
}

/** Two files: clips named after their motion (the label leaks), and random letters for random clips. */
function syntheticFiles(folder: string): { leaky: string; random: string } {
  const random = seededRandom(2026);
  const leaky = [];
  for (let clip = 0; clip < 120; clip++) {
    const motion = pickOne(random, PRIMITIVES);
    const name = `video/${String(clip).padStart(4, '0')}_${PRIMITIVE_INFO[motion].label.replace(/ /g, '_')}_fast.mp4`;
    let other = pickOne(random, PRIMITIVES);
    while (other === motion) other = pickOne(random, PRIMITIVES);
    leaky.push(evalRecord(leaky.length, PRIMITIVE_INFO[motion].question, ['A. No', 'B. Yes'], 'B', name));
    leaky.push(evalRecord(leaky.length, PRIMITIVE_INFO[other].question, ['A. No', 'B. Yes'], 'A', name));
  }
  const noise = [];
  for (let clip = 0; clip < 240; clip++) {
    const name = `video/${Math.floor(random() * 2 ** 40).toString(36)}.1.${clip}.mp4`;
    const primitive = pickOne(random, PRIMITIVES);
    noise.push(evalRecord(noise.length, PRIMITIVE_INFO[primitive].question, ['A. No', 'B. Yes'], random() < 0.5 ? 'A' : 'B', name));
  }
  const paths = { leaky: join(folder, 'leaky.json'), random: join(folder, 'random.json') };
  writeFileSync(paths.leaky, JSON.stringify(leaky, null, 2));
  writeFileSync(paths.random, JSON.stringify(noise, null, 2));
  return paths;
}

describe('a project of two sources', () => {
  it('reports the project and each file: the leak in one, chance in the other', () => {
    const folder = tempDir();
    const files = syntheticFiles(folder);
    const db = track(createProject(join(folder, 'p.frustum')));
    importFiles(db, [files.leaky, files.random]);
    const report = auditProject(db);
    expect(report.samples).toBe(480);
    expect(report.groups.map((group) => [group.label, group.audited])).toEqual([['all samples', 480], ['leaky.json', 240], ['random.json', 240]]);

    const leaky = report.groups[1]!;
    const clipName = shortcut(leaky, 'clip-name');
    expect(clipName.level).toBe('shortcut');
    expect(clipName.accuracy).toBeGreaterThan(0.9);
    expect(leaky.verdict).toContain('the clip names carry the label');
    // The ids it explains are the file's samples, ready for a Library `sampleIds` filter.
    const leakyIds = new Set((db.prepare('SELECT ss.sample_id AS id FROM sample_sources ss JOIN sources so ON so.id = ss.source_id WHERE so.path LIKE ?').all('%leaky.json') as Array<{ id: number }>).map((row) => row.id));
    expect(clipName.explainedIds.length).toBe(clipName.explained);
    expect(clipName.explainedIds.every((id) => leakyIds.has(id))).toBe(true);

    const noise = report.groups[2]!;
    expect(noise.verdict).toMatch(/^no shortcut found/);
    for (const result of noise.shortcuts) {
      expect(['none', 'subsumed'], `${result.id}: ${result.verdict}`).toContain(result.level);
      expect(Math.abs(result.accuracy - 0.5), `${result.id} ${result.accuracy}`).toBeLessThan(0.1);
    }
    db.close();
  });

  it('answers stats.audit through the contract (response validated) with the same report', async () => {
    const folder = tempDir();
    const files = syntheticFiles(folder);
    const project = join(folder, 'p.frustum');
    const db = track(createProject(project));
    importFiles(db, [files.leaky, files.random]);
    const expected = auditProject(db, { splitBy: 'clip' });
    db.close();
    const studio = openStudio({
      projectPath: project,
      host: 'in-process',
      mediaUrls: { video: (id) => `test://clip/${id}`, frameTemplate: (id) => `test://clip/${id}/{index}`, filmstrip: (id) => `test://clip/${id}/strip` },
      author: 'tester',
      cacheRoot: join(folder, 'cache'),
      log: () => undefined,
    });
    try {
      const report = await createInProcessClient(studio).call('stats.audit', { splitBy: 'clip' });
      expect(report).toEqual(expected);
    } finally {
      await studio.close();
    }
  });
});

describe.runIf(hasShared)('the reference datasets', () => {
  const audit = (...files: string[]) => {
    const folder = tempDir();
    const db = track(createProject(join(folder, 'p.frustum')));
    importFiles(db, files);
    const report = auditProject(db);
    db.close();
    return report;
  };

  it('camerabench_binary.json: always "No" is 87.7 %, and nothing but the letter imbalance predicts the answer', () => {
    const group = audit(join(CAMREASONER, 'camerabench_binary.json')).groups[0]!;
    expect(group.audited).toBe(7679);
    expect(group.letters).toEqual({ A: 6737, B: 942 });
    expect(group.holdout.method).toBe('clip-hash');
    const majority = shortcut(group, 'majority-letter');
    expect(majority.level).toBe('imbalance');
    expect(majority.accuracy).toBeCloseTo(6737 / 7679, 3);
    expect(majority.verdict).toBe('always answering A ("No") explains 87.7 % of answers against 50.0 % chance: the answer letters are unbalanced');
    expect(majority.explainedIds).toHaveLength(6737);
    // No wording, order, name or classifier beats always "No".
    for (const result of group.shortcuts.filter((other) => other.id !== 'majority-letter')) expect(result.level, `${result.id}: ${result.verdict}`).toBe('none');
    expect(shortcut(group, 'text-classifier').accuracy).toBeLessThan(majority.accuracy + 0.01);
  });

  it("CameraBench's per-primitive JSONL files: every primitive's file has mostly No", () => {
    const folder = join(SHARED, 'camerabench', 'binary_classification');
    const report = audit(...readdirSync(folder).filter((name) => name.endsWith('.jsonl')).map((name) => join(folder, name)));
    expect(report.groups[0]!.audited).toBe(7679);
    expect(report.groups).toHaveLength(16);
    const byFile = Object.fromEntries(report.groups.slice(1).map((group) => [group.label, group]));
    for (const group of Object.values(byFile)) {
      expect(group.majorityLetter).toBe('A');
      expect(group.majority).toBeGreaterThan(0.7);
    }
  });

  /** The report of files the importer may not read yet (ShotBench's arrive with issue 13's formats): null then. */
  const auditIfImported = (...files: string[]) => {
    try {
      return audit(...files);
    } catch (error) {
      if (error instanceof InputError && /unrecognised records/.test(error.message)) return null;
      throw error;
    }
  };

  it('ShotBench camera movement: balanced letters, but some option texts are the answer far more often', (context) => {
    const report = auditIfImported(join(SHOTBENCH, 'shotbench_camera_movement_464.jsonl'));
    if (!report) return context.skip('this importer does not read ShotBench yet');
    const group = report.groups[0]!;
    expect(group.letters).toEqual({ A: 105, B: 115, C: 124, D: 120 });
    expect(shortcut(group, 'majority-letter').verdict).toMatch(/the answer letters are balanced/);
    const answerText = shortcut(group, 'answer-text');
    expect(answerText.level).toBe('shortcut');
    expect(answerText.accuracy).toBeGreaterThan(0.45);
    // "Push in" is the answer in 87 of the 160 questions that offer it.
    expect(answerText.examples[0]).toEqual({ value: 'push in', letter: '', share: 87 / 160, samples: 160 });
    expect(shortcut(group, 'text-classifier').level).toBe('shortcut');
  });

  it('RefineShot: its yes/no questions are always "yes"', (context) => {
    const report = auditIfImported(join(SHOTBENCH, 'refineshot_test_refined_3572.jsonl'));
    if (!report) return context.skip('this importer does not read RefineShot yet');
    const group = report.groups[0]!;
    expect(group.audited).toBe(3572);
    const answerText = shortcut(group, 'answer-text');
    expect(answerText.level).toBe('shortcut');
    expect(answerText.examples[0]).toEqual({ value: 'yes', letter: '', share: 1, samples: 249 });
    const framing = report.groups.find((other) => other.label.endsWith('shot framing'));
    if (framing) expect(shortcut(framing, 'answer-text').level).toBe('shortcut');
  });

  it("the 138 O-T-A outputs (read raw: the importer keys samples by clip and question, and this file asks one question of pairs of options): the affirmative option is the answer", () => {
    const records = JSON.parse(readFileSync(join(CAMREASONER, 'eval_camerabench_OTA_outputs_138.json'), 'utf8')) as Array<{ problem: string; options: string[]; solution: string; path: string }>;
    const group = auditSamples(records.map((record, index) => ({
      id: index + 1,
      question: record.problem,
      options: record.options,
      answer: /<answer>\s*([A-Z])/.exec(record.solution)![1]!,
      clip: record.path,
      split: 'test',
      primitive: null,
    }))).groups[0]!;
    expect(group.letters).toEqual({ A: 53, B: 85 });
    const negated = shortcut(group, 'negated-option');
    expect(negated.level).toBe('shortcut');
    expect(negated.accuracyWhereApplies).toBeGreaterThan(0.9);
    expect(shortcut(group, 'answer-text').accuracy).toBeGreaterThan(0.85);
    expect(shortcut(group, 'text-classifier').level).toBe('shortcut');
  });

  it('converted VQA samples: balanced letters, no shortcut', () => {
    const folder = join(CAMREASONER, 'converted_vqa_samples');
    const report = audit(...readdirSync(folder).map((name) => join(folder, name)));
    const group = report.groups[0]!;
    expect(group.letters).toEqual({ A: 192, B: 192 });
    expect(group.verdict).toMatch(/^no shortcut found/);
  });
});
