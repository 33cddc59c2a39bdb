// `frustum export`: writes the project's samples in the format a training or evaluation tool
// reads. A sample that is unchanged since it was imported in that format is written as the
// exact text it was imported as; a changed one is its original record with only the changed
// fields replaced (key order kept), written in the style its file used; a sample that never
// was in that format gets a fresh record in the tool's own key order.
import { mkdirSync, renameSync, writeFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PRIMITIVES, PRIMITIVE_INFO, letterOfOption, yesNoOfOption, type Primitive } from '../../common/camerabench/primitives';
import { InputError, UsageError } from '../../common/errors';
import { parseJsonValue } from '../../common/formats/jsonText';
import { normalizeRecord, type SampleDraft } from '../../common/formats/normalize';
import { sftUserContent, questionWithOptions } from '../../common/formats/prompts';
import { PyFloat, pyDumps, type PyJsonStyle, type PyJsonValue } from '../../common/formats/pyjson';
import { predictionOf } from '../../common/ota/evalAccuracy';
import type { ReadableDB } from '../../db/connection';
import { samplesForExport, sourcePaths, sourceRecordsOfFormat, type ExportSampleRow, type SampleSourceRow } from '../../db/exports';
import { getRun, listRuns, predictionsOfRun } from '../../db/runs';
import { recordText } from '../../db/sources';

export const EXPORT_FORMATS = ['sft', 'rl', 'eval', 'camerabench', 'camerabench-scores'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  out: string;
  split?: string | undefined;
  status?: string | undefined;
  /** For camerabench-scores: which run (default: the newest). */
  run?: number | undefined;
  /** LLaMA-Factory dataset name for dataset_info.json (default: the output file's name). */
  datasetName?: string | undefined;
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
}

interface StoredStyle extends PyJsonStyle {
  layout: { kind: 'array' | 'jsonl' | 'object'; key?: string };
  trailingNewline: boolean;
  ensureAsciiKnown?: boolean;
}

const DEFAULT_STYLE: Record<Exclude<ExportFormat, 'camerabench-scores'>, StoredStyle> = {
  // LLaMA-Factory and EasyR1 datasets are conventionally dumped with indent=2, ensure_ascii=False.
  sft: { layout: { kind: 'array' }, indent: 2, ensureAscii: false, trailingNewline: false },
  rl: { layout: { kind: 'array' }, indent: 2, ensureAscii: false, trailingNewline: false },
  // As ../shared/data/camreasoner/camerabench_binary.json is written.
  eval: { layout: { kind: 'array' }, indent: 2, ensureAscii: true, trailingNewline: false },
  // As CameraBench's binary_classification/*.jsonl: json.dumps defaults, one per line.
  camerabench: { layout: { kind: 'jsonl' }, indent: null, ensureAscii: true, trailingNewline: true },
};

export function exportProject(db: ReadableDB, options: ExportOptions): ExportReport {
  const out = resolve(options.out);
  if (sourcePaths(db).includes(out)) {
    throw new UsageError(`${options.out} is a file this project was imported from; export to a new path (imports never edit their source)`);
  }
  if (options.format === 'camerabench-scores') return exportScores(db, options, out);
  return exportRecords(db, options, out);
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

function exportRecords(db: ReadableDB, options: ExportOptions, out: string): ExportReport {
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
export function renderRecords(db: ReadableDB, options: Omit<ExportOptions, 'out'> & { sampleIds?: ReadonlySet<number> }): RenderedRecords {
  const format = options.format as Exclude<ExportFormat, 'camerabench-scores'>;
  const chosen = options.sampleIds;
  const samples = samplesForExport(db, { split: options.split, status: options.status }).filter((sample) => chosen === undefined || chosen.has(sample.id));
  const sources = sourceRecordsOfFormat(db, format);
  const sourceBySample = new Map<number, SampleSourceRow>();
  for (const source of sources) if (!sourceBySample.has(source.sample_id)) sourceBySample.set(source.sample_id, source);

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
    let text: string;
    if (source) {
      const raw = recordText(db, source);
      const original = parseJsonValue(raw, source.format) as Record<string, unknown>;
      const patched = patchRecord(format, original, draft);
      const canReuse = sameStyle(JSON.parse(source.style) as StoredStyle, style);
      if (patched === original && canReuse) {
        text = raw;
        report.verbatim++;
      } else {
        text = nestedDumps(patched as PyJsonValue, style, itemIndent);
        if (patched === original) report.verbatim++;
        else report.changed++;
      }
    } else {
      text = nestedDumps(freshRecord(format, draft, counters) as PyJsonValue, style, itemIndent);
      report.fresh++;
    }
    pieces.push(text);
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
function patchRecord(format: Exclude<ExportFormat, 'camerabench-scores'>, original: Record<string, unknown>, draft: SampleDraft): Record<string, unknown> {
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

function freshRecord(format: Exclude<ExportFormat, 'camerabench-scores'>, draft: SampleDraft, counters: Map<string, number>): Record<string, unknown> {
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

/** Write to a temporary file and rename, so a crash never leaves half a dataset behind. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${path} is a directory; give a file path to --out`);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** CameraBench score files, one per primitive, from a run's predictions (its evaluator's input). */
function exportScores(db: ReadableDB, options: ExportOptions, outDir: string): ExportReport {
  const runs = listRuns(db);
  const run = options.run === undefined ? runs[runs.length - 1] : getRun(db, options.run);
  if (!run) {
    throw new UsageError(
      options.run === undefined
        ? 'this project has no evaluation runs yet; import a results or score file first'
        : `no run ${options.run}; runs: ${runs.map((r) => r.id).join(', ') || 'none'}`,
    );
  }
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
