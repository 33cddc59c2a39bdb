// `frustum import`: read every file, validate every record, check them against each other and
// against the project, and only then write — in one transaction. Any problem anywhere means
// nothing is written, and every problem is reported with its file, record and reason.
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, type InputProblem } from '../../common/errors';
import type { JsonRecord } from '../../common/formats/jsonText';
import { clipFileName, normalizeRecord, type NormalizedRecord } from '../../common/formats/normalize';
import type { FormatName } from '../../common/formats/schemas';
import type { WritableDB } from '../../db/connection';
import { findSamplesByKeys, writeImport, type ImportCounts, type ImportFile, type ImportSampleRow } from '../../db/imports';
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
}

const SAMPLE_KIND: Record<FormatName, 'sft' | 'rl' | 'eval' | 'camerabench'> = {
  sft: 'sft',
  rl: 'rl',
  eval: 'eval',
  results: 'eval',
  camerabench: 'camerabench',
  'camerabench-scores': 'camerabench',
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
  };
  const total = inputs.reduce((sum, input) => sum + input.records.length, 0);
  let done = 0;
  const normalized: Array<{ input: ImportInput; records: Array<{ index: number; record: NormalizedRecord }> }> = [];
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
    const records: Array<{ index: number; record: NormalizedRecord }> = [];
    input.records.forEach((entry, index) => {
      if (problems.length >= MAX_PROBLEMS) return;
      const result = normalizeRecord(input.format, entry.value);
      if (result.ok) records.push({ index, record: result.record });
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
      run: runOf(input),
      author: basename(shownPath(input)),
    });
    report.files.push({ path: shownPath(input), format: input.format, records: input.records.length, skipped: false });
  }
  if (problems.length > 0) throw new InputError(problems);

  const counts = writeImport(db, files, existing);
  options.onProgress?.(total, total);
  Object.assign(report, counts);
  report.clipsMissing = countMissing(db, files);
  return report;
}

function checkDuplicates(
  normalized: ReadonlyArray<{ input: ImportInput; records: ReadonlyArray<{ index: number; record: NormalizedRecord }> }>,
  problems: InputProblem[],
): void {
  // Across files a question may appear in several formats (merged), but must not disagree.
  const answers = new Map<string, { answer: string; file: string; record: number }>();
  for (const { input, records } of normalized) {
    const byKey = new Map<string, number>();
    const byId = new Map<string, number>();
    for (const { index, record } of records) {
      const { key, problemId } = record.sample;
      const earlier = byKey.get(key);
      if (earlier !== undefined) {
        problems.push({ file: shownPath(input), record: index, reason: `duplicate: same clip and question as record ${earlier}` });
      } else byKey.set(key, index);
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
