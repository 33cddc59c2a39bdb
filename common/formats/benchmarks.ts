// Every format's records as the import reads them: samples (normalize.ts), each with the
// benchmark item it is, when it is one (issue 13). A benchmark item is what scoring groups and
// averages: CameraBench's binary questions per primitive, its VQA pairs (four yes/no items each,
// grouped by pair and averaged per skill), its captions with their reference, ShotBench's and
// RefineShot's questions per category. One sample may be several items (a VQA video+question
// recurs across pairs and tasks; ShotBench's camera-movement rows are RefineShot's too), so the
// items live in their own table (migration 10, db/benchmarks.ts), never in the samples' columns.
import { BINARY_OPTIONS, checkOptions, clipFileName, fail, isBlank, normalizeRecord, parseWith, sampleKey, type NormalizedRecord, type SampleDraft } from './normalize';
import { questionWithOptions } from './prompts';
import { captionRecord, shotBenchRecord, vqaPairRecord, type FormatName } from './schemas';
import {
  CONVERTED_VQA_OPTIONS,
  CONVERTED_VQA_PREFIX,
  RUNPY_PROBLEM_NO,
  RUNPY_PROBLEM_YES,
  VQA_ROLES,
  isMatchingRole,
  vqaSkillOf,
  type VqaRole,
} from '../camerabench/vqa';

/** Migration 10's benchmark_items.benchmark values. */
export const BENCHMARKS = [
  'camerabench-binary',
  'camerabench-vqa',
  // CamReasoner's Inference/camerabench_vqa.json (run.py): the same pairs asked another way, half
  // of its labels inverted (evaluation.md §0.2). Kept apart so no score mixes it with the above.
  'camerabench-vqa-runpy',
  'camerabench-caption',
  'shotbench',
  'refineshot',
] as const;
export type Benchmark = (typeof BENCHMARKS)[number];

export type BenchmarkMeta = Record<string, string | number | boolean | null>;

export interface BenchmarkItemDraft {
  benchmark: Benchmark;
  /** The item's identity within its benchmark, the same whichever file names it (see itemKey below per benchmark). */
  itemKey: string;
  /** What the benchmark averages over: the primitive, the VQA skill folder, the ShotBench category, or "caption". */
  split: string;
  /** VQA: the task file's stem. */
  task: string | null;
  /** VQA: the pair, "<skill>/<task>#<pair index in the task file>". */
  group: string | null;
  role: VqaRole | null;
  /** Captions: the reference caption. */
  reference: string | null;
  meta: BenchmarkMeta;
}

/** Something about an item the import report should say (counted per file). */
export type ItemNotice =
  /** A run.py item whose label is not the letter the pair's semantics give (its "'no'" half). */
  | 'runpy-label-inverted'
  /** A VQA item whose answer is not the one its position in the pair order implies. */
  | 'vqa-role-mismatch'
  /** A VQA item whose skill neither its folder nor CameraBench's task list tells. */
  | 'vqa-skill-unknown'
  /** A ShotBench row about a still image, not a video. */
  | 'image-row';

export interface NormalizedItem extends NormalizedRecord {
  benchmark: BenchmarkItemDraft | null;
  notice: ItemNotice | null;
}

/** Where a record sits: the folder its file is in (by name), the file's stem, and its index in the file. */
export interface RecordContext {
  folder: string | null;
  stem: string;
  recordIndex: number;
}

export type NormalizeItemsResult = { ok: true; items: NormalizedItem[] } | { ok: false; field?: string; reason: string };

/** Whether a format's records are benchmark items first (a conflict about an item is then an error, not a note). */
export function isBenchmarkFormat(format: FormatName): boolean {
  return format === 'camerabench-vqa' || format === 'camerabench-caption' || format === 'shotbench' || format === 'refineshot';
}

export function normalizeItems(format: FormatName, value: unknown, context: RecordContext): NormalizeItemsResult {
  switch (format) {
    case 'sft':
    case 'rl':
    case 'camerabench-scores':
      return single(normalizeRecord(format, value), () => null);
    case 'eval':
    case 'results':
      return single(normalizeRecord(format, value), (record) => evalMembership(record.sample, value, context));
    case 'camerabench':
      return single(normalizeRecord(format, value), (record) => binaryItem(record.sample));
    case 'camerabench-vqa':
      return normalizeVqaPair(value, context);
    case 'camerabench-caption':
      return normalizeCaption(value, context);
    case 'shotbench':
    case 'refineshot':
      return normalizeShotBench(format, value);
  }
}

function single(
  result: ReturnType<typeof normalizeRecord>,
  membership: (record: NormalizedRecord) => { benchmark: BenchmarkItemDraft | null; notice?: ItemNotice | null; key?: string } | null,
): NormalizeItemsResult {
  if (!result.ok) return result;
  const found = membership(result.record);
  const sample = found?.key === undefined ? result.record.sample : { ...result.record.sample, key: found.key };
  return { ok: true, items: [{ sample, prediction: result.record.prediction, benchmark: found?.benchmark ?? null, notice: found?.notice ?? null }] };
}

// ---- CameraBench binary: the camerabench JSONL, and OneThinker records from CameraBench.

/**
 * A CameraBench binary question: item key "<primitive>/<clip file name>", which CameraBench's
 * JSONL and CamReasoner's camerabench_binary.json give alike whatever the order or subset of a
 * file (each primitive asks each clip once: 7,679 distinct pairs in the official files).
 */
function binaryItem(sample: SampleDraft): { benchmark: BenchmarkItemDraft } | null {
  if (sample.primitive === null || sample.clipRef === null) return null;
  return {
    benchmark: {
      benchmark: 'camerabench-binary',
      itemKey: `${sample.primitive}/${clipFileName(sample.clipRef)}`,
      split: sample.primitive,
      task: null,
      group: null,
      role: null,
      reference: null,
      meta: {},
    },
  };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((text, index) => text === b[index]);
}

const CONVERTED_ID = /^(.+)\.jsonl_(\d+)$/;
const RUNPY_ID = /^(.+)-(\d+)$/;

/**
 * Which benchmark an evaluation (or results) record belongs to, told by CamReasoner's own
 * conventions only: converted_vqa's problem text, options and "<task>.jsonl_<k>" ids; run.py's
 * two problems and "<task>-<k>" ids; CameraBench's binary options from a "camerabench" source.
 * A record that fits none is a sample and nothing more, as before.
 */
function evalMembership(sample: SampleDraft, value: unknown, context: RecordContext): { benchmark: BenchmarkItemDraft | null; notice?: ItemNotice | null; key?: string } | null {
  const record = value as Record<string, unknown>;
  const problemId = sample.problemId;
  if (problemId !== null && sample.question.startsWith(CONVERTED_VQA_PREFIX) && sameStrings(sample.options, CONVERTED_VQA_OPTIONS)) {
    const match = CONVERTED_ID.exec(problemId);
    if (match) return vqaItem('camerabench-vqa', match[1] as string, Number(match[2]), sample.answer, context.folder, problemId);
  }
  if (problemId !== null && (sample.question === RUNPY_PROBLEM_YES || sample.question === RUNPY_PROBLEM_NO) && sample.options.length === 2) {
    const match = RUNPY_ID.exec(problemId);
    const number = match ? Number(match[2]) : 0;
    if (match && number >= 1) {
      const asks = sample.question === RUNPY_PROBLEM_YES ? 'yes' : 'no';
      const found = vqaItem('camerabench-vqa-runpy', match[1] as string, number - 1, null, context.folder, problemId);
      const role = found.benchmark.role as VqaRole;
      // run.py puts the positive text first for the first two items of a pair and the negative one
      // first for the last two, so option A describes the video exactly for the matching roles.
      // The option whose answer is what the problem asks for is then A when asking "yes" about a
      // matching item or "no" about a crossed one, else B.
      const byPairSemantics = (asks === 'yes') === isMatchingRole(role) ? 'A' : 'B';
      found.benchmark.meta = { asks, labelAsFiled: sample.answer, labelByPairSemantics: byPairSemantics };
      // run.py asks "yes" of the matching items and "no" of the crossed ones; another order means the roles read from the ids are not this item's.
      const isInOrder = (asks === 'yes') === isMatchingRole(role);
      const notice: ItemNotice | null = !isInOrder ? 'vqa-role-mismatch' : sample.answer !== byPairSemantics ? 'runpy-label-inverted' : found.notice ?? null;
      // "Which of the following options…" is no question without its options: every item of a
      // pair on one video asks it, over different options. The options are part of its identity.
      return { benchmark: found.benchmark, notice, key: sampleKey(sample.clipRef, questionWithOptions(sample.question, sample.options)) };
    }
  }
  // run.py's wording under other ids (CamReasoner's eval_camerabench.json: shuffled options,
  // numeric ids): not an item of the pairs we know, but still no question without its options.
  if (sample.question === RUNPY_PROBLEM_YES || sample.question === RUNPY_PROBLEM_NO) {
    return { benchmark: null, key: sampleKey(sample.clipRef, questionWithOptions(sample.question, sample.options)) };
  }
  const isFromCameraBench = record['data_source'] === 'camerabench' || record['dataset'] === 'camerabench';
  if (isFromCameraBench && sameStrings(sample.options, BINARY_OPTIONS)) return binaryItem(sample);
  return null;
}

/** Item `position` (0-based) of a task file: pair position ÷ 4, role position mod 4. */
function vqaItem(
  benchmark: 'camerabench-vqa' | 'camerabench-vqa-runpy',
  task: string,
  position: number,
  answer: string | null,
  folder: string | null,
  itemKey: string,
): { benchmark: BenchmarkItemDraft; notice: ItemNotice | null } {
  const pair = Math.floor(position / 4);
  const role = VQA_ROLES[position % 4] as VqaRole;
  const skill = vqaSkillOf(task, folder);
  const split = skill ?? 'unknown';
  let notice: ItemNotice | null = skill === null ? 'vqa-skill-unknown' : null;
  // converted_vqa's answers are Yes (A) exactly for the matching roles.
  if (answer !== null && answer !== (isMatchingRole(role) ? 'A' : 'B')) notice = 'vqa-role-mismatch';
  return {
    benchmark: { benchmark, itemKey, split, task, group: `${split}/${task}#${pair}`, role, reference: null, meta: {} },
    notice,
  };
}

// ---- CameraBench VQA pair files.

const PAIR_ITEMS: ReadonlyArray<{ text: 'pos_text' | 'neg_text'; video: 'pos_video' | 'neg_video' }> = [
  { text: 'pos_text', video: 'pos_video' },
  { text: 'pos_text', video: 'neg_video' },
  { text: 'neg_text', video: 'pos_video' },
  { text: 'neg_text', video: 'neg_video' },
];

/**
 * One pair → its four yes/no items, each the record CamReasoner's converted_vqa holds for it
 * (checked equal, record for record, in importBenchmarks.test.ts), read as an evaluation record:
 * so the official pair file and CamReasoner's conversion of it meet in the same samples, and the
 * CamReasoner prompt and evaluator work on them unchanged. The skill is the file's folder.
 */
function normalizeVqaPair(value: unknown, context: RecordContext): NormalizeItemsResult {
  const parsed = parseWith(vqaPairRecord, value);
  if (!parsed.ok) return parsed;
  const pair = parsed.data;
  for (const field of ['pos_text', 'neg_text'] as const) if (isBlank(pair[field])) return fail(field, 'the question is empty or only whitespace');
  if (pair.pos_question !== undefined && pair.pos_question !== pair.pos_text) return fail('pos_question', 'differs from pos_text: which of the two the items ask is unclear');
  if (pair.neg_question !== undefined && pair.neg_question !== pair.neg_text) return fail('neg_question', 'differs from neg_text: which of the two the items ask is unclear');
  if (clipFileName(pair.pos_video) === clipFileName(pair.neg_video)) return fail('neg_video', 'is the same clip as pos_video: a pair compares two videos');
  if (pair.pos_text.trim() === pair.neg_text.trim()) return fail('neg_text', 'is the same as pos_text: a pair compares two texts');
  const task = context.stem;
  const items: NormalizedItem[] = [];
  for (const [role, { text, video }] of PAIR_ITEMS.entries()) {
    const position = 4 * context.recordIndex + role;
    const problemId = `${task}.jsonl_${position}`;
    const converted = {
      problem_id: problemId,
      problem: CONVERTED_VQA_PREFIX + pair[text],
      data_type: 'video',
      problem_type: 'multiple choice',
      options: [...CONVERTED_VQA_OPTIONS],
      process: '',
      solution: `<answer>${isMatchingRole(VQA_ROLES[role] as VqaRole) ? 'A' : 'B'}</answer>`,
      path: pair[video],
      data_source: 'camerabench',
      dataset: 'camerabench',
    };
    const result = normalizeRecord('eval', converted);
    if (!result.ok) return fail(result.field === 'problem' ? text : result.field === 'path' ? video : result.field, result.reason);
    const found = vqaItem('camerabench-vqa', task, position, result.record.sample.answer, context.folder, problemId);
    // A pair file in a folder that is no skill, of a task CameraBench does not list: its folder is the best name there is.
    if (found.notice === 'vqa-skill-unknown' && context.folder !== null) {
      found.benchmark.split = context.folder;
      found.benchmark.group = `${context.folder}/${task}#${context.recordIndex}`;
    }
    items.push({ ...result.record, benchmark: found.benchmark, notice: found.notice });
  }
  return { ok: true, items };
}

// ---- CameraBench captions.

/**
 * caption_data.json: a free-form question with the reference caption as its benchmark item's
 * reference (a free-form sample has no option letter to be its answer). Item key: the clip's
 * file name (one caption per clip in the official file); meta.index: its place in the file,
 * CameraBench's caption_results sample_id.
 */
function normalizeCaption(value: unknown, context: RecordContext): NormalizeItemsResult {
  const parsed = parseWith(captionRecord, value);
  if (!parsed.ok) return parsed;
  const record = parsed.data;
  if (isBlank(record.question)) return fail('question', 'the question is empty or only whitespace');
  if (isBlank(record.answer)) return fail('answer', 'the reference caption is empty or only whitespace');
  if (isBlank(clipFileName(record.video))) return fail('video', 'names no clip file');
  const question = record.question.trim();
  return {
    ok: true,
    items: [{
      sample: {
        key: sampleKey(record.video, question),
        clipRef: record.video,
        question,
        options: [],
        problemType: 'free-form',
        answer: null,
        primitive: null,
        problemId: null,
        chain: null,
      },
      prediction: null,
      benchmark: {
        benchmark: 'camerabench-caption',
        itemKey: clipFileName(record.video),
        split: 'caption',
        task: null,
        group: null,
        role: null,
        reference: record.answer,
        meta: { index: context.recordIndex },
      },
      notice: null,
    }],
  };
}

// ---- ShotBench and RefineShot.

/**
 * A ShotBench row → a multiple-choice sample, options "A. Zoom in", … in the object's key order,
 * problem_id its index. Its sample key holds the options too: RefineShot asks "What's the lighting
 * type of this shot?" of the same image over other options than ShotBench, and the two must not
 * merge; rows that are the same in both (camera movement) do. Image rows are imported with the
 * image as their clip (meta.dataType "image"), so the 8-dimension averages can be computed.
 */
function normalizeShotBench(format: 'shotbench' | 'refineshot', value: unknown): NormalizeItemsResult {
  const parsed = parseWith(shotBenchRecord, value);
  if (!parsed.ok) return parsed;
  const record = parsed.data;
  const types = readListLiteral(record.type);
  const dataType = types?.length === 1 ? types[0] : undefined;
  if (dataType !== 'video' && dataType !== 'image') return fail('type', 'expected ["video"] or ["image"]');
  const paths = readListLiteral(record.path) ?? [record.path];
  if (paths.length !== 1) return fail('path', `names ${paths.length} files; a ShotBench row is about one image or video`);
  const path = (paths[0] as string).trim();
  if (path === '' || isBlank(clipFileName(path))) return fail('path', 'names no file');
  if (isBlank(record.question)) return fail('question', 'the question is empty or only whitespace');
  if (isBlank(record.category)) return fail('category', 'is empty');
  let optionObject: unknown = record.options;
  if (typeof optionObject === 'string') {
    try {
      optionObject = JSON.parse(optionObject);
    } catch {
      return fail('options', 'is not a JSON object of options ({"A": "…", "B": "…"})');
    }
  }
  if (optionObject === null || typeof optionObject !== 'object' || Array.isArray(optionObject)) return fail('options', 'is not a JSON object of options ({"A": "…", "B": "…"})');
  const options: string[] = [];
  for (const [letter, text] of Object.entries(optionObject)) {
    if (!/^[A-Z]$/.test(letter)) return fail('options', `key "${letter.slice(0, 20)}" is not an option letter A–Z`);
    if (typeof text !== 'string') return fail('options', `option ${letter} is not text`);
    options.push(`${letter}. ${text}`);
  }
  if (options.length < 2) return fail('options', 'needs at least two options');
  if (options.length > 26) return fail('options', 'more than 26 options');
  const optionProblem = checkOptions(options);
  if (optionProblem) return fail('options', optionProblem);
  const answer = record.answer.trim();
  const letters = Object.keys(optionObject);
  if (!letters.includes(answer)) return fail('answer', `"${answer.slice(0, 40)}" is not one of the options ${letters.join(', ')}`);
  const question = record.question.trim();
  const index = String(record.index);
  return {
    ok: true,
    items: [{
      sample: {
        key: sampleKey(path, questionWithOptions(question, options)),
        clipRef: path,
        question,
        options,
        problemType: 'multiple choice',
        answer,
        primitive: null,
        problemId: index,
        chain: null,
      },
      prediction: null,
      benchmark: { benchmark: format, itemKey: index, split: record.category.trim(), task: null, group: null, role: null, reference: null, meta: { dataType } },
      notice: dataType === 'image' ? 'image-row' : null,
    }],
  };
}

/**
 * A list written as Python's repr or as JSON ("['video/x.mp4']", '["video"]'): its strings, or
 * null when the text is not such a list. Only string items, which is all ShotBench writes.
 */
export function readListLiteral(text: string): string[] | null {
  const body = text.trim();
  if (!body.startsWith('[') || !body.endsWith(']')) return null;
  const items: string[] = [];
  let at = 1;
  const end = body.length - 1;
  const skipSpace = () => {
    while (at < end && /\s/.test(body[at] as string)) at++;
  };
  skipSpace();
  if (at === end) return items;
  for (;;) {
    const quote = body[at];
    if (quote !== "'" && quote !== '"') return null;
    at++;
    let value = '';
    for (;;) {
      if (at >= end) return null;
      const character = body[at] as string;
      if (character === quote) break;
      if (character === '\\') {
        const next = body[at + 1];
        if (next === undefined || at + 1 >= end) return null;
        const escaped = ESCAPES[next];
        if (escaped !== undefined) {
          value += escaped;
          at += 2;
          continue;
        }
        const hex = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
        if (hex === 0 || !/^[0-9a-fA-F]+$/.test(body.slice(at + 2, at + 2 + hex)) || at + 2 + hex > end) return null;
        const code = Number.parseInt(body.slice(at + 2, at + 2 + hex), 16);
        if (code > 0x10ffff) return null;
        value += String.fromCodePoint(code);
        at += 2 + hex;
        continue;
      }
      value += character;
      at++;
    }
    items.push(value);
    at++;
    skipSpace();
    if (at === end) return items;
    if (body[at] !== ',') return null;
    at++;
    skipSpace();
    if (at === end) return items; // a trailing comma, as Python allows
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '/': '/', b: '\b', f: '\f', '0': '\0' };
