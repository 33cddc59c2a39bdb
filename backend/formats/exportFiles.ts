// `frustum export`: writes the project's samples in the format a training or evaluation tool
// reads. A sample that is unchanged since it was imported in that format is written as the
// exact text it was imported as; a changed one is its original record with only the changed
// fields replaced (key order kept), written in the style its file used; a sample that never
// was in that format gets a fresh record in the tool's own key order.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PRIMITIVES, PRIMITIVE_INFO, letterOfOption, yesNoOfOption, type Primitive } from '../../common/camerabench/primitives';
import { InputError, UsageError } from '../../common/errors';
import {
  ERROR_OUTPUT,
  dumpMeta,
  dumpResult,
  evaluatorFields,
  keptOutputFields,
  resultsFileText,
  resultsMetrics,
  spliceResult,
  type EvaluatorFields,
} from '../../common/formats/evalResults';
import { objectMembers, parseJsonValue } from '../../common/formats/jsonText';
import { normalizeRecord, type SampleDraft } from '../../common/formats/normalize';
import { sftUserContent, questionWithOptions } from '../../common/formats/prompts';
import { PyFloat, pyDumps, type PyJsonStyle, type PyJsonValue } from '../../common/formats/pyjson';
import { predictionOf } from '../../common/ota/evalAccuracy';
import type { ReadableDB } from '../../db/connection';
import { samplesForExport, sourcePaths, sourceRecordsOfFormat, type ExportSampleRow, type SampleSourceRow } from '../../db/exports';
import { predictionsOfRun, runSampleOrder, type PredictionRow, type RunRow } from '../../db/runs';
import { listSources, recordText, sourceContent } from '../../db/sources';
import type { Benchmark } from '../../common/formats/benchmarks';
import { exportCaptionResults } from './exportCaptionResults';
import { chosenRun, writeAtomically } from './exportCommon';
import { exportVlmEvalKit } from './exportVlmEvalKit';
import { exportVqaScores } from './exportVqaScores';

export const EXPORT_FORMATS = [
  'sft',
  'rl',
  'eval',
  'results',
  'camerabench',
  'camerabench-scores',
  'camerabench-vqa-scores',
  'camerabench-caption-results',
  'vlmevalkit',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The formats with one record per sample (the others are written from a run's predictions). */
type RecordFormat = Exclude<ExportFormat, 'results' | 'camerabench-scores' | RunFileFormat>;
/** Files for the benchmarks' own evaluators and VLMEvalKit, written from a run into a folder. */
type RunFileFormat = 'camerabench-vqa-scores' | 'camerabench-caption-results' | 'vlmevalkit';
/** What exportProject writes synchronously; VLMEvalKit's workbooks need exportProjectAsync. */
export type SyncExportFormat = Exclude<ExportFormat, 'vlmevalkit'>;

export interface ExportOptions {
  format: ExportFormat;
  out: string;
  split?: string | undefined;
  status?: string | undefined;
  /** For results, camerabench-scores and the run files: which run (default: the newest). */
  run?: number | undefined;
  /**
   * sft: LLaMA-Factory dataset name for dataset_info.json (default: the output file's name);
   * vlmevalkit: the dataset part of the file names (default: the benchmark's, e.g. ShotBench).
   */
  datasetName?: string | undefined;
  /** vlmevalkit: only this benchmark (default: every multiple-choice benchmark the run answered). */
  benchmark?: Benchmark | undefined;
  /** camerabench-vqa-scores: one file per task file instead of one per skill. */
  isPerTask?: boolean | undefined;
  /** camerabench-caption-results: the generator's --video_dir (default its own, "data/videos"). */
  videoDir?: string | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface ExportReport {
  format: ExportFormat;
  files: string[];
  records: number;
  verbatim: number;
  changed: number;
  fresh: number;
  skipped: Array<{ reason: string; count: number }>;
  /** results: the run written. */
  run?: number;
  /** results: failed generations, written as eval_bench writes a failed batch ("<answer>ERROR</answer>"). */
  errors?: number;
  /** Anything else the person should know about what was written. */
  notes?: string[];
}

interface StoredStyle extends PyJsonStyle {
  layout: { kind: 'array' | 'jsonl' | 'object'; key?: string };
  trailingNewline: boolean;
  ensureAsciiKnown?: boolean;
}

const DEFAULT_STYLE: Record<RecordFormat, StoredStyle> = {
  // LLaMA-Factory and EasyR1 datasets are conventionally dumped with indent=2, ensure_ascii=False.
  sft: { layout: { kind: 'array' }, indent: 2, ensureAscii: false, trailingNewline: false },
  rl: { layout: { kind: 'array' }, indent: 2, ensureAscii: false, trailingNewline: false },
  // As ../shared/data/camreasoner/camerabench_binary.json is written.
  eval: { layout: { kind: 'array' }, indent: 2, ensureAscii: true, trailingNewline: false },
  // As CameraBench's binary_classification/*.jsonl: json.dumps defaults, one per line.
  camerabench: { layout: { kind: 'jsonl' }, indent: null, ensureAscii: true, trailingNewline: true },
};

export function exportProject(db: ReadableDB, options: ExportOptions & { format: SyncExportFormat }): ExportReport {
  const out = checkedOut(db, options);
  switch (options.format) {
    case 'camerabench-scores':
      return exportScores(db, options, out);
    case 'results':
      return exportResults(db, options, out);
    case 'camerabench-vqa-scores':
      return exportVqaScores(db, options, out);
    case 'camerabench-caption-results':
      return exportCaptionResults(db, options, out);
    default:
      return exportRecords(db, { ...options, format: options.format }, out);
  }
}

/** Every format, VLMEvalKit's included (exceljs writes workbooks asynchronously only). */
export async function exportProjectAsync(db: ReadableDB, options: ExportOptions): Promise<ExportReport> {
  if (options.format !== 'vlmevalkit') return exportProject(db, { ...options, format: options.format });
  return exportVlmEvalKit(db, options, checkedOut(db, options));
}

function checkedOut(db: ReadableDB, options: ExportOptions): string {
  const out = resolve(options.out);
  if (sourcePaths(db).includes(out)) {
    throw new UsageError(`${options.out} is a file this project was imported from; export to a new path (imports never edit their source)`);
  }
  return out;
}

function draftOf(row: ExportSampleRow): SampleDraft {
  return {
    key: row.key,
    clipRef: row.clip_ref,
    question: row.question,
    options: JSON.parse(row.options) as string[],
    problemType: row.problem_type,
    answer: row.answer,
    primitive: row.primitive as Primitive | null,
    problemId: row.problem_id,
    chain: row.chain,
  };
}

function sameStyle(a: StoredStyle, b: StoredStyle): boolean {
  return (
    a.layout.kind === b.layout.kind &&
    a.indent === b.indent &&
    a.ensureAscii === b.ensureAscii &&
    JSON.stringify(a.separators ?? null) === JSON.stringify(b.separators ?? null)
  );
}

function exportRecords(db: ReadableDB, options: ExportOptions & { format: RecordFormat }, out: string): ExportReport {
  const { body, report } = renderRecords(db, options);
  writeAtomically(out, body);
  report.files.push(out);
  if (options.format === 'sft') report.files.push(writeDatasetInfo(out, options.datasetName));
  return report;
}

export interface RenderedRecords {
  /** The file's text, as exportProject writes it. */
  body: string;
  report: ExportReport;
  /** The sample of each record written, in file order. */
  sampleIds: number[];
}

/**
 * The records of a training or evaluation format as text, without writing: exportProject's
 * body, and a training run's frozen dataset (backend/engines/snapshot.ts), which also limits
 * the samples to `sampleIds` and needs to know which sample each record is.
 */
export function renderRecords(
  db: ReadableDB,
  options: Omit<ExportOptions, 'out' | 'format'> & { format: RecordFormat; sampleIds?: ReadonlySet<number> },
): RenderedRecords {
  const format = options.format;
  const chosen = options.sampleIds;
  const samples = samplesForExport(db, { split: options.split, status: options.status }).filter((sample) => chosen === undefined || chosen.has(sample.id));
  const sourceBySample = firstSourceBySample(sourceRecordsOfFormat(db, format));

  // The style of the file most of the exported records came from; else the tool's default.
  const styleVotes = new Map<string, number>();
  for (const sample of samples) {
    const source = sourceBySample.get(sample.id);
    if (source) styleVotes.set(source.style, (styleVotes.get(source.style) ?? 0) + 1);
  }
  const topStyle = [...styleVotes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const style: StoredStyle = topStyle ? { ...(JSON.parse(topStyle) as StoredStyle) } : DEFAULT_STYLE[format];
  if (style.layout.kind === 'object') style.layout = { kind: 'array' };
  if (topStyle && (JSON.parse(topStyle) as StoredStyle).ensureAsciiKnown === false) style.ensureAscii = DEFAULT_STYLE[format].ensureAscii;

  // File order first (round trips), then samples that never were in this format.
  const ordered = [...samples].sort((a, b) => {
    const sa = sourceBySample.get(a.id);
    const sb = sourceBySample.get(b.id);
    if (sa && sb) return sa.source_id - sb.source_id || sa.record_index - sb.record_index;
    if (sa) return -1;
    if (sb) return 1;
    return a.id - b.id;
  });

  const report: ExportReport = { format, files: [], records: 0, verbatim: 0, changed: 0, fresh: 0, skipped: [] };
  const skipped = new Map<string, number>();
  const pieces: string[] = [];
  const sampleIds: number[] = [];
  const itemIndent = style.layout.kind === 'jsonl' || style.indent === null ? '' : typeof style.indent === 'number' ? ' '.repeat(style.indent) : style.indent;
  const counters = new Map<string, number>();
  for (const [position, sample] of ordered.entries()) {
    if (position % 2000 === 0) options.onProgress?.(position, ordered.length);
    const draft = draftOf(sample);
    const unusable = unusableReason(format, draft);
    if (unusable) {
      skipped.set(unusable, (skipped.get(unusable) ?? 0) + 1);
      continue;
    }
    const source = sourceBySample.get(sample.id);
    const record = recordOfSample(db, format, draft, source, counters);
    const canReuse = record.raw !== null && source !== undefined && sameStyle(JSON.parse(source.style) as StoredStyle, style);
    pieces.push(canReuse && record.raw !== null ? record.raw : nestedDumps(record.value as PyJsonValue, style, itemIndent));
    report[record.kind]++;
    sampleIds.push(sample.id);
  }
  report.records = pieces.length;
  report.skipped = [...skipped.entries()].map(([reason, count]) => ({ reason, count }));

  let body: string;
  if (style.layout.kind === 'jsonl') body = pieces.join('\n');
  else if (pieces.length === 0) body = '[]';
  else if (style.indent === null) body = `[${pieces.join(style.separators?.[0] ?? ', ')}]`;
  else body = `[\n${itemIndent}${pieces.join(`,\n${itemIndent}`)}\n]`;
  if (style.trailingNewline && pieces.length > 0) body += '\n';
  return { body, report, sampleIds };
}

/** The first record of each sample among source records in file order. */
function firstSourceBySample(sources: readonly SampleSourceRow[]): Map<number, SampleSourceRow> {
  const bySample = new Map<number, SampleSourceRow>();
  for (const source of sources) if (!bySample.has(source.sample_id)) bySample.set(source.sample_id, source);
  return bySample;
}

interface SampleRecord {
  value: Record<string, unknown>;
  /** The record's text as imported, when `value` is that record unchanged. */
  raw: string | null;
  kind: 'verbatim' | 'changed' | 'fresh';
}

/** A sample's record: its source record with only what changed replaced, or a fresh one in the tool's key order. */
function recordOfSample(db: ReadableDB, format: RecordFormat, draft: SampleDraft, source: SampleSourceRow | undefined, counters: Map<string, number>): SampleRecord {
  if (source === undefined) return { value: freshRecord(format, draft, counters), raw: null, kind: 'fresh' };
  const raw = recordText(db, source);
  const original = parseJsonValue(raw, source.format) as Record<string, unknown>;
  const patched = patchRecord(format, original, draft);
  return patched === original ? { value: original, raw, kind: 'verbatim' } : { value: patched, raw: null, kind: 'changed' };
}

/** pyDumps for a record that sits one level inside the top-level array. */
function nestedDumps(value: PyJsonValue, style: StoredStyle, itemIndent: string): string {
  const text = pyDumps(value, style);
  return itemIndent === '' ? text : text.replace(/\n/g, `\n${itemIndent}`);
}

function unusableReason(format: ExportFormat, draft: SampleDraft): string | null {
  if (draft.clipRef === null) return 'no clip';
  if (format === 'sft' && draft.chain === null) return 'no O-T-A chain';
  if ((format === 'rl' || format === 'eval') && draft.answer === null) return 'no reference answer';
  if (format === 'camerabench') {
    if (draft.primitive === null) return 'not a CameraBench primitive question';
    if (yesNoOf(draft) === null) return 'not a Yes/No question';
  }
  return null;
}

function yesNoOf(draft: SampleDraft): 'yes' | 'no' | null {
  const option = draft.options.find((text) => letterOfOption(text) === draft.answer);
  return option === undefined ? null : yesNoOfOption(option);
}

/**
 * The original record with only what changed replaced. Returns `original` itself when
 * nothing changed, so callers can write the original text.
 */
function patchRecord(format: RecordFormat, original: Record<string, unknown>, draft: SampleDraft): Record<string, unknown> {
  const before = normalizeRecord(format, original);
  if (!before.ok) return original;
  const was = before.record.sample;
  const changes: Record<string, unknown> = {};
  const questionChanged = was.question !== draft.question || JSON.stringify(was.options) !== JSON.stringify(draft.options);
  const answerChanged = was.answer !== draft.answer;
  const chainChanged = (was.chain ?? null) !== (draft.chain ?? null);
  switch (format) {
    case 'sft': {
      const messages = (original['messages'] as Array<Record<string, unknown>>).map((message) => ({ ...message }));
      const user = messages.find((message) => message['role'] === 'user');
      const assistant = messages.find((message) => message['role'] === 'assistant');
      if (questionChanged && user) {
        const videos = Array.isArray(original['videos']) ? original['videos'].length : 1;
        user['content'] = sftUserContent(draft.question, draft.options, videos);
      }
      if (chainChanged && assistant) assistant['content'] = draft.chain ?? '';
      if (questionChanged || chainChanged) changes['messages'] = messages;
      break;
    }
    case 'rl':
      if (questionChanged) {
        if (Array.isArray(original['options'])) {
          changes['problem'] = draft.question;
          changes['options'] = draft.options;
        } else changes['problem'] = questionWithOptions(draft.question, draft.options);
      }
      if (answerChanged) changes['answer'] = wrapLike(String(original['answer']), draft.answer ?? '');
      break;
    case 'eval':
      if (questionChanged) {
        changes['problem'] = draft.question;
        changes['options'] = draft.options;
      }
      if (answerChanged) changes['solution'] = wrapLike(String(original['solution']), draft.answer ?? '');
      if (chainChanged) changes['process'] = draft.chain ?? '';
      break;
    case 'camerabench':
      if (questionChanged) changes['question'] = draft.question;
      if (answerChanged) changes['label'] = yesNoOf(draft) === 'yes' ? 'Yes' : 'No';
      break;
  }
  if (Object.keys(changes).length === 0) return original;
  return { ...original, ...changes };
}

function wrapLike(original: string, letter: string): string {
  return /<answer>/.test(original) ? `<answer>${letter}</answer>` : letter;
}

function problemIdOf(draft: SampleDraft, counters: Map<string, number>): string {
  if (draft.problemId !== null) return draft.problemId;
  const prefix = draft.primitive ?? 'sample';
  const next = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, next);
  return `${prefix}_frustum_${next}`;
}

function freshRecord(format: RecordFormat, draft: SampleDraft, counters: Map<string, number>): Record<string, unknown> {
  const clipRef = draft.clipRef ?? '';
  switch (format) {
    case 'sft':
      return {
        messages: [
          { role: 'user', content: sftUserContent(draft.question, draft.options) },
          { role: 'assistant', content: draft.chain ?? '' },
        ],
        videos: [clipRef],
      };
    case 'rl':
      return {
        problem_id: problemIdOf(draft, counters),
        problem: draft.question,
        data_type: 'video',
        problem_type: draft.problemType,
        options: draft.options,
        answer: draft.answer ?? '',
        videos: [clipRef],
      };
    case 'eval': {
      const problemId = problemIdOf(draft, counters);
      return {
        problem_id: problemId,
        problem: draft.question,
        data_type: 'video',
        problem_type: draft.problemType,
        options: draft.options,
        process: draft.chain ?? '',
        solution: `<answer>${draft.answer ?? ''}</answer>`,
        path: clipRef,
        data_source: 'frustum',
        dataset: 'frustum',
        output: [],
        id: problemId,
      };
    }
    case 'camerabench': {
      const info = PRIMITIVE_INFO[draft.primitive as Primitive];
      return {
        image: basename(clipRef),
        question: draft.question,
        label: yesNoOf(draft) === 'yes' ? 'Yes' : 'No',
        task: info.task,
        label_name: info.labelName,
      };
    }
  }
}

/** Adds or replaces this dataset's entry in dataset_info.json beside the exported file. */
function writeDatasetInfo(out: string, datasetName: string | undefined): string {
  const infoPath = join(dirname(out), 'dataset_info.json');
  const name = datasetName ?? basename(out, extname(out));
  let info: Record<string, unknown> = {};
  if (existsSync(infoPath)) {
    try {
      info = JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new InputError([{ file: infoPath, reason: `exists but is not valid JSON (${(error as Error).message}); not overwriting it` }]);
    }
    if (info === null || typeof info !== 'object' || Array.isArray(info)) {
      throw new InputError([{ file: infoPath, reason: 'exists but is not a JSON object; not overwriting it' }]);
    }
  }
  info[name] = datasetInfoEntry(basename(out));
  writeAtomically(infoPath, datasetInfoText(info));
  return infoPath;
}

/** LLaMA-Factory's dataset_info.json entry for a sharegpt file of O-T-A chains with videos. */
export function datasetInfoEntry(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    columns: { messages: 'messages', videos: 'videos' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
  };
}

export function datasetInfoText(info: Record<string, unknown>): string {
  return pyDumps(info as PyJsonValue, { indent: 2, ensureAscii: false }) + '\n';
}

/** CameraBench score files, one per primitive, from a run's predictions (its evaluator's input). */
function exportScores(db: ReadableDB, options: ExportOptions, outDir: string): ExportReport {
  const run = chosenRun(db, options.run);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`${outDir} is a file; camerabench-scores writes a folder of score files`);
  const predictions = new Map(predictionsOfRun(db, run.id).map((row) => [row.sample_id, row]));
  const samples = samplesForExport(db, { split: options.split, status: options.status });
  const report: ExportReport = { format: 'camerabench-scores', files: [], records: 0, verbatim: 0, changed: 0, fresh: 0, skipped: [] };
  const modelName = run.model;
  const timestamp = new Date().toISOString();
  let notBinary = 0;
  for (const primitive of PRIMITIVES) {
    const scores: PyJsonValue[] = [];
    for (const sample of samples) {
      if (sample.primitive !== primitive) continue;
      const draft = draftOf(sample);
      const truth = yesNoOf(draft);
      if (truth === null || draft.clipRef === null) {
        notBinary++;
        continue;
      }
      const prediction = predictions.get(sample.id);
      const { score, error } = scoreOf(draft, prediction, run.id);
      scores.push({
        sample_id: sample.problem_id ?? sample.key,
        video_path: basename(draft.clipRef),
        question: draft.question,
        ground_truth_label: truth === 'yes' ? 'Yes' : 'No',
        method: modelName,
        score: new PyFloat(score),
        error,
      });
    }
    if (scores.length === 0) continue;
    const file = join(outDir, `classification_scores_${modelName.replace(/[/\\:]/g, '_')}_${primitive}.json`);
    const document = {
      metadata: {
        model_name: modelName,
        checkpoint: null,
        split_name: primitive,
        method_type: run.kind === 'scores' ? 'imported_scores' : 'letter_answers',
        generation_timestamp: timestamp,
        frustum_run: run.id,
      },
      scores,
    };
    // As CameraBench's score writer: json.dump(indent=2), ensure_ascii default.
    writeAtomically(file, pyDumps(document, { indent: 2, ensureAscii: true }));
    report.files.push(file);
    report.records += scores.length;
    report.fresh += scores.length;
  }
  if (notBinary > 0) report.skipped.push({ reason: 'not a Yes/No question with a clip', count: notBinary });
  return report;
}

/**
 * CamReasoner's evaluator output (common/formats/evalResults.ts) for one run: each of the run's
 * answered samples as its evaluation record — the record `--format eval` writes, or for a run
 * imported from a results file that file's own record — with the model's output, prediction and
 * accuracy, then the metrics over them and the run's meta.
 */
function exportResults(db: ReadableDB, options: ExportOptions, out: string): ExportReport {
  const run = chosenRun(db, options.run);
  if (run.kind === 'scores') {
    throw new UsageError(`run ${run.id} holds CameraBench scores, not model outputs; export it with --format camerabench-scores`);
  }
  const predictions = new Map(predictionsOfRun(db, run.id).map((row) => [row.sample_id, row]));
  const samples = new Map(samplesForExport(db, { split: options.split, status: options.status }).map((sample) => [sample.id, sample]));
  const resultSources = sourceRecordsOfFormat(db, 'results');
  const ownSource = firstSourceBySample(resultSources.filter((source) => source.source_id === run.source_id));
  const evalSource = firstSourceBySample(sourceRecordsOfFormat(db, 'eval'));
  const anyResultSource = firstSourceBySample(resultSources);
  // Which record stands for the evaluator's input record `example`: an imported run's own (it is
  // `dict(example)` plus the three keys, which are set again in place), else the evaluation
  // record `--format eval` writes, else another results file's record of the sample, else a
  // fresh evaluation record (its "output": [] sits before "id", as in the evaluation files).
  const sourceOf = (sampleId: number): SampleSourceRow | undefined => ownSource.get(sampleId) ?? evalSource.get(sampleId) ?? anyResultSource.get(sampleId);

  // A Frustum run keeps the order it asked its samples in; an imported run has no such order
  // (its samples are its predictions): its own file's order, then the order --format eval gives.
  const frozen = runSampleOrder(db, run.id);
  let order: number[];
  if (frozen.length > 0) order = frozen;
  else {
    const rank = (sampleId: number): [number, number, number, number] => {
      const own = ownSource.get(sampleId);
      if (own) return [0, own.record_index, 0, 0];
      const source = evalSource.get(sampleId);
      return source ? [1, source.source_id, source.record_index, 0] : [2, 0, 0, sampleId];
    };
    const ranked = [...predictions.keys()].map((sampleId) => ({ sampleId, rank: rank(sampleId) }));
    ranked.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2] || a.rank[3] - b.rank[3]);
    order = ranked.map((entry) => entry.sampleId);
  }

  const styles = new Map<string, StoredStyle>();
  const styleOf = (source: SampleSourceRow): StoredStyle => {
    let style = styles.get(source.style);
    if (style === undefined) {
      style = JSON.parse(source.style) as StoredStyle;
      styles.set(source.style, style);
    }
    return style;
  };

  const report: ExportReport = { format: 'results', files: [], records: 0, verbatim: 0, changed: 0, fresh: 0, skipped: [], run: run.id, errors: 0 };
  const skipped = new Map<string, number>();
  const skip = (reason: string): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const texts: string[] = [];
  const scored: Array<{ record: Record<string, unknown>; accuracy: number }> = [];
  const counters = new Map<string, number>();
  for (const [position, sampleId] of order.entries()) {
    if (position % 2000 === 0) options.onProgress?.(position, order.length);
    const sample = samples.get(sampleId);
    if (sample === undefined) continue; // left out by --split / --status
    const prediction = predictions.get(sampleId);
    // The evaluator's file holds only the samples it has answered (it is rewritten after each batch).
    if (prediction === undefined) {
      skip(`not answered yet in run ${run.id}`);
      continue;
    }
    const draft = draftOf(sample);
    const unusable = unusableReason('eval', draft);
    if (unusable) {
      skip(unusable);
      continue;
    }
    const source = sourceOf(sampleId);
    const record = recordOfSample(db, 'eval', draft, source, counters);
    const fields = resultFields(record.value, prediction);
    if (fields === null) {
      skip('no model output (a score-only prediction)');
      continue;
    }
    if (prediction.error !== null) report.errors = (report.errors ?? 0) + 1;
    const style = source === undefined ? null : styleOf(source);
    const spliced = record.raw !== null && style !== null && isEvalBenchStyle(style) ? spliceResult(record.raw, style.layout.kind === 'object' ? 2 : 1, fields) : null;
    texts.push(spliced ?? dumpResult(record.value, fields));
    scored.push({ record: record.value, accuracy: fields.accuracy.value });
    report[record.kind]++;
  }
  report.records = texts.length;
  report.skipped = [...skipped.entries()].map(([reason, count]) => ({ reason, count }));
  writeAtomically(out, resultsFileText(texts, resultsMetrics(scored), resultsMetaText(db, run)));
  report.files.push(out);
  return report;
}

/**
 * What eval_bench sets on a record for this prediction. A failed generation is written as it
 * writes a failed batch; an imported result whose output was not text keeps it, with its own
 * prediction and accuracy; a prediction with neither (a CameraBench score) has no result.
 */
function resultFields(record: Readonly<Record<string, unknown>>, prediction: PredictionRow): EvaluatorFields | null {
  if (prediction.error !== null) return evaluatorFields(record, ERROR_OUTPUT, 0);
  if (prediction.output !== null) return evaluatorFields(record, prediction.output, prediction.accuracy ?? 0);
  if (prediction.prediction !== null) return keptOutputFields(record, prediction.prediction, prediction.accuracy ?? 0);
  return null;
}

/** json.dump(indent=2) with its separators, and nothing escaped that ensure_ascii=False writes as is. */
function isEvalBenchStyle(style: StoredStyle): boolean {
  const [itemSeparator, keySeparator] = style.separators ?? [',', ': '];
  return style.indent === 2 && itemSeparator === ',' && keySeparator === ': ' && (style.ensureAscii === false || style.ensureAsciiKnown === false);
}

/**
 * The run's meta. A run imported from a results file gets that file's meta back as it was
 * written (its text, when the file is laid out as eval_bench writes it). A Frustum run has no
 * evaluator command line, so: "batch_size" is how many requests it kept in flight (its meta's
 * "concurrency"; null when it has none), "model_path" the model it asked, and "input_json" the
 * project file's name — the questions came from the project, not from a file, and its name
 * without the folder keeps the exporting machine's paths out of a file meant to be shared.
 */
function resultsMetaText(db: ReadableDB, run: RunRow): string {
  const source = run.source_id === null ? undefined : listSources(db).find((row) => row.id === run.source_id && row.format === 'results');
  if (source !== undefined) {
    const content = sourceContent(db, source.id);
    const meta = objectMembers(content)?.find((member) => member.key === 'meta');
    if (meta !== undefined) {
      const text = content.slice(meta.valueStart, meta.valueEnd);
      return isEvalBenchStyle(JSON.parse(source.style) as StoredStyle) ? text : dumpMeta(parseJsonValue(text, source.path) as Record<string, unknown>);
    }
  }
  const settings = parseJsonObject(run.meta);
  const concurrency = settings['concurrency'];
  return dumpMeta({
    batch_size: typeof concurrency === 'number' && Number.isInteger(concurrency) ? concurrency : null,
    model_path: run.model,
    input_json: basename(db.name),
  });
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A letter-only model scores 1 or 0 (the probability of "Yes" is unknown); a scorer keeps its score. */
function scoreOf(
  draft: SampleDraft,
  prediction: { output: string | null; prediction: string | null; score: number | null; error: string | null } | undefined,
  runId: number,
): { score: number; error: string | null } {
  if (!prediction) return { score: 0, error: `no prediction in run ${runId}` };
  if (prediction.error !== null) return { score: prediction.score ?? 0, error: prediction.error };
  if (prediction.score !== null) return { score: prediction.score, error: null };
  const answer = prediction.prediction ?? (prediction.output === null ? '' : predictionOf(prediction.output));
  const letter = (Array.from(answer.trim())[0] ?? '').toUpperCase();
  const option = draft.options.find((text) => letterOfOption(text) === letter);
  return { score: option !== undefined && yesNoOfOption(option) === 'yes' ? 1 : 0, error: null };
}
