// `frustum export --format vlmevalkit`: a multiple-choice run as the files VLMEvalKit writes for
// an image MCQ dataset (open-compass/VLMEvalKit @ e8e78f05; evaluation.md §3), so that its users
// can put a Frustum run beside their own:
//
// - `{model}_{dataset}.xlsx`, the predictions (vlmeval/inference.py infer_data_job, lines
//   241-290): the dataset's columns — index, video, question, A, B, C, D…, answer, category
//   (the benchmark's split: primitive, VQA skill, ShotBench dimension), l2-category (the VQA
//   task, where the benchmark has tasks) — and `prediction`, in the dataset's order;
// - `{model}_{dataset}_exact_matching_result.xlsx` (ImageMCQDataset.evaluate_heuristic, judge
//   "exact_matching": vlmeval/dataset/image_mcq.py lines 255-314): the predictions sorted by
//   index, with `hit` and `log`, matched by VLMEvalKit's can_infer (common/metrics/vlmEvalKit.ts);
// - `{model}_{dataset}_acc.csv` (report_acc, line 324-327): split, Overall, each l2-category,
//   each category.
//
// Workbooks are written as pandas' to_excel(index=False) through xlsxwriter writes them (vlmeval
// smp/file.py dump_xlsx, lines 165-171): one sheet "Sheet1", the header row in pandas' header
// style, numbers as numbers, strings never formulas; control characters and literal `_xHHHH_`
// escaped as xlsxwriter escapes them, so that readers give back the text that was written.
import { join } from 'node:path';
import type { Worksheet } from 'exceljs';
import { letterOfOption } from '../../common/camerabench/primitives';
import { UsageError } from '../../common/errors';
import { BENCHMARKS, type Benchmark } from '../../common/formats/benchmarks';
import { parseStringArray } from '../../common/formats/jsonText';
import { VLMEVALKIT_FAIL_MESSAGE, accCsvText, cellAsRead, evalVanilla, predictionAsRead, reportAcc, xlsxWriterText, type VlmChoices } from '../../common/metrics/vlmEvalKit';
import { predictionOf } from '../../common/ota/evalAccuracy';
import { benchmarkItems, type BenchmarkItemRow } from '../../db/benchmarks';
import type { ReadableDB } from '../../db/connection';
import { samplesForExport } from '../../db/exports';
import { predictionsOfRun, type PredictionRow } from '../../db/runs';
import { checkOutFolder, chosenRun, modelFilePart, writeAtomically } from './exportCommon';
import type { ExportOptions, ExportReport } from './exportFiles';

/** The multiple-choice benchmarks and their VLMEvalKit dataset names (none is in VLMEvalKit itself). */
export const VLMEVALKIT_DATASETS: Readonly<Partial<Record<Benchmark, string>>> = {
  'camerabench-binary': 'CameraBenchBinary',
  'camerabench-vqa': 'CameraBenchVQA',
  'camerabench-vqa-runpy': 'CameraBenchVQARunPy',
  shotbench: 'ShotBench',
  refineshot: 'RefineShot',
};

export type VlmCell = string | number | null;

/** One row of the dataset as VLMEvalKit would hold it, with the run's prediction. */
export interface VlmRow {
  index: number;
  video: string;
  question: string;
  /** Option texts by letter (the A…Z columns). */
  choices: VlmChoices;
  answer: string;
  category: string;
  l2Category: string | null;
  prediction: string;
}

export interface VlmDataset {
  benchmark: Benchmark;
  name: string;
  /** The A…Z columns any row fills, in letter order. */
  letters: string[];
  hasL2Category: boolean;
  rows: VlmRow[];
}

const OPTION_PREFIX = /^\s*[A-Za-z]\s*[.)]\s*/;

/** "A. Zoom in" → ["A", "Zoom in"]: the option columns hold the text without its letter. */
function choicesOf(options: readonly string[]): VlmChoices | null {
  const choices: Array<[string, string]> = [];
  for (const option of options) {
    const letter = letterOfOption(option);
    if (letter === null || choices.some(([known]) => known === letter)) return null;
    choices.push([letter, option.replace(OPTION_PREFIX, '')]);
  }
  return choices.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}

/**
 * The prediction cell: what the model answered, as eval_bench extracts it (the answer tag's
 * text, else the whole output), so that VLMEvalKit's matcher reads the answer, not the
 * observation and reasoning before it (on a whole O-T-A chain it finds a stray "A" article or
 * nothing); a failed request is VLMEvalKit's own failure text, which its matcher refuses.
 */
function predictionCell(prediction: PredictionRow): string {
  if (prediction.error !== null) return VLMEVALKIT_FAIL_MESSAGE;
  if (prediction.prediction !== null) return prediction.prediction;
  return prediction.output === null ? '' : predictionOf(prediction.output);
}

/** The benchmark's items the run answered, as VLMEvalKit dataset rows. */
export function vlmDataset(
  db: ReadableDB,
  benchmark: Benchmark,
  name: string,
  predictions: ReadonlyMap<number, PredictionRow>,
  keep: ReadonlySet<number> | null,
  skip: (reason: string) => void,
): VlmDataset | null {
  const items = benchmarkItems(db, benchmark);
  if (items.length === 0) return null;
  // VLMEvalKit's index is an integer: the item's own where the benchmark numbers its items
  // (ShotBench's index), else its place in the benchmark as imported.
  const isNumbered = items.every((item) => /^(0|[1-9][0-9]{0,14})$/.test(item.item_key));
  const rows: VlmRow[] = [];
  for (const [position, item] of items.entries()) {
    if (keep !== null && !keep.has(item.sample_id)) {
      skip('left out by --split / --status');
      continue;
    }
    const prediction = predictions.get(item.sample_id);
    if (prediction === undefined) {
      skip(`${benchmark}: not asked in the run`);
      continue;
    }
    const row = rowOf(item, isNumbered ? Number(item.item_key) : position, prediction);
    if (typeof row === 'string') skip(`${benchmark}: ${row}`);
    else rows.push(row);
  }
  if (rows.length === 0) return null;
  const letters = [...new Set(rows.flatMap((row) => row.choices.map(([letter]) => letter)))].sort();
  return { benchmark, name, letters, hasL2Category: rows.every((row) => row.l2Category !== null), rows };
}

function rowOf(item: BenchmarkItemRow, index: number, prediction: PredictionRow): VlmRow | string {
  if (item.problem_type !== 'multiple choice') return 'not a multiple-choice question';
  if (item.answer === null) return 'no reference answer';
  const choices = choicesOf(parseStringArray(item.options) ?? []);
  if (choices === null || choices.length === 0) return 'options without distinct letters';
  return {
    index,
    video: item.clip_ref ?? item.clip_name ?? '',
    question: item.question,
    choices,
    answer: item.answer,
    category: item.split,
    l2Category: item.task,
    prediction: predictionCell(prediction),
  };
}

export interface VlmFiles {
  header: string[];
  predictions: VlmCell[][];
  results: VlmCell[][];
  acc: string;
}

/** The three files' contents: the predictions in dataset order; the results sorted by index, with hit and log; the acc row. */
export function vlmFiles(dataset: VlmDataset): VlmFiles {
  const header = ['index', 'video', 'question', ...dataset.letters, 'answer', 'category', ...(dataset.hasL2Category ? ['l2-category'] : []), 'prediction'];
  const cells = (row: VlmRow, prediction: string): VlmCell[] => [
    row.index,
    row.video,
    row.question,
    ...dataset.letters.map((letter) => row.choices.find(([known]) => known === letter)?.[1] ?? null),
    row.answer,
    row.category,
    ...(dataset.hasL2Category ? [row.l2Category] : []),
    prediction,
  ];
  const predictions = dataset.rows.map((row) => cells(row, row.prediction));
  // Evaluation reads the predictions workbook back (pandas through openpyxl), sorts it by index and
  // writes the result workbook from what it read: every text as read back, the prediction as str().
  const asRead = (value: VlmCell): VlmCell => (typeof value === 'string' ? (value === '' ? null : cellAsRead(value)) : value);
  const scored = [...dataset.rows].sort((left, right) => left.index - right.index).map((row) => {
    const read = predictionAsRead(row.prediction);
    // build_choices: the option columns that are not empty (NaN).
    const choices = row.choices.filter(([, text]) => text !== '').map(([letter, text]) => [letter, cellAsRead(text)] as const);
    return { row, read, match: evalVanilla(read, choices, row.answer) };
  });
  const results = scored.map(({ row, read, match }) => [...cells(row, '').slice(0, -1).map(asRead), read, match.hit, match.log]);
  const acc = accCsvText(
    reportAcc(
      scored.map(({ row, match }) => ({ hit: match.hit, category: cellAsRead(row.category), ...(row.l2Category !== null ? { l2Category: cellAsRead(row.l2Category) } : {}) })),
      dataset.hasL2Category,
    ),
  );
  return { header: [...header], predictions, results, acc };
}

// pandas' ExcelFormatter.header_style.
const HEADER_STYLE = {
  font: { bold: true },
  border: { top: { style: 'thin' }, right: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' } },
  alignment: { horizontal: 'center', vertical: 'top' },
} as const;

/** One workbook as VLMEvalKit's dump writes a frame: Sheet1, the header, one row per row; calls `onCut` per cell cut at Excel's limit. */
export async function vlmWorkbook(header: readonly string[], rows: readonly VlmCell[][], onCut: () => void = () => {}): Promise<Uint8Array> {
  // Loaded only here: exceljs is large, and every other export does without it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet: Worksheet = workbook.addWorksheet('Sheet1');
  const text = (value: string): string => {
    const cell = xlsxWriterText(value);
    if (cell.isCut) onCut();
    return cell.text;
  };
  sheet.addRow(header.map(text)).eachCell((cell) => {
    cell.font = HEADER_STYLE.font;
    cell.border = HEADER_STYLE.border;
    cell.alignment = HEADER_STYLE.alignment;
  });
  // Empty cells where pandas has NaN (an option letter the row lacks) and where xlsxwriter
  // writes "" (a blank cell: write_string of "" is write_blank).
  for (const row of rows) sheet.addRow(row.map((value) => (typeof value === 'string' ? (value === '' ? null : text(value)) : value)));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export async function exportVlmEvalKit(db: ReadableDB, options: ExportOptions, outDir: string): Promise<ExportReport> {
  const run = chosenRun(db, options.run);
  checkOutFolder(outDir, 'vlmevalkit', 'VLMEvalKit result files');
  const chosen = options.benchmark === undefined ? BENCHMARKS.filter((benchmark) => VLMEVALKIT_DATASETS[benchmark] !== undefined) : [options.benchmark];
  if (options.benchmark !== undefined && VLMEVALKIT_DATASETS[options.benchmark] === undefined) {
    throw new UsageError(`${options.benchmark} is not a multiple-choice benchmark; vlmevalkit writes ${Object.keys(VLMEVALKIT_DATASETS).join(', ')}`);
  }
  const predictions = new Map(predictionsOfRun(db, run.id).map((row) => [row.sample_id, row]));
  const isFiltered = options.split !== undefined || options.status !== undefined;
  const keep = isFiltered ? new Set(samplesForExport(db, { split: options.split, status: options.status }).map((sample) => sample.id)) : null;
  const skipped = new Map<string, number>();
  const skip = (reason: string): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const datasets = chosen.flatMap((benchmark) => {
    const dataset = vlmDataset(db, benchmark, VLMEVALKIT_DATASETS[benchmark] ?? benchmark, predictions, keep, skip);
    return dataset === null ? [] : [dataset];
  });
  if (datasets.length === 0) {
    throw new UsageError(`run ${run.id} answered no item of ${options.benchmark ?? 'a multiple-choice benchmark'} in this project (import a benchmark's questions, then ask them: frustum infer)`);
  }
  if (options.datasetName !== undefined) {
    if (datasets.length > 1) throw new UsageError(`--name names one dataset, and run ${run.id} answered ${datasets.map((dataset) => dataset.benchmark).join(', ')}: choose one with --benchmark`);
    for (const dataset of datasets) dataset.name = options.datasetName;
  }
  if (datasets.some((dataset) => /[/\\]/.test(dataset.name))) throw new UsageError('--name is part of the file names: no "/" or "\\"');

  const report: ExportReport = { format: 'vlmevalkit', files: [], records: 0, verbatim: 0, changed: 0, fresh: 0, skipped: [], run: run.id, notes: [] };
  let cut = 0;
  for (const dataset of datasets) {
    const files = vlmFiles(dataset);
    const stem = join(outDir, `${modelFilePart(run.model)}_${dataset.name}`);
    const predictionsPath = `${stem}.xlsx`;
    const resultsPath = `${stem}_exact_matching_result.xlsx`;
    const accPath = `${stem}_acc.csv`;
    writeAtomically(predictionsPath, await vlmWorkbook(files.header, files.predictions, () => (cut += 1)));
    writeAtomically(resultsPath, await vlmWorkbook([...files.header, 'hit', 'log'], files.results, () => (cut += 1)));
    writeAtomically(accPath, files.acc);
    report.files.push(predictionsPath, resultsPath, accPath);
    report.records += dataset.rows.length;
    report.fresh += dataset.rows.length;
    const hits = files.results.reduce((total, row) => total + (row.at(-2) === 1 ? 1 : 0), 0);
    report.notes?.push(`${dataset.name}: ${dataset.rows.length} rows, exact-matching accuracy ${((100 * hits) / dataset.rows.length).toFixed(1)} % (VLMEvalKit's can_infer on the answer)`);
  }
  if (cut > 0) report.notes?.push(`${cut} cell(s) longer than Excel's 32,767 characters cut there, as xlsxwriter cuts them`);
  report.skipped = [...skipped].map(([reason, count]) => ({ reason, count }));
  return report;
}
