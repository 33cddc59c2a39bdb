// Bad input never crashes and never changes the project: each case gets one clear message
// naming the file, the record and the reason (issue #2, "Bad input").
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../backend/formats/importFiles';
import { InputError } from '../common/errors';
import { createProject, type WritableDB } from '../db/connection';
import { randomGenerator, syntheticSft } from './fixtures/syntheticDatasets';
import { frustum } from './support/cli';
import { tempDir, track } from './support/tempDir';

const SHARED = join(__dirname, '..', '..', 'shared', 'data');
const EVAL_FILE = join(SHARED, 'camreasoner', 'camerabench_binary.json');

function evalRecords(count: number): Array<Record<string, unknown>> {
  if (existsSync(EVAL_FILE)) return (JSON.parse(readFileSync(EVAL_FILE, 'utf8')) as Array<Record<string, unknown>>).slice(0, count);
  // Without ../shared, records of the same schema (CI always has ../shared).
  return Array.from({ length: count }, (_, index) => ({
    problem_id: `Pan_Left_${index + 1}`, problem: 'Does the camera pan to the left?', data_type: 'video', problem_type: 'multiple choice',
    options: ['A. No', 'B. Yes'], process: '', solution: index % 3 ? '<answer>A</answer>' : '<answer>B</answer>', path: `video/c${index}.mp4`,
    data_source: 'camerabench', dataset: 'camerabench', output: [], id: `Pan_Left_${index + 1}`,
  }));
}

function rowCount(db: WritableDB): number {
  return ['samples', 'sources', 'clips', 'chain_revisions', 'clip_labels', 'sample_sources', 'runs', 'predictions']
    .map((table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n)
    .reduce((a, b) => a + b, 0);
}

function expectRejected(file: string, content: string | Buffer | null, expected: { record?: number; field?: string; reason: RegExp }): void {
  const folder = tempDir();
  const path = join(folder, file);
  if (content !== null) writeFileSync(path, content);
  const db = track(createProject(join(folder, 'p.frustum')));
  let caught: unknown;
  try {
    importFiles(db, [path]);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'import should fail').toBeInstanceOf(InputError);
  const problem = (caught as InputError).problems[0];
  expect(problem?.file).toBe(path);
  if (expected.record !== undefined) expect(problem?.record).toBe(expected.record);
  if (expected.field !== undefined) expect(problem?.field).toBe(expected.field);
  expect(problem?.reason).toMatch(expected.reason);
  expect(rowCount(db)).toBe(0);
  db.close();
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('bad input', () => {
  it('truncated JSON', () => {
    const text = json(evalRecords(50));
    expectRejected('cut.json', text.slice(0, Math.floor(text.length * 0.6)), { reason: /truncated|ends too early|not closed/ });
  });

  it('wrong types', () => {
    const records = evalRecords(5);
    records[3] = { ...records[3], problem: 123 };
    expectRejected('types.json', json(records), { record: 3, field: 'problem', reason: /expected string, received number/ });
  });

  it('missing fields', () => {
    const records = evalRecords(5);
    delete records[1]!['solution'];
    expectRejected('missing.json', json(records), { record: 1, field: 'solution', reason: /is missing/ });
  });

  it('duplicate ids', () => {
    const records = evalRecords(6);
    records[5] = { ...records[5], problem_id: records[0]!['problem_id'] };
    expectRejected('dup.json', json(records), { record: 5, field: 'problem_id', reason: /duplicate id/ });
  });

  it('unknown option letters', () => {
    const records = evalRecords(4);
    records[2] = { ...records[2], solution: '<answer>E</answer>' };
    expectRejected('letters.json', json(records), { record: 2, field: 'solution', reason: /"E" is not one of the options A, B/ });
  });

  it('a 10 MB string', () => {
    const records = evalRecords(3);
    records[1] = { ...records[1], problem: 'x'.repeat(10 * 1024 * 1024) };
    expectRejected('huge.json', json(records), { record: 1, field: 'problem', reason: /longer than 65536 characters/ });
  });

  it('a directory given as a file', () => {
    const folder = tempDir();
    mkdirSync(join(folder, 'data.json'));
    const db = track(createProject(join(folder, 'p.frustum')));
    expect(() => importFiles(db, [join(folder, 'data.json')])).toThrow(/is a directory/);
    db.close();
  });

  it('a binary file', () => {
    expectRejected('video.json', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81]), { reason: /not UTF-8/ });
  });

  it('JSON that holds no records', () => {
    expectRejected('number.json', '42', { reason: /expected a JSON array/ });
    expectRejected('empty-array.json', '[]', { reason: /holds no records/ });
    expectRejected('other.json', '{"a": 1}', { reason: /not a format Frustum knows/ });
  });

  it('records of an unknown shape', () => {
    expectRejected('unknown.json', json([{ foo: 1 }]), { reason: /unrecognised records \(keys: foo\)/ });
  });

  it('a project file that is not SQLite', () => {
    const folder = tempDir();
    const project = join(folder, 'p.frustum');
    writeFileSync(project, 'this is not a database, just text.');
    const data = join(folder, 'd.json');
    writeFileSync(data, json(evalRecords(2)));
    const result = frustum(['import', project, data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${project}: is not a Frustum project (not an SQLite file)\n`);
    expect(readFileSync(project, 'utf8')).toBe('this is not a database, just text.');
  });

  it('SFT records whose videos and <video> tokens differ', () => {
    const records = syntheticSft({ count: 3, seed: 31 }) as Array<Record<string, unknown>>;
    records[1] = { ...records[1], videos: ['a.mp4', 'b.mp4'] };
    expectRejected('sft.json', json(records), { record: 1, field: 'videos', reason: /2 video\(s\) but 1 <video> token/ });
  });
});

type Mutation = (record: Record<string, unknown>, random: () => number) => void;

const MUTATIONS: Mutation[] = [
  (record, random) => { delete record[pickKey(record, random)]; },
  (record, random) => { record[pickKey(record, random)] = pickValue(random); },
  (record, random) => { const key = pickKey(record, random); record[key] = String(record[key]).slice(0, Math.floor(random() * 5)); },
  (record) => { record['options'] = ['A. No']; },
  (record) => { record['options'] = ['A. No', 'A. Yes']; },
  (record) => { record['solution'] = '<answer>' + '\u0000\ud800B' + '</answer>'; },
  (record) => { record['path'] = ''; },
  (record) => { record['problem'] = '   '; },
  (record, random) => { record['solution'] = `<answer>${String.fromCharCode(65 + Math.floor(random() * 30))}</answer>`; },
  (record) => { record['problem_id'] = { nested: true }; },
];

function pickKey(record: Record<string, unknown>, random: () => number): string {
  const keys = Object.keys(record);
  return keys[Math.floor(random() * keys.length)] ?? 'problem';
}

function pickValue(random: () => number): unknown {
  const values = [null, 0, -1.5, true, [], {}, '', 'x'.repeat(70_000), ['a', 1], '\ud83d', NaN];
  return values[Math.floor(random() * values.length)];
}

describe('fuzz: mutated real records', () => {
  it('either imports or fails cleanly naming file and record, never half-way', () => {
    const random = randomGenerator(20261125);
    const base = evalRecords(40);
    const folder = tempDir();
    let failures = 0;
    for (let round = 0; round < 150; round++) {
      const records = base.map((record) => ({ ...record }));
      const victims = 1 + Math.floor(random() * 3);
      for (let n = 0; n < victims; n++) {
        const record = records[Math.floor(random() * records.length)] as Record<string, unknown>;
        MUTATIONS[Math.floor(random() * MUTATIONS.length)]!(record, random);
      }
      const path = join(folder, `fuzz-${round}.json`);
      let text = JSON.stringify(records, null, 2);
      if (random() < 0.15) text = text.slice(0, Math.floor(random() * text.length));
      writeFileSync(path, text);
      const db = track(createProject(join(folder, `p-${round}.frustum`)));
      try {
        importFiles(db, [path]);
        expect(rowCount(db)).toBeGreaterThan(0);
      } catch (error) {
        failures++;
        if (!(error instanceof InputError)) throw new Error(`round ${round}: ${String(error)}`);
        for (const problem of error.problems) {
          expect(problem.file).toBe(path);
          expect(problem.reason.length).toBeGreaterThan(5);
        }
        expect(rowCount(db), `round ${round} left rows behind`).toBe(0);
      } finally {
        db.close();
      }
    }
    // The mutations are meant to break most files; if none failed the test checks nothing.
    expect(failures).toBeGreaterThan(50);
  });
});
