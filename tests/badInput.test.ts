// Bad input never crashes and never changes the project: each case gets one clear message
// naming the file, the record and the reason (issue #2, "Bad input"; issue #9: the crashes that
// were left, a damaged project, another application's SQLite file, and the fuzz over both).
import Database from 'better-sqlite3';
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../backend/formats/importFiles';
import { MAX_INPUT_BYTES } from '../backend/formats/readInput';
import { toApiError } from '../backend/studio/dispatch';
import { InputError } from '../common/errors';
import { LIMITS } from '../common/formats/schemas';
import { createProject, openProject, type WritableDB } from '../db/connection';
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
  return ['samples', 'sources', 'clips', 'chain_revisions', 'clip_labels', 'sample_sources', 'runs', 'predictions', 'benchmark_items']
    .map((table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n)
    .reduce((a, b) => a + b, 0);
}

function expectRejected(file: string, content: string | Buffer | null, expected: { record?: number; line?: number; field?: string; reason: RegExp }): void {
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
  if (expected.line !== undefined) expect(problem?.line).toBe(expected.line);
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

  it('a file longer than the longest string JavaScript holds: refused before it is read', () => {
    // 600 MiB without writing them: truncate extends the file with a hole. Read whole, it was
    // "Cannot create a string longer than 0x1fffffe8 characters" and exit 70 (V8's limit is
    // 512 MiB, under the 1 GiB the refusal used to be set at).
    const folder = tempDir();
    const path = join(folder, 'huge.json');
    writeFileSync(path, '[{"problem": "');
    truncateSync(path, 600 * 2 ** 20);
    expect(MAX_INPUT_BYTES).toBe(bufferConstants.MAX_STRING_LENGTH);
    const project = join(folder, 'p.frustum');
    createProject(project).close();
    const before = readFileSync(project);
    const result = frustum(['import', project, path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: ${path}: is 600 MiB; a file can be at most 511 MiB (${MAX_INPUT_BYTES} bytes, the longest text JavaScript can hold); ` +
        'split it into smaller files (JSON Lines splits at any line break, e.g. `split -l 100000`) and import them together\n',
    );
    expect(readFileSync(project).equals(before)).toBe(true);
    expect(frustum(['validate', path]).code).toBe(1);
  });

  it('JSON Lines whose first line holds NaN: the record is read, and its problem named at line 1', () => {
    const lines = [
      '{"image": "a.mp4", "question": "Does the camera pan left?", "label": NaN}',
      '{"image": "b.mp4", "question": "Does the camera pan left?", "label": "Yes", "score": Infinity}',
    ];
    expectRejected('nan.jsonl', lines.join('\n') + '\n', { record: 0, line: 1, field: 'label', reason: /must be "Yes" or "No"/ });
    expectRejected('nan-bom-crlf.jsonl', '\ufeff' + lines.join('\r\n') + '\r\n', { record: 0, line: 1, field: 'label', reason: /must be "Yes" or "No"/ });
  });

  it('a question or an option that is only whitespace', () => {
    const records = evalRecords(5);
    records[2] = { ...records[2], problem: ' \n\t\u3000' };
    expectRejected('blank.json', json(records), { record: 2, field: 'problem', reason: /the question is empty or only whitespace/ });
    const withOption = evalRecords(5);
    withOption[3] = { ...withOption[3], options: ['A. No', 'B.   '] };
    expectRejected('blank-option.json', json(withOption), { record: 3, field: 'options', reason: /option B has no text after "B\."/ });
  });

  it('SFT records whose videos and <video> tokens differ', () => {
    const records = syntheticSft({ count: 3, seed: 31 }) as Array<Record<string, unknown>>;
    records[1] = { ...records[1], videos: ['a.mp4', 'b.mp4'] };
    expectRejected('sft.json', json(records), { record: 1, field: 'videos', reason: /2 video\(s\) but 1 <video> token/ });
  });
});


// The benchmark formats of issue 13, from their own files: one bad record anywhere, in any file
// of the import, and nothing is written; the problem names the file, the record and the reason.
describe.runIf(existsSync(join(SHARED, 'shotbench')))('bad benchmark records', () => {
  const vqaFile = join(SHARED, 'camerabench', 'vqa_and_retrieval', 'motion_direction', 'pan_left_vs_pan_right.jsonl');
  const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');

  it('a VQA pair whose two videos are one clip', () => {
    const pairs = lines(vqaFile);
    const third = JSON.parse(pairs[2] as string) as Record<string, string>;
    pairs[2] = JSON.stringify({ ...third, neg_video: `video/${third['pos_video']}` });
    expectRejected('pan_left_vs_pan_right.jsonl', pairs.join('\n') + '\n', { record: 2, line: 3, field: 'neg_video', reason: /is the same clip as pos_video/ });
  });

  it('a ShotBench answer that is none of its options, and options that are not JSON', () => {
    const rows = lines(join(SHARED, 'shotbench', 'shotbench_camera_movement_464.jsonl'));
    const withAnswer = [...rows];
    withAnswer[5] = JSON.stringify({ ...(JSON.parse(rows[5] as string) as object), answer: 'E' });
    expectRejected('shotbench.jsonl', withAnswer.join('\n'), { record: 5, line: 6, field: 'answer', reason: /"E" is not one of the options A, B, C, D/ });
    const withOptions = [...rows];
    withOptions[9] = JSON.stringify({ ...(JSON.parse(rows[9] as string) as object), options: "{'A': 'Pan left'}" });
    expectRejected('refineshot.jsonl', withOptions.join('\n'), { record: 9, line: 10, field: 'options', reason: /is not a JSON object of options/ });
  });

  it('a caption without its reference', () => {
    const captions = JSON.parse(readFileSync(join(SHARED, 'camerabench', 'caption_data.json'), 'utf8')) as Array<Record<string, string>>;
    captions[40] = { ...captions[40], answer: '  ' } as Record<string, string>;
    expectRejected('caption_data.json', json(captions), { record: 40, field: 'answer', reason: /the reference caption is empty or only whitespace/ });
  });

  it('a good file beside a bad one: neither is imported', () => {
    const folder = tempDir();
    const bad = join(folder, 'shotbench.jsonl');
    const rows = lines(join(SHARED, 'shotbench', 'shotbench_camera_movement_464.jsonl'));
    rows[300] = JSON.stringify({ ...(JSON.parse(rows[300] as string) as object), type: '["audio"]' });
    writeFileSync(bad, rows.join('\n'));
    const db = track(createProject(join(folder, 'p.frustum')));
    let caught: unknown;
    try {
      importFiles(db, [vqaFile, join(SHARED, 'camerabench', 'caption_data.json'), bad]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).problems).toEqual([{ file: bad, record: 300, line: 301, field: 'type', reason: 'expected ["video"] or ["image"]' }]);
    expect(rowCount(db)).toBe(0);
    db.close();
  });
});

/** A project with 40 samples whose `samples` table has garbage over its root page's header. */
function damagedProject(): { folder: string; project: string; data: string } {
  const folder = tempDir();
  const project = join(folder, 'p.frustum');
  const data = join(folder, 'data.json');
  writeFileSync(data, json(evalRecords(40)));
  const db = track(createProject(project));
  importFiles(db, [data]);
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'samples'").get() as { rootpage: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close(); // the last connection checkpoints: every page is in the main file, and no WAL is left
  // Not page 1: the project opens and migrates as usual, and the damage shows only when a query
  // reads the samples table (a page type SQLite does not know: SQLITE_CORRUPT, every time).
  const descriptor = openSync(project, 'r+');
  writeSync(descriptor, Buffer.alloc(16, 0xee), 0, 16, (rootpage - 1) * pageSize);
  closeSync(descriptor);
  return { folder, project, data };
}

describe('a damaged project file', () => {
  it('every command says so, points at PRAGMA integrity_check, exits 1 and changes nothing', () => {
    const { folder, project } = damagedProject();
    const more = join(folder, 'more.json');
    writeFileSync(more, json(evalRecords(3).map((record, index) => ({ ...record, problem_id: `More_${index}`, path: `video/more${index}.mp4` }))));
    const before = readFileSync(project);
    const message = `error: ${project}: is damaged (database disk image is malformed); check it with: sqlite3 ${project} 'PRAGMA integrity_check'\n`;
    const out = join(folder, 'out.json');
    for (const args of [['stats', project], ['import', project, more], ['export', project, '--format', 'eval', '--out', out], ['validate', project]]) {
      const result = frustum(args);
      expect({ code: result.code, stderr: result.stderr }, args[0]).toEqual({ code: 1, stderr: message });
      expect(readFileSync(project).equals(before), `${args[0]} changed the project`).toBe(true);
    }
    expect(existsSync(out)).toBe(false);
    const asJson = frustum(['stats', project, '--json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toEqual({ ok: false, error: 'project', message: message.slice('error: '.length, -1) });
  });

  it('a header SQLite cannot read is damage too (SQLITE_NOTADB)', () => {
    const { project } = damagedProject();
    const descriptor = openSync(project, 'r+');
    writeSync(descriptor, Buffer.from([0x00, 0x07]), 0, 2, 16); // the page size: not a power of two
    closeSync(descriptor);
    const result = frustum(['stats', project]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*p\.frustum: is damaged \(file is not a database\); check it with: sqlite3 .* 'PRAGMA integrity_check'\n$/);
  });

  it("the studio's calls say the same, as 'unavailable'", () => {
    const { project } = damagedProject();
    const db = track(openProject(project));
    let caught: unknown;
    try {
      db.prepare('SELECT question FROM samples').all();
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string } | undefined)?.code).toBe('SQLITE_CORRUPT');
    const apiError = toApiError(caught, 'library.query');
    expect({ code: apiError.code, message: apiError.message }).toEqual({
      code: 'unavailable',
      message: `${project}: is damaged (database disk image is malformed); check it with: sqlite3 ${project} 'PRAGMA integrity_check'`,
    });
    db.close();
  });
});

describe("another application's SQLite file", () => {
  it('is refused by every command and left byte for byte as it was: no switch to WAL, no -wal or -shm', () => {
    const folder = tempDir();
    const foreign = join(folder, 'notes.db');
    const other = new Database(foreign);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    other.close();
    const data = join(folder, 'data.json');
    writeFileSync(data, json(evalRecords(3)));
    const before = readFileSync(foreign);
    expect([before[18], before[19]], 'a rollback-journal file to begin with').toEqual([1, 1]);
    const files = readdirSync(folder).sort();
    const message = `error: ${foreign}: is an SQLite file but not a Frustum project (no migrations table)\n`;
    for (const args of [
      ['import', foreign, data],
      ['stats', foreign],
      ['export', foreign, '--format', 'eval', '--out', join(folder, 'out.json')],
      ['validate', foreign],
      ['serve', foreign, '--no-open'],
    ]) {
      const result = frustum(args);
      expect({ code: result.code, stderr: result.stderr }, args[0]).toEqual({ code: 1, stderr: message });
      const after = readFileSync(foreign);
      expect([after[18], after[19]], `${args[0]}: header bytes 18–19 (1, 1: rollback journal; 2, 2: WAL)`).toEqual([1, 1]);
      expect(after.equals(before), `${args[0]} changed the file`).toBe(true);
      expect(readdirSync(folder).sort(), `${args[0]} left files behind`).toEqual(files);
    }
  });
});

// ---- Fuzz: real records, mutated in their values and in their text, imported in process and
// through the command line. Deterministic (seeded); each test prints how many cases it tried.

type Mutation = (record: Record<string, unknown>, random: () => number) => void;

const WHITESPACE = ['', ' ', '   ', '\t\n', '\r\n', '\u00a0', '\u3000', '\u2028', '<video> '];
const ODD_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\udfff\ud800', '\u0000\ud83d', '\u0007', '\ufeff'];
/** Stand-ins JSON.stringify can write, replaced in the text by the tokens Python's json.dump writes. */
const NON_FINITE = ['@@NaN@@', '@@Infinity@@', '@@-Infinity@@'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function pickKey(record: Record<string, unknown>, random: () => number): string {
  const keys = Object.keys(record);
  return keys[Math.floor(random() * keys.length)] ?? 'problem';
}

function pickValue(random: () => number): unknown {
  const values = [null, 0, -1.5, true, [], {}, '', 'x'.repeat(70_000), ['a', 1], '\ud83d', NaN];
  return values[Math.floor(random() * values.length)];
}

/** `text` with `piece` put in at a random place (or instead of it, when it is not a string). */
function spliceInto(value: unknown, piece: string, random: () => number): string {
  const text = typeof value === 'string' ? value : '';
  const at = Math.floor(random() * (text.length + 1));
  return text.slice(0, at) + piece + text.slice(at);
}

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
  // NUL, lone surrogates and other odd characters in any field, a string or not.
  (record, random) => { const key = pickKey(record, random); record[key] = spliceInto(record[key], pick(ODD_CHARACTERS, random), random); },
  (record, random) => { for (const key of Object.keys(record)) if (typeof record[key] === 'string') record[key] = spliceInto(record[key], pick(ODD_CHARACTERS, random), random); },
  // Whitespace-only strings: any field, the question of each format, one option's text.
  (record, random) => { record[pickKey(record, random)] = pick(WHITESPACE, random); },
  (record, random) => { record['question' in record ? 'question' : 'problem'] = pick(WHITESPACE, random); },
  (record, random) => {
    if (!Array.isArray(record['options'])) return;
    const options = [...(record['options'] as unknown[])];
    const index = Math.floor(random() * options.length);
    options[index] = `${String.fromCharCode(65 + index)}.${pick(WHITESPACE, random)}`;
    record['options'] = options;
  },
  // Strings at, and one past, the limit of their field.
  (record, random) => {
    const [key, limit] = pick([['problem', LIMITS.question], ['question', LIMITS.question], ['path', LIMITS.shortText], ['image', LIMITS.shortText],
      ['problem_id', LIMITS.shortText], ['process', LIMITS.chain]] as const, random);
    record[key] = (key === 'problem' || key === 'question' ? 'Does the camera pan? ' : '').padEnd(limit + (random() < 0.5 ? 0 : 1), 'x');
  },
  // NaN and Infinity where any value goes, as Python's json.dump writes them.
  (record, random) => { record[pickKey(record, random)] = pick(NON_FINITE, random); },
];

interface FuzzedFile {
  text: string;
  recordCount: number;
  /** JSON Lines, not cut short as a whole: every problem must name its record and line. */
  isWholeJsonLines: boolean;
}

function cameraBenchRecords(count: number): Array<Record<string, unknown>> {
  return evalRecords(count).map((record) => ({
    image: String(record['path']).replace(/^video\//, ''),
    question: record['problem'],
    label: String(record['solution']).includes('B') ? 'Yes' : 'No',
    task: 'Pan Left',
  }));
}

/**
 * One fuzzed file: eval or CameraBench records as a JSON array or JSON Lines, a few records
 * mutated, then the text: NaN / Infinity tokens, CRLF line ends, a byte order mark, a raw NUL,
 * a JSON Lines line cut short, or the whole file cut short.
 */
function fuzzedFile(random: () => number, bases: { eval: Array<Record<string, unknown>>; cameraBench: Array<Record<string, unknown>> }, mutationRate = 1): FuzzedFile {
  const base = random() < 0.5 ? bases.eval : bases.cameraBench;
  const records = base.map((record) => ({ ...record }));
  if (random() < mutationRate) {
    const victims = 1 + Math.floor(random() * 3);
    for (let n = 0; n < victims; n++) pick(MUTATIONS, random)(pick(records, random), random);
  }
  const isJsonLines = random() < 0.5;
  const eol = random() < 0.3 ? '\r\n' : '\n';
  let text = isJsonLines
    ? records.map((record) => JSON.stringify(record)).join(eol) + (random() < 0.8 ? eol : '')
    : JSON.stringify(records, null, 2).replaceAll('\n', eol);
  text = text.replace(/"@@(NaN|-?Infinity)@@"/g, '$1');
  if (isJsonLines && random() < 0.15) {
    const lines = text.split(eol);
    const cut = Math.floor(random() * lines.length);
    lines[cut] = (lines[cut] ?? '').slice(0, Math.floor(random() * (lines[cut] ?? '').length));
    text = lines.join(eol);
  }
  if (random() < 0.05) text = spliceInto(text, '\u0000', random);
  const isCut = random() < 0.1;
  if (isCut) text = text.slice(0, Math.floor(random() * text.length));
  if (random() < 0.15) text = '\ufeff' + text;
  return { text, recordCount: records.length, isWholeJsonLines: isJsonLines && !isCut };
}

/** What an import that succeeded must not have let in: a question or an option with no text. */
function blankTextsIn(db: WritableDB): string[] {
  const blank: string[] = [];
  for (const row of db.prepare('SELECT id, question, options FROM samples').all() as Array<{ id: number; question: string; options: string }>) {
    if (row.question.replaceAll('<video>', '').trim() === '') blank.push(`sample ${row.id}: question ${JSON.stringify(row.question)}`);
    for (const option of JSON.parse(row.options) as string[]) {
      if (option.replace(/^\s*[A-Za-z]\s*[.)]/, '').trim() === '') blank.push(`sample ${row.id}: option ${JSON.stringify(option)}`);
    }
  }
  return blank;
}

describe('fuzz: mutated real records', () => {
  it('either imports or fails cleanly naming file and record, never half-way', () => {
    const random = randomGenerator(20261125);
    const bases = { eval: evalRecords(40), cameraBench: cameraBenchRecords(40) };
    const folder = tempDir();
    // A fresh project per case, copied from one made once: creating each runs every migration.
    const template = join(folder, 'template.frustum');
    createProject(template).close();
    const CASES = 400;
    let failures = 0;
    for (let round = 0; round < CASES; round++) {
      const { text, recordCount, isWholeJsonLines } = fuzzedFile(random, bases);
      const path = join(folder, `fuzz-${round}.json`);
      writeFileSync(path, text);
      const project = join(folder, `p-${round}.frustum`);
      copyFileSync(template, project);
      const db = track(openProject(project));
      try {
        importFiles(db, [path]);
        expect(rowCount(db)).toBeGreaterThan(0);
        expect(blankTextsIn(db), `round ${round} imported blank text`).toEqual([]);
      } catch (error) {
        failures++;
        if (!(error instanceof InputError)) throw new Error(`round ${round}: ${error instanceof Error ? error.stack : String(error)}`);
        const lineCount = text.split('\n').length;
        for (const problem of error.problems) {
          expect(problem.file, `round ${round}`).toBe(path);
          expect(problem.reason.length, `round ${round}`).toBeGreaterThan(5);
          if (problem.record !== undefined) expect(problem.record, `round ${round}`).toBeLessThan(recordCount);
          if (problem.line !== undefined) expect(problem.line, `round ${round}`).toBeLessThanOrEqual(lineCount);
          // Each line of JSON Lines is a record: its problems name both (a NaN on the first line
          // once made the file read as one value, refused at line 2 with no record).
          if (isWholeJsonLines) expect([problem.record, problem.line], `round ${round}: ${problem.reason}`).not.toContain(undefined);
        }
        expect(rowCount(db), `round ${round} left rows behind`).toBe(0);
      } finally {
        db.close();
      }
    }
    console.log(`fuzz: ${CASES} mutated files imported in process, ${failures} refused cleanly, ${CASES - failures} imported`);
    // The mutations are meant to break most files; if none failed the test checks nothing.
    expect(failures).toBeGreaterThan(CASES / 3);
    expect(failures).toBeLessThan(CASES);
  });

  it('frustum import exits 0 or 1, never 70, and on 1 leaves the project file byte for byte as it was', () => {
    const random = randomGenerator(20261126);
    const bases = { eval: evalRecords(40), cameraBench: cameraBenchRecords(40) };
    const folder = tempDir();
    const project = join(folder, 'p.frustum');
    createProject(project).close();
    let before = readFileSync(project);
    const RUNS = 8;
    const codes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Half the files unmutated (bar their text variants), so some imports succeed and change the project.
      const { text } = fuzzedFile(random, bases, 0.6);
      const path = join(folder, `fuzz-${run}.json`);
      writeFileSync(path, text);
      const result = frustum(['import', project, path]);
      codes.push(result.code);
      expect([0, 1], `run ${run}: exit ${result.code}\n${result.stderr}`).toContain(result.code);
      const after = readFileSync(project);
      if (result.code === 1) {
        expect(result.stderr, `run ${run}`).toContain(path);
        expect(after.equals(before), `run ${run}: a refused import changed the project`).toBe(true);
      }
      before = after;
      expect(existsSync(`${project}-wal`), `run ${run} left a WAL behind`).toBe(false);
    }
    console.log(`fuzz: ${RUNS} mutated files through frustum import, exit codes ${codes.join(' ')}`);
    expect(codes).toContain(1);
  });
});
