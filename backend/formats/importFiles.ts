// `frustum import`: read every file, validate every record, check them against each other and
// against the project, and only then write — in one transaction. Any problem anywhere means
// nothing is written, and every problem is reported with its file, record and reason.
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, type InputProblem } from '../../common/errors';
import type { JsonRecord } from '../../common/formats/jsonText';
import { isBenchmarkFormat, normalizeItems, type ItemNotice, type NormalizedItem } from '../../common/formats/benchmarks';
import { clipFileName } from '../../common/formats/normalize';
import type { FormatName } from '../../common/formats/schemas';
import { findBenchmarkItems } from '../../db/benchmarks';
import type { WritableDB } from '../../db/connection';
import { findSamplesByKeys, writeImport, type ImportBenchmarkItem, type ImportCounts, type ImportFile, type ImportSampleRow } from '../../db/imports';
import { countClipsWithoutMedia } from '../../db/clips';
import { findSourceBySha } from '../../db/sources';
import { writeTransaction } from '../../db/writers';
import { lookUpConfined, realFolder } from '../media/confine';
import { readInputFile, type FormatChoice, type InputFile } from './readInput';

export interface ImportOptions {
  format?: FormatChoice;
  /** Folder to look for clips in (by their path, then by file name). */
  videosDir?: string;
  /** Split for new samples; default: train for sft/rl, test for evaluation formats. */
  split?: string;
  /**
   * Where people know each file from, one per path (a dropped file's own name or path, when the
   * file read is a temporary copy): recorded as its source and named in problems. Only a label:
   * clips are still looked for beside the file read (a label from a page must not choose a folder).
   */
  sourcePaths?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** A file read for import, and the path to show and record for it when that is not the one read. */
type ImportInput = InputFile & { shownPath?: string };

function shownPath(input: ImportInput): string {
  return input.shownPath ?? input.path;
}

export interface ImportReport extends ImportCounts {
  files: Array<{ path: string; format: FormatName; records: number; skipped: boolean; reason?: string }>;
  unchanged: number;
  clipsMissing: number;
  /**
   * What a person should know about what was imported, one sentence each, naming the file: labels
   * a benchmark's own converter got wrong (kept as the file has them), items whose skill could
   * not be told, image rows, benchmark membership left out where it disagreed with the project.
   */
  notes: string[];
}

const SAMPLE_KIND: Record<FormatName, 'sft' | 'rl' | 'eval' | 'camerabench'> = {
  sft: 'sft',
  rl: 'rl',
  eval: 'eval',
  results: 'eval',
  camerabench: 'camerabench',
  'camerabench-scores': 'camerabench',
  'camerabench-vqa': 'camerabench',
  'camerabench-caption': 'camerabench',
  shotbench: 'eval',
  refineshot: 'eval',
};

function defaultSplit(format: FormatName): string {
  return format === 'sft' || format === 'rl' ? 'train' : 'test';
}

/** Problems reported at most per import; beyond this only a count (a broken file has thousands). */
const MAX_PROBLEMS = 200;

export function importFiles(db: WritableDB, paths: readonly string[], options: ImportOptions = {}): ImportReport {
  const problems: InputProblem[] = [];
  const inputs: ImportInput[] = [];
  if (options.sourcePaths !== undefined && options.sourcePaths.length !== paths.length) {
    throw new Error(`importFiles: ${options.sourcePaths.length} source paths for ${paths.length} files`);
  }
  for (const [index, path] of paths.entries()) {
    const shown = options.sourcePaths?.[index];
    try {
      const input = readInputFile(path, options.format ?? 'auto');
      inputs.push(shown === undefined ? input : { ...input, shownPath: shown });
    } catch (error) {
      if (error instanceof InputError) problems.push(...error.problems.map((problem) => (shown !== undefined && problem.file === path ? { ...problem, file: shown } : problem)));
      else throw error;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  // Checked against the project and written under one write lock, begun IMMEDIATE (db/writers.ts):
  // what the plan reads (files already imported, samples already there, the ids new rows will get)
  // stays true until the write, though the studio or another `frustum import` writes the same
  // file. Reading and parsing the files, the slow part, happens before, without the lock.
  return writeTransaction(db, () => importInputs(db, inputs, options));
}

/** Plans the import of files read and parsed, against the project, and writes it. Inside the import's write transaction. */
function importInputs(db: WritableDB, inputs: readonly ImportInput[], options: ImportOptions): ImportReport {
  const problems: InputProblem[] = [];
  const report: ImportReport = {
    files: [],
    unchanged: 0,
    clipsMissing: 0,
    samplesAdded: 0,
    samplesMerged: 0,
    chainsAdded: 0,
    clipsAdded: 0,
    predictions: 0,
    runs: [],
    benchmarkItems: 0,
    notes: [],
  };
  const total = inputs.reduce((sum, input) => sum + input.records.length, 0);
  let done = 0;
  const normalized: Array<{ input: ImportInput; records: Array<{ index: number; record: NormalizedItem }> }> = [];
  const seenSha = new Set<string>();
  for (const input of inputs) {
    const previous = findSourceBySha(db, input.sha256, input.format);
    if (previous || seenSha.has(input.sha256)) {
      const when = previous ? ` on ${previous.imported_at.slice(0, 10)} from ${previous.path}` : ' in this same import';
      report.files.push({ path: shownPath(input), format: input.format, records: input.records.length, skipped: true, reason: `already imported${when}` });
      done += input.records.length;
      continue;
    }
    seenSha.add(input.sha256);
    const records: Array<{ index: number; record: NormalizedItem }> = [];
    const naming = recordNaming(input);
    input.records.forEach((entry, index) => {
      if (problems.length >= MAX_PROBLEMS) return;
      const result = normalizeItems(input.format, entry.value, { ...naming, recordIndex: index });
      if (result.ok) for (const item of result.items) records.push({ index, record: item });
      else problems.push({ file: shownPath(input), record: index, line: entry.line, ...(result.field ? { field: result.field } : {}), reason: result.reason });
      done++;
      if (done % 2000 === 0) options.onProgress?.(done, total);
    });
    normalized.push({ input, records });
  }
  if (problems.length > 0) throw new InputError(problems);

  checkDuplicates(normalized, problems);
  if (problems.length > 0) throw new InputError(problems);

  const keys: string[] = [];
  for (const { records } of normalized) for (const { record } of records) keys.push(record.sample.key);
  const existing = findSamplesByKeys(db, [...new Set(keys)]);
  const itemsOfFile = planBenchmarkItems(db, normalized, problems, report.notes);
  if (problems.length > 0) throw new InputError(problems);
  const clipLocator = makeClipLocator(options.videosDir);
  const files: ImportFile[] = [];
  for (const { input, records } of normalized) {
    const rows: ImportSampleRow[] = [];
    const locate = clipLocator(dirname(resolve(input.path)));
    const isPredictionFile = input.format === 'results' || input.format === 'camerabench-scores';
    const kind = SAMPLE_KIND[input.format];
    const split = options.split ?? defaultSplit(input.format);
    for (const { index, record } of records) {
      const entry = input.records[index] as JsonRecord;
      const sample = record.sample;
      const known = existing.size === 0 ? undefined : existing.get(sample.key);
      if (known && !isPredictionFile && known.raws.includes(entry.raw)) {
        report.unchanged++;
        continue;
      }
      if (known && known.answer !== null && sample.answer !== null && known.answer !== sample.answer) {
        problems.push({
          file: shownPath(input),
          record: index,
          reason: `conflicts with the project: it already holds this question about ${clipFileName(sample.clipRef ?? '')} with answer ${known.answer}, this record says ${sample.answer}`,
        });
        continue;
      }
      if (known && sample.chain !== null && known.headText !== null && known.headText !== sample.chain && !isPredictionFile) {
        problems.push({
          file: shownPath(input),
          record: index,
          reason: 'conflicts with the project: this sample already has a different O-T-A chain (edit it in the studio instead of re-importing)',
        });
        continue;
      }
      const prediction = record.prediction;
      const clip = sample.clipRef === null ? null : locate(sample.clipRef);
      rows.push({
        recordIndex: index,
        start: entry.start,
        end: entry.end,
        key: sample.key,
        clipName: clip === null ? null : clip.name,
        clipRef: sample.clipRef,
        clipPath: clip === null ? null : clip.path,
        clipRoot: clip === null ? null : clip.root,
        clipError: clip === null ? null : clip.error,
        kind,
        problemId: sample.problemId,
        question: sample.question,
        options: optionsJson(sample.options),
        problemType: sample.problemType,
        answer: sample.answer,
        primitive: sample.primitive,
        split,
        chain: sample.chain,
        prediction: prediction
          ? {
              output: prediction.output,
              prediction: prediction.prediction,
              accuracy: prediction.accuracy,
              score: prediction.score,
              error: prediction.error,
            }
          : null,
      });
    }
    files.push({
      source: {
        path: input.shownPath ?? resolve(input.path),
        content: input.text,
        contentUtf8: input.utf8,
        format: input.format,
        style: JSON.stringify({ layout: input.layout, ...input.style }),
        container: input.container ? JSON.stringify(withoutRecords(input.container, input.layout)) : null,
        sha256: input.sha256,
        recordCount: input.records.length,
      },
      rows,
      benchmarkItems: itemsOfFile.get(input) ?? [],
      run: runOf(input),
      author: basename(shownPath(input)),
    });
    report.files.push({ path: shownPath(input), format: input.format, records: input.records.length, skipped: false });
    report.notes.push(...noticesOf(shownPath(input), records));
  }
  if (problems.length > 0) throw new InputError(problems);

  const counts = writeImport(db, files, existing);
  options.onProgress?.(total, total);
  Object.assign(report, counts);
  report.clipsMissing = countMissing(db, files);
  return report;
}

function checkDuplicates(
  normalized: ReadonlyArray<{ input: ImportInput; records: ReadonlyArray<{ index: number; record: NormalizedItem }> }>,
  problems: InputProblem[],
): void {
  // Across files a question may appear in several formats (merged), but must not disagree.
  const answers = new Map<string, { answer: string; file: string; record: number }>();
  for (const { input, records } of normalized) {
    const byKey = new Map<string, { index: number; record: NormalizedItem }>();
    const byId = new Map<string, number>();
    for (const { index, record } of records) {
      const { key, problemId } = record.sample;
      const earlier = byKey.get(key);
      if (earlier !== undefined) {
        // One question may be several items of a benchmark (a CameraBench VQA video and text recur
        // across pairs and tasks): one sample, an item each. The same item twice is a duplicate.
        const isAnotherItem = earlier.record.benchmark !== null && record.benchmark !== null &&
          (earlier.record.benchmark.benchmark !== record.benchmark.benchmark || earlier.record.benchmark.itemKey !== record.benchmark.itemKey);
        if (!isAnotherItem) {
          problems.push({ file: shownPath(input), record: index, reason: `duplicate: same clip and question as record ${earlier.index}` });
        } else if (JSON.stringify(earlier.record.sample.options) !== JSON.stringify(record.sample.options)) {
          problems.push({ file: shownPath(input), record: index, field: 'options', reason: `same clip and question as record ${earlier.index}, with other options` });
        }
      } else byKey.set(key, { index, record });
      const answer = record.sample.answer;
      const other = answer === null ? undefined : answers.get(key);
      if (answer !== null && other === undefined) answers.set(key, { answer, file: shownPath(input), record: index });
      else if (other && other.answer !== answer) {
        problems.push({ file: shownPath(input), record: index, reason: `answer ${answer} disagrees with ${other.file}, record ${other.record} (answer ${other.answer}) about the same clip and question` });
      }
      if (problemId !== null && input.format !== 'camerabench-scores') {
        const earlierId = byId.get(problemId);
        if (earlierId !== undefined) {
          problems.push({ file: shownPath(input), record: index, field: 'problem_id', reason: `duplicate id "${problemId}" (also record ${earlierId})` });
        } else byId.set(problemId, index);
      }
      if (problems.length >= MAX_PROBLEMS) return;
    }
  }
}

function withoutRecords(container: Record<string, unknown>, layout: InputFile['layout']): Record<string, unknown> {
  if (layout.kind !== 'object') return container;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(container)) copy[key] = key === layout.key ? null : value;
  return copy;
}

function runOf(input: ImportInput): ImportFile['run'] {
  const container = input.container ?? {};
  if (input.format === 'results') {
    const meta = (container['meta'] ?? {}) as Record<string, unknown>;
    const modelPath = typeof meta['model_path'] === 'string' ? meta['model_path'] : basename(shownPath(input));
    return { kind: 'evaluation', model: modelPath, meta: JSON.stringify(meta) };
  }
  if (input.format === 'camerabench-scores') {
    const metadata = (container['metadata'] ?? {}) as Record<string, unknown>;
    const model = [metadata['model_name'], metadata['checkpoint']].filter((part) => typeof part === 'string' && part !== '').join(':');
    return { kind: 'scores', model: model || basename(shownPath(input)), meta: JSON.stringify(metadata) };
  }
  return null;
}

/** A clip reference as the import resolved it: a file inside `root` (a real folder path), or missing with the reason. */
type LocatedClip = { name: string; path: string; root: string; error: null } | { name: string; path: null; root: null; error: string };

/**
 * Finds a clip on disk: in --videos by its path, then by file name; then beside the dataset. A
 * file counts only if its real path is inside the real path of the folder it was looked up in,
 * and it is a regular file (backend/media/confine.ts: a dataset's paths are not to be trusted);
 * anything else is missing, with the reason. Each reference is looked up once per dataset
 * folder, and its records share one name string (the import keys maps by it, and a string
 * computes its hash once).
 */
function makeClipLocator(videosDir: string | undefined): (datasetDir: string) => (ref: string) => LocatedClip {
  const byDir = new Map<string, Map<string, LocatedClip>>();
  // Folders are resolved once each: a dataset's thousand references under one video/ cost one
  // realpath, and a file in it one lstat. Nothing exists in a folder that does not: datasets
  // whose clips are elsewhere cost one look at that folder, not one per clip.
  const folders = new Map<string, string | null>();
  const realFolderOf = (path: string): string | null => {
    let known = folders.get(path);
    if (known === undefined) {
      known = realFolder(path);
      folders.set(path, known);
    }
    return known;
  };
  const videos = videosDir === undefined ? null : { dir: resolve(videosDir), root: realFolderOf(resolve(videosDir)) };
  return (datasetDir) => {
    let cache = byDir.get(datasetDir);
    if (!cache) {
      cache = new Map();
      byDir.set(datasetDir, cache);
    }
    const found = cache;
    const datasetRoot = realFolderOf(datasetDir);
    return (ref) => {
      let clip = found.get(ref);
      if (clip === undefined) {
        const name = clipFileName(ref);
        const candidates: Array<{ path: string; root: string | null; describe: string }> = [];
        if (videos !== null) {
          candidates.push({ path: resolve(videos.dir, ref), root: videos.root, describe: 'the --videos folder' });
          candidates.push({ path: join(videos.dir, name), root: videos.root, describe: 'the --videos folder' });
        }
        candidates.push({ path: resolve(datasetDir, ref), root: datasetRoot, describe: 'the dataset folder' });
        let refusal: string | null = null;
        for (const candidate of candidates) {
          if (candidate.root === null) continue;
          const looked = lookUpConfined(candidate.path, candidate.root, ref, candidate.describe, realFolderOf);
          if (looked === null) continue;
          if ('path' in looked) {
            clip = { name, path: looked.path, root: candidate.root, error: null };
            break;
          }
          refusal ??= looked.refusal;
        }
        clip ??= {
          name,
          path: null,
          root: null,
          error: refusal ?? `${ref} was not found in ${videos === null ? '' : `${videos.dir} or `}${datasetDir}; relink it to a folder that holds it`,
        };
        found.set(ref, clip);
      }
      return clip;
    };
  };
}

/** A sample's options as stored (a JSON array). Datasets repeat a handful of lists thousands of times. */
let lastOptions: readonly string[] = [];
let lastOptionsJson = '[]';
function optionsJson(options: readonly string[]): string {
  let same = options.length === lastOptions.length;
  for (let index = 0; same && index < options.length; index++) same = options[index] === lastOptions[index];
  if (!same) {
    lastOptions = [...options];
    lastOptionsJson = JSON.stringify(options);
  }
  return lastOptionsJson;
}

/**
 * Clips the imported samples use that have no file, as the project now holds them: a clip this
 * import did not find but the project already had on disk (a second dataset over the same clips)
 * is not missing, and one the project already had as missing still is (the person must relink it).
 */
function countMissing(db: WritableDB, files: readonly ImportFile[]): number {
  const names = new Set<string>();
  for (const file of files) for (const row of file.rows) if (row.clipName !== null) names.add(row.clipName);
  return names.size === 0 ? 0 : countClipsWithoutMedia(db, [...names]);
}

function recordNaming(input: ImportInput): { folder: string | null; stem: string } {
  return fileNaming(input.shownPath ?? resolve(input.path));
}

/**
 * The folder a file sits in (by name) and its stem, from where people know the file: a CameraBench
 * VQA task file's skill is its folder and its task its stem. A dropped file known only by its
 * name has no folder (its skill then comes from CameraBench's task list).
 */
export function fileNaming(path: string): { folder: string | null; stem: string } {
  const parts = path.split(/[\\/]/).filter((part) => part !== '');
  const name = parts.at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  const folder = parts.length >= 2 ? (parts.at(-2) as string) : null;
  return { folder: folder === '.' || folder === '..' ? null : folder, stem: dot > 0 ? name.slice(0, dot) : name };
}

type NormalizedFiles = ReadonlyArray<{ input: ImportInput; records: ReadonlyArray<{ index: number; record: NormalizedItem }> }>;

/**
 * The benchmark items each file adds: one per (benchmark, item key), new to the project. An item
 * the project (or an earlier file of this import) already holds for the same sample is nothing
 * new — importing a file again adds no item. One it holds for another sample, or with another
 * reference caption, is a conflict: an error for a benchmark format's records (the file
 * contradicts the project about what the benchmark is); for the other formats' records — which
 * imported without benchmark items before there were any — the item is left out and noted.
 */
function planBenchmarkItems(db: WritableDB, normalized: NormalizedFiles, problems: InputProblem[], notes: string[]): Map<ImportInput, ImportBenchmarkItem[]> {
  const wanted: Array<{ benchmark: string; itemKey: string }> = [];
  for (const { records } of normalized) for (const { record } of records) if (record.benchmark) wanted.push(record.benchmark);
  const stored = findBenchmarkItems(db, wanted);
  // Where each planned item came from, for a conflict's message: built only if one is found.
  const planned = new Map<string, { sampleKey: string; reference: string | null; input: ImportInput; record: number }>();
  const itemsOfFile = new Map<ImportInput, ImportBenchmarkItem[]>();
  for (const { input, records } of normalized) {
    const items: ImportBenchmarkItem[] = [];
    const isRequired = isBenchmarkFormat(input.format);
    let leftOut = 0;
    let firstLeftOut = '';
    for (const { index, record } of records) {
      const item = record.benchmark;
      if (item === null) continue;
      const id = `${item.benchmark}\u001f${item.itemKey}`;
      const known = stored.get(id);
      const earlier = planned.get(id);
      if (known === undefined && earlier === undefined) {
        planned.set(id, { sampleKey: record.sample.key, reference: item.reference, input, record: index });
        items.push({
          key: record.sample.key,
          benchmark: item.benchmark,
          itemKey: item.itemKey,
          split: item.split,
          task: item.task,
          groupKey: item.group,
          role: item.role,
          reference: item.reference,
          meta: Object.keys(item.meta).length === 0 ? '{}' : JSON.stringify(item.meta),
        });
        continue;
      }
      const other = known ?? earlier;
      if (other === undefined || (other.sampleKey === record.sample.key && other.reference === item.reference)) continue;
      const where = earlier === undefined ? 'the project' : `${shownPath(earlier.input)}, record ${earlier.record}`;
      const what = other.sampleKey !== record.sample.key
        ? `names another question or clip (${describeKey(other.sampleKey)}) than this record (${describeKey(record.sample.key)})`
        : 'has another reference caption';
      if (isRequired) {
        problems.push({ file: shownPath(input), record: index, reason: `conflicts with ${where}: there, ${item.benchmark} item "${item.itemKey}" ${what}` });
        if (problems.length >= MAX_PROBLEMS) return itemsOfFile;
      } else {
        if (leftOut === 0) firstLeftOut = `record ${index}, ${item.benchmark} item "${item.itemKey}" as in ${where}`;
        leftOut++;
      }
    }
    if (leftOut > 0) {
      notes.push(`${shownPath(input)}: ${leftOut} record(s) imported without their benchmark item, which is already another question's (first: ${firstLeftOut})`);
    }
    itemsOfFile.set(input, items);
  }
  return itemsOfFile;
}

/** A sample key for people: "clip: question" (the key's U+001F separator is invisible). */
function describeKey(key: string): string {
  const [clip = '', question = ''] = key.split('\u001f');
  const shown = question.length > 60 ? `${question.slice(0, 60)}…` : question;
  return `${clip}: "${shown.replaceAll('\n', ' ')}"`;
}

/** The import report's notes about one file's items (common/formats/benchmarks.ts ItemNotice). */
function noticesOf(path: string, records: ReadonlyArray<{ record: NormalizedItem }>): string[] {
  const counts = new Map<ItemNotice, number>();
  let runPyNo = 0;
  const unknownSkills = new Set<string>();
  for (const { record } of records) {
    if (record.benchmark?.benchmark === 'camerabench-vqa-runpy' && record.benchmark.meta['asks'] === 'no') runPyNo++;
    if (record.notice === null) continue;
    counts.set(record.notice, (counts.get(record.notice) ?? 0) + 1);
    if (record.notice === 'vqa-skill-unknown' && record.benchmark) unknownSkills.add(`${record.benchmark.task ?? ''} → ${record.benchmark.split}`);
  }
  const notes: string[] = [];
  const inverted = counts.get('runpy-label-inverted') ?? 0;
  if (inverted > 0) {
    notes.push(
      `warning: ${path}: ${inverted} of its ${runPyNo} items that ask "Which of the following options is more likely to have the answer 'no'?" ` +
        'are labelled with the option whose answer is "yes" for their video, as CamReasoner\'s run.py builds them (evaluation notes §0.2: ' +
        'a model that reasons correctly scores about 0% on them). They are imported as the file labels them; each item\'s letter by the ' +
        'pair\'s semantics is in its benchmark item (meta.labelByPairSemantics), and the correctly labelled items are camerabench-vqa ' +
        '(CameraBench\'s pair files, or CamReasoner\'s converted_vqa files)',
    );
  }
  const mismatched = counts.get('vqa-role-mismatch') ?? 0;
  if (mismatched > 0) {
    notes.push(`warning: ${path}: ${mismatched} VQA item(s) are not what their place in their pair (problem_id "<task>…<k>", k mod 4) implies; their roles may be wrong`);
  }
  const unknown = counts.get('vqa-skill-unknown') ?? 0;
  if (unknown > 0) {
    notes.push(
      `${path}: ${unknown} VQA item(s) of a task CameraBench does not list, in a folder that is not a skill folder; their skill reads as the folder's name or "unknown" (${[...unknownSkills].slice(0, 3).join(', ')})`,
    );
  }
  const images = counts.get('image-row') ?? 0;
  if (images > 0) {
    notes.push(`${path}: ${images} row(s) ask about a still image, not a video; the image is their clip (their benchmark item's meta.dataType is "image")`);
  }
  return notes;
}
