// `frustum import`: read every file, validate every record, check them against each other and
// against the project, and only then write — in one transaction. Any problem anywhere means
// nothing is written, and every problem is reported with its file, record and reason.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, type InputProblem } from '../../common/errors';
import type { JsonRecord } from '../../common/formats/jsonText';
import { clipFileName, normalizeRecord, type NormalizedRecord } from '../../common/formats/normalize';
import type { FormatName } from '../../common/formats/schemas';
import type { WritableDB } from '../../db/connection';
import { findSamplesByKeys, writeImport, type ImportCounts, type ImportFile, type ImportSampleRow } from '../../db/imports';
import { findSourceBySha } from '../../db/sources';
import { readInputFile, type FormatChoice, type InputFile } from './readInput';

export interface ImportOptions {
  format?: FormatChoice;
  /** Folder to look for clips in (by their path, then by file name). */
  videosDir?: string;
  /** Split for new samples; default: train for sft/rl, test for evaluation formats. */
  split?: string;
  onProgress?: (done: number, total: number) => void;
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
  const inputs: InputFile[] = [];
  for (const path of paths) {
    try {
      inputs.push(readInputFile(path, options.format ?? 'auto'));
    } catch (error) {
      if (error instanceof InputError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new InputError(problems);

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
  const normalized: Array<{ input: InputFile; records: Array<{ index: number; record: NormalizedRecord }> }> = [];
  const seenSha = new Set<string>();
  for (const input of inputs) {
    const previous = findSourceBySha(db, input.sha256, input.format);
    if (previous || seenSha.has(input.sha256)) {
      const when = previous ? ` on ${previous.imported_at.slice(0, 10)} from ${previous.path}` : ' in this same import';
      report.files.push({ path: input.path, format: input.format, records: input.records.length, skipped: true, reason: `already imported${when}` });
      done += input.records.length;
      continue;
    }
    seenSha.add(input.sha256);
    const records: Array<{ index: number; record: NormalizedRecord }> = [];
    input.records.forEach((entry, index) => {
      if (problems.length >= MAX_PROBLEMS) return;
      const result = normalizeRecord(input.format, entry.value);
      if (result.ok) records.push({ index, record: result.record });
      else problems.push({ file: input.path, record: index, line: entry.line, ...(result.field ? { field: result.field } : {}), reason: result.reason });
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
          file: input.path,
          record: index,
          reason: `conflicts with the project: it already holds this question about ${clipFileName(sample.clipRef ?? '')} with answer ${known.answer}, this record says ${sample.answer}`,
        });
        continue;
      }
      if (known && sample.chain !== null && known.headText !== null && known.headText !== sample.chain && !isPredictionFile) {
        problems.push({
          file: input.path,
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
        path: resolve(input.path),
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
      author: basename(input.path),
    });
    report.files.push({ path: input.path, format: input.format, records: input.records.length, skipped: false });
  }
  if (problems.length > 0) throw new InputError(problems);

  const counts = writeImport(db, files, existing);
  options.onProgress?.(total, total);
  Object.assign(report, counts);
  report.clipsMissing = countMissing(files);
  return report;
}

function checkDuplicates(
  normalized: ReadonlyArray<{ input: InputFile; records: ReadonlyArray<{ index: number; record: NormalizedRecord }> }>,
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
        problems.push({ file: input.path, record: index, reason: `duplicate: same clip and question as record ${earlier}` });
      } else byKey.set(key, index);
      const answer = record.sample.answer;
      const other = answer === null ? undefined : answers.get(key);
      if (answer !== null && other === undefined) answers.set(key, { answer, file: input.path, record: index });
      else if (other && other.answer !== answer) {
        problems.push({ file: input.path, record: index, reason: `answer ${answer} disagrees with ${other.file}, record ${other.record} (answer ${other.answer}) about the same clip and question` });
      }
      if (problemId !== null && input.format !== 'camerabench-scores') {
        const earlierId = byId.get(problemId);
        if (earlierId !== undefined) {
          problems.push({ file: input.path, record: index, field: 'problem_id', reason: `duplicate id "${problemId}" (also record ${earlierId})` });
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

function runOf(input: InputFile): ImportFile['run'] {
  const container = input.container ?? {};
  if (input.format === 'results') {
    const meta = (container['meta'] ?? {}) as Record<string, unknown>;
    const modelPath = typeof meta['model_path'] === 'string' ? meta['model_path'] : basename(input.path);
    return { kind: 'evaluation', model: modelPath, meta: JSON.stringify(meta) };
  }
  if (input.format === 'camerabench-scores') {
    const metadata = (container['metadata'] ?? {}) as Record<string, unknown>;
    const model = [metadata['model_name'], metadata['checkpoint']].filter((part) => typeof part === 'string' && part !== '').join(':');
    return { kind: 'scores', model: model || basename(input.path), meta: JSON.stringify(metadata) };
  }
  return null;
}

/**
 * Finds a clip on disk: in --videos by its path, then by file name; then beside the dataset. Each
 * reference is looked up once per dataset folder, and its records share one name string (the
 * import keys maps by it, and a string computes its hash once).
 */
function makeClipLocator(videosDir: string | undefined): (datasetDir: string) => (ref: string) => { name: string; path: string | null } {
  const byDir = new Map<string, Map<string, { name: string; path: string | null }>>();
  // Nothing exists in a folder that does not: datasets whose clips are elsewhere (a thousand
  // references under a missing video/) cost one look at that folder, not one per clip.
  const folders = new Map<string, boolean>();
  const isFolder = (path: string): boolean => {
    let known = folders.get(path);
    if (known === undefined) {
      try {
        known = statSync(path).isDirectory();
      } catch {
        known = false; // missing, or under a file (ENOTDIR), or unreadable: existsSync would say false too
      }
      folders.set(path, known);
    }
    return known;
  };
  const exists = (candidate: string): string | null => {
    if (!isFolder(dirname(candidate))) return null;
    const path = resolve(candidate);
    return existsSync(path) ? path : null;
  };
  return (datasetDir) => {
    let cache = byDir.get(datasetDir);
    if (!cache) {
      cache = new Map();
      byDir.set(datasetDir, cache);
    }
    const found = cache;
    return (ref) => {
      let clip = found.get(ref);
      if (clip === undefined) {
        const name = clipFileName(ref);
        const candidates = [...(videosDir ? [join(videosDir, ref), join(videosDir, name)] : []), join(datasetDir, ref)];
        let path: string | null = null;
        for (const candidate of candidates) if (path === null) path = exists(candidate);
        clip = { name, path };
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

function countMissing(files: readonly ImportFile[]): number {
  const missing = new Set<string>();
  for (const file of files) for (const row of file.rows) if (row.clipName !== null && row.clipPath === null) missing.add(row.clipName);
  return missing.size;
}
