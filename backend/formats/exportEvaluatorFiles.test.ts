// The exports for the benchmarks' own evaluators and for VLMEvalKit (issue 13 items 2, 3, 5),
// each from real benchmark items imported from ../shared/data and a run with known answers:
// - camerabench-vqa-scores: the score files key by key, and what CameraBench's evaluator
//   (cameraBenchVqa.ts, checked against the evaluator's own outputs) makes of them, against
//   values worked out here from the pair files and the answers;
// - camerabench-caption-results: rows as caption_generation.py writes them;
// - vlmevalkit: the three files cell by cell against what VLMEvalKit itself wrote for the same
//   rows (tests/reference/vlmEvalKitOracle.py → vlmevalkit-expected.json).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CONVERTED_VQA_PREFIX } from '../../common/camerabench/vqa';
import { UsageError } from '../../common/errors';
import { VQA_COMBINATIONS, evaluateVqaRetrievalFiles, isItemCorrect, type VqaCombination, type VqaRetrievalScoreFile } from '../../common/metrics/cameraBenchVqa';
import { captionResultsFile, captionResultsText } from '../../common/metrics/captions';
import { cellAsRead } from '../../common/metrics/vlmEvalKit';
import { benchmarkItems } from '../../db/benchmarks';
import { createProject, type WritableDB } from '../../db/connection';
import { insertInferenceRun, savePredictions, type StoredPrediction } from '../../db/inference';
import { tempDir, track } from '../../tests/support/tempDir';
import { exportProject, exportProjectAsync } from './exportFiles';
import { vlmFiles, vlmWorkbook, type VlmCell, type VlmDataset } from './exportVlmEvalKit';
import { importFiles } from './importFiles';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const VQA = join(SHARED, 'camerabench', 'vqa_and_retrieval');
const SHOTBENCH = join(SHARED, 'shotbench', 'shotbench_camera_movement_464.jsonl');
const REFERENCE = join(__dirname, '..', '..', 'tests', 'reference');
const hasShared = existsSync(VQA) && existsSync(SHOTBENCH);

interface Pair {
  pos_video: string;
  neg_video: string;
  pos_text: string;
  neg_text: string;
  pos_question: string;
  neg_question: string;
}

function newProject(): { db: WritableDB; folder: string } {
  const folder = tempDir();
  return { db: track(createProject(join(folder, 'p.frustum'))), folder };
}

function prediction(sampleId: number, fields: Partial<StoredPrediction>): StoredPrediction {
  return {
    sample_id: sampleId, output: null, prediction: null, accuracy: null, score: null, error: null,
    frames: null, completion_tokens: null, first_token_ms: null, duration_ms: null, finish_reason: null, ...fields,
  };
}

/** A run of the given samples with the given answers, as `frustum infer` stores them. */
function runWith(db: WritableDB, model: string, answers: readonly StoredPrediction[]): number {
  const runId = insertInferenceRun(db, { model, meta: JSON.stringify({ concurrency: 4 }), sampleIds: answers.map((answer) => answer.sample_id) });
  savePredictions(db, runId, answers);
  return runId;
}

function pairsOf(path: string): Pair[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Pair);
}

describe.runIf(hasShared)('camerabench-vqa-scores', () => {
  const skill = 'confusable_motion';
  const taskFiles = readdirSync(join(VQA, skill)).sort().map((file) => join(VQA, skill, file));

  /**
   * Known answers per sample (a video+text recurs across pairs, one answer each): P(Yes) for some,
   * a letter for others (A = Yes, B = No, C = neither), one failed request.
   */
  function answerOf(sampleId: number, failing: number): Partial<StoredPrediction> {
    if (sampleId === failing) return { error: 'HTTP 500: the server failed' };
    switch (sampleId % 5) {
      case 0: return { output: '<answer>A</answer>', prediction: 'A', score: 0.875 };
      case 1: return { output: '<answer>B</answer>', prediction: 'B', score: 0.25 };
      case 2: return { output: '<observation>o</observation><think>t</think><answer>A</answer>', prediction: 'A' };
      case 3: return { output: '<answer> b. No</answer>', prediction: 'b. No' };
      default: return { output: '<answer>C</answer>', prediction: 'C' };
    }
  }

  /** What the answer means as yes and no scores, worked out from the answer rule, not from the exporter. */
  function expectedScores(answer: Partial<StoredPrediction>): { yes: number; no: number } {
    if (answer.score !== undefined && answer.score !== null) return { yes: answer.score, no: 1 - answer.score };
    const letter = (answer.prediction ?? '').trim()[0]?.toUpperCase();
    return letter === 'A' ? { yes: 1, no: 0 } : letter === 'B' ? { yes: 0, no: 1 } : { yes: 0, no: 0 };
  }

  function setUp() {
    const project = newProject();
    importFiles(project.db, taskFiles);
    const items = benchmarkItems(project.db, 'camerabench-vqa');
    const sampleOf = new Map(items.map((item) => [`${item.clip_name}\u001f${item.question}`, item.sample_id]));
    const sampleIds = [...new Set(items.map((item) => item.sample_id))];
    const failing = sampleIds[7] as number;
    const answers = new Map(sampleIds.map((sampleId) => [sampleId, answerOf(sampleId, failing)]));
    const runId = runWith(project.db, 'Qwen/Qwen2.5-VL-7B-Instruct', sampleIds.map((sampleId) => prediction(sampleId, answers.get(sampleId) ?? {})));
    return { ...project, items, sampleOf, answers, failing, runId };
  }

  it('one file per skill: every pair of the task files, key by key, scored as the evaluator expects', () => {
    const { db, folder, sampleOf, answers, failing, runId } = setUp();
    const out = join(folder, 'scores');
    const report = exportProject(db, { format: 'camerabench-vqa-scores', out, run: runId });
    const name = 'vqa_retrieval_scores_Qwen_Qwen2.5-VL-7B-Instruct_confusable_motion.json';
    expect(readdirSync(out)).toEqual([name]);
    expect(report).toMatchObject({ format: 'camerabench-vqa-scores', files: [join(out, name)], records: 75, run: runId, skipped: [] });
    const text = readFileSync(join(out, name), 'utf8');
    const document = JSON.parse(text) as VqaRetrievalScoreFile & { metadata: Record<string, unknown> };
    // The metadata the evaluator keys on: model and split (the spaced skill, as --combine_tasks writes it).
    expect(Object.keys(document.metadata)).toEqual(['method_type', 'model_name', 'checkpoint', 'skill_name', 'task_name', 'split_name', 'generation_timestamp', 'combined_tasks', 'task_names']);
    expect(document.metadata).toMatchObject({
      method_type: 'answer_token_p_yes_else_letter',
      model_name: 'Qwen/Qwen2.5-VL-7B-Instruct',
      checkpoint: null,
      skill_name: 'confusable motion',
      task_name: '',
      split_name: 'confusable motion',
      combined_tasks: true,
      task_names: taskFiles.map((file) => (file.split('/').at(-1) ?? '').replace('.jsonl', '').replaceAll('_', ' ')),
    });
    expect(document.metadata['generation_timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);

    const pairs = taskFiles.flatMap(pairsOf);
    expect(document.scores).toHaveLength(pairs.length);
    let right = 0;
    let questionsRight = 0;
    let kept = 0;
    for (const [index, pair] of pairs.entries()) {
      const row = document.scores[index];
      expect(Object.keys(row ?? {})).toEqual(['sample_id', 'pos_video', 'neg_video', 'pos_question', 'neg_question', 'method', 'yes_scores', 'no_scores', 'error']);
      expect(row).toMatchObject({ sample_id: String(index), pos_video: pair.pos_video, neg_video: pair.neg_video, pos_question: pair.pos_question, neg_question: pair.neg_question, method: 'Qwen/Qwen2.5-VL-7B-Instruct' });
      const sampleIds = {
        pos_text_pos_image: sampleOf.get(`${pair.pos_video}\u001f${CONVERTED_VQA_PREFIX}${pair.pos_text}`),
        pos_text_neg_image: sampleOf.get(`${pair.neg_video}\u001f${CONVERTED_VQA_PREFIX}${pair.pos_text}`),
        neg_text_pos_image: sampleOf.get(`${pair.pos_video}\u001f${CONVERTED_VQA_PREFIX}${pair.neg_text}`),
        neg_text_neg_image: sampleOf.get(`${pair.neg_video}\u001f${CONVERTED_VQA_PREFIX}${pair.neg_text}`),
      } as Record<VqaCombination, number>;
      if (Object.values(sampleIds).includes(failing)) {
        // A failed item makes the pair an error row, all scores 0.0, as the generator writes it.
        expect(row?.error).toBe('HTTP 500: the server failed');
        expect(Object.values(row?.yes_scores ?? {})).toEqual([0, 0, 0, 0]);
        continue;
      }
      expect(row?.error).toBeNull();
      kept += 1;
      const correct: Partial<Record<VqaCombination, boolean>> = {};
      for (const combination of VQA_COMBINATIONS) {
        const scores = expectedScores(answers.get(sampleIds[combination]) ?? {});
        expect([row?.yes_scores[combination], row?.no_scores[combination]]).toEqual([scores.yes, scores.no]);
        correct[combination] = (combination === 'pos_text_pos_image' || combination === 'neg_text_neg_image') ? scores.yes > scores.no : scores.no > scores.yes;
        if (correct[combination]) right += 1;
      }
      if (correct.pos_text_pos_image && correct.pos_text_neg_image) questionsRight += 1;
      if (correct.neg_text_pos_image && correct.neg_text_neg_image) questionsRight += 1;
    }
    expect(kept).toBeGreaterThan(60);
    expect(kept).toBeLessThan(75);
    // Scores are floats as Python's json.dump writes them.
    expect(text).toContain('"pos_text_pos_image": 1.0');
    expect(text).toContain('"neg_text_neg_image": 0.875');
    expect(text.startsWith('{\n  "metadata": {\n    "method_type"')).toBe(true);
    // The evaluator over the file: the pairs without error, binary and question accuracy as worked out above.
    const evaluation = evaluateVqaRetrievalFiles([document], 'vqa');
    const split = evaluation.results_by_split['Qwen/Qwen2.5-VL-7B-Instruct_confusable motion'];
    expect(split?.vqa).toEqual({ binary_acc: right / (4 * kept), question_acc: questionsRight / (2 * kept), num_samples: kept });
    expect(isItemCorrect('pos_text_neg_image', 0, 0)).toBe(false);
    db.close();
  });

  it('per task: one file per task file, each a split of its own', () => {
    const { db, folder, runId } = setUp();
    const out = join(folder, 'scores');
    const report = exportProject(db, { format: 'camerabench-vqa-scores', out, run: runId, isPerTask: true });
    expect(report.files).toHaveLength(taskFiles.length);
    const documents = report.files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as VqaRetrievalScoreFile & { metadata: Record<string, unknown> });
    const first = documents[0];
    const task = (taskFiles[0]?.split('/').at(-1) ?? '').replace('.jsonl', '');
    expect(report.files[0]).toBe(join(out, `vqa_retrieval_scores_Qwen_Qwen2.5-VL-7B-Instruct_confusable_motion_${task}.json`));
    expect(first?.metadata).toMatchObject({ skill_name: 'confusable motion', task_name: task.replaceAll('_', ' '), split_name: `confusable_motion/${task}` });
    expect(first?.scores).toHaveLength(pairsOf(taskFiles[0] as string).length);
    // Distinct split names: the evaluator keeps every task file (not only a skill's last).
    expect(Object.keys(evaluateVqaRetrievalFiles(documents, 'vqa').results_by_split)).toHaveLength(taskFiles.length);
    db.close();
  });

  it('leaves out pairs the run did not ask, and says so; refuses a run that asked none', () => {
    const { db, folder, items } = setUp();
    // A run over the first pair's four samples only.
    const firstPair = items.filter((item) => item.group_key === items[0]?.group_key);
    const runId = runWith(db, 'm', [...new Set(firstPair.map((item) => item.sample_id))].map((sampleId) => prediction(sampleId, { output: '<answer>A</answer>', prediction: 'A' })));
    const report = exportProject(db, { format: 'camerabench-vqa-scores', out: join(folder, 'one'), run: runId });
    expect(report.records).toBe(1);
    expect(report.skipped).toEqual([{ reason: `pair not asked in run ${runId}`, count: 74 }]);
    const empty = runWith(db, 'm', []);
    expect(() => exportProject(db, { format: 'camerabench-vqa-scores', out: join(folder, 'none'), run: empty })).toThrow(UsageError);
    db.close();
  });
});

describe.runIf(hasShared)('camerabench-caption-results', () => {
  it('the run\'s captions as caption_generation.py writes them: output kept as it came, failures as error rows', () => {
    const { db, folder } = newProject();
    const records = [
      { video: 'IWv0EhEGmNI.16.6.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera remains fixed but slightly unsteady, with no intentional movement.' },
      { video: 'iXzposKQzvs.2.1.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera pans left slowly, maintaining a very smooth and steady motion without any shaking.' },
      { video: '5eDQ2SSsmEk.8.5.mp4', question: 'Describe the camera movement in this video.', answer: 'The camera slowly zooms in with minor movement, maintaining a very smooth and steady motion throughout.' },
    ];
    const dataPath = join(folder, 'caption_data.json');
    writeFileSync(dataPath, JSON.stringify(records, null, 4));
    importFiles(db, [dataPath]);
    const items = benchmarkItems(db, 'camerabench-caption');
    expect(items.map((item) => item.reference)).toEqual(records.map((record) => record.answer));
    const [first, second, third] = items.map((item) => item.sample_id) as [number, number, number];
    const runId = runWith(db, 'Qwen/Qwen2.5-VL-7B-Instruct', [
      // The planned outputs of tests/reference/caption-cases.json's "checkpoint-and-failures".
      prediction(first, { output: 'The camera stays still, with a little shake.', prediction: 'The camera stays still, with a little shake.' }),
      prediction(second, { error: 'CUDA out of memory' }),
      prediction(third, { output: 'Caméra — zooms in\u0007 "slowly"\n', prediction: 'Caméra — zooms in\u0007 "slowly"\n' }),
    ]);
    const out = join(folder, 'captions');
    const report = exportProject(db, { format: 'camerabench-caption-results', out, run: runId });
    expect(report).toMatchObject({ records: 3, errors: 1, run: runId, skipped: [] });
    const [path] = report.files;
    expect(path).toMatch(/\/caption_results_Qwen_Qwen2\.5-VL-7B-Instruct_\d{8}_\d{6}\.json$/);
    const text = readFileSync(path as string, 'utf8');
    const written = JSON.parse(text) as { metadata: { generation_timestamp: string }; captions: unknown[] };
    // The generator's own file for these records and outcomes (the writer is checked against it
    // byte for byte in common/metrics/captions.test.ts), with this file's timestamp.
    const expected = captionResultsText(captionResultsFile(
      records.map((record, index) => ({ ...record, outcome: index === 1 ? { error: 'CUDA out of memory' } : { caption: index === 0 ? 'The camera stays still, with a little shake.' : 'Caméra — zooms in\u0007 "slowly"\n' } })),
      { modelName: 'Qwen/Qwen2.5-VL-7B-Instruct', checkpoint: null, videoDir: 'data/videos', generationTimestamp: written.metadata.generation_timestamp },
    ));
    expect(text).toBe(expected);
    // The rows the generator wrote for the same outcomes (caption-expected.json), key by key.
    const oracle = JSON.parse(readFileSync(join(REFERENCE, 'caption-expected.json'), 'utf8')) as { generation: Array<{ name: string; text: string }> };
    const oracleRows = (JSON.parse(oracle.generation.find((entry) => entry.name === 'checkpoint-and-failures')?.text ?? '{}') as { captions: Array<Record<string, unknown>> }).captions;
    expect(written.captions[0]).toEqual(oracleRows[0]);
    expect(written.captions[1]).toEqual({ ...oracleRows[1], video_path: records[1]?.video, full_video_path: `data/videos/${records[1]?.video}`, reference_answer: records[1]?.answer });
    expect((written.captions[2] as Record<string, unknown>)['generated_caption']).toBe((oracleRows[2] ?? {})['generated_caption']);
    expect(text).toContain('"generated_caption": "Caméra — zooms in\\u0007 \\"slowly\\"\\n"');
    db.close();
  });
});

// ---- VLMEvalKit

interface OracleWorkbook {
  sheets: string[];
  rows: VlmCell[][];
  header_style: { bold: boolean; border: string; horizontal: string; vertical: string };
}
interface OracleDataset {
  name: string;
  predictions: OracleWorkbook;
  results: OracleWorkbook;
  acc_csv: string;
}
interface CaseDataset {
  name: string;
  columns: string[];
  rows: Array<Record<string, string | number>>;
}
const CASES = JSON.parse(readFileSync(join(REFERENCE, 'vlmevalkit-cases.json'), 'utf8')) as { datasets: CaseDataset[] };
const ORACLE = JSON.parse(readFileSync(join(REFERENCE, 'vlmevalkit-expected.json'), 'utf8')) as { model: string; datasets: OracleDataset[] };

function oracleOf(name: string): OracleDataset {
  const found = ORACLE.datasets.find((dataset) => dataset.name === name);
  if (found === undefined) throw new Error(`no oracle dataset ${name}`);
  return found;
}

function caseOf(name: string): CaseDataset {
  const found = CASES.datasets.find((dataset) => dataset.name === name);
  if (found === undefined) throw new Error(`no case dataset ${name}`);
  return found;
}

/** The case rows as the exporter's dataset. */
function datasetOf(cases: CaseDataset): VlmDataset {
  const letters = cases.columns.filter((column) => /^[A-Z]$/.test(column));
  return {
    benchmark: cases.name === 'ShotBench' ? 'shotbench' : 'camerabench-vqa',
    name: cases.name,
    letters,
    hasL2Category: cases.columns.includes('l2-category'),
    rows: cases.rows.map((row) => ({
      index: row['index'] as number,
      video: String(row['video']),
      question: String(row['question']),
      choices: letters.map((letter) => [letter, String(row[letter])] as const),
      answer: String(row['answer']),
      category: String(row['category']),
      l2Category: row['l2-category'] === undefined ? null : String(row['l2-category']),
      prediction: String(row['prediction']),
    })),
  };
}

interface ReadWorkbook {
  sheets: string[];
  rows: VlmCell[][];
  headerStyle: { bold: boolean; border: string | undefined; horizontal: string | undefined; vertical: string | undefined };
}

async function readWorkbook(bytes: Uint8Array | Buffer): Promise<ReadWorkbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('no sheet');
  const width = sheet.getRow(1).cellCount;
  const rows: VlmCell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: VlmCell[] = [];
    for (let column = 1; column <= width; column += 1) {
      const value = row.getCell(column).value;
      values.push(value === null || value === undefined ? null : (value as string | number));
    }
    rows.push(values);
  });
  const first = sheet.getRow(1).getCell(1);
  return {
    sheets: workbook.worksheets.map((each) => each.name),
    rows,
    headerStyle: { bold: first.font?.bold === true, border: first.border?.left?.style, horizontal: first.alignment?.horizontal, vertical: first.alignment?.vertical },
  };
}

/**
 * What openpyxl gives for a cell of our workbook: exceljs decodes every `_xHHHH_` escape of a
 * stored string (so it reads back the text that was written), openpyxl only deletes "x005F_"
 * (cellAsRead says what that gives for a text xlsxwriter stored).
 */
function openpyxlView(rows: VlmCell[][]): VlmCell[][] {
  return rows.map((row) => row.map((cell) => (typeof cell === 'string' ? cellAsRead(cell) : cell)));
}

describe('vlmevalkit files against VLMEvalKit\'s own (oracle)', () => {
  it.each(CASES.datasets.map((dataset) => [dataset.name] as const))('%s: predictions, exact-matching results and acc, cell by cell', async (name) => {
    const oracle = oracleOf(name);
    const files = vlmFiles(datasetOf(caseOf(name)));
    // The acc file byte for byte: columns, order, quoting, Python's float repr.
    expect(files.acc).toBe(oracle.acc_csv);
    const predictions = await readWorkbook(await vlmWorkbook(files.header, files.predictions));
    const results = await readWorkbook(await vlmWorkbook([...files.header, 'hit', 'log'], files.results));
    for (const [ours, theirs] of [[predictions, oracle.predictions], [results, oracle.results]] as const) {
      expect(ours.sheets).toEqual(theirs.sheets);
      expect(ours.headerStyle).toEqual(theirs.header_style);
      expect(ours.rows.length).toBe(theirs.rows.length);
      const view = openpyxlView(ours.rows);
      view.forEach((row, rowIndex) => expect(row, `${name} row ${rowIndex}`).toEqual(theirs.rows[rowIndex]));
    }
  });
});

describe.runIf(hasShared)('frustum export --format vlmevalkit', () => {
  it('ShotBench\'s camera-movement questions: a run\'s answers give VLMEvalKit\'s files for them', async () => {
    const { db, folder } = newProject();
    importFiles(db, [SHOTBENCH]);
    const items = benchmarkItems(db, 'shotbench');
    expect(items).toHaveLength(464);
    const cases = caseOf('ShotBench');
    const sampleOf = new Map(items.map((item) => [Number(item.item_key), item.sample_id]));
    const runId = runWith(db, ORACLE.model, cases.rows.map((row) => {
      const sampleId = sampleOf.get(row['index'] as number) as number;
      const text = String(row['prediction']);
      // The API's failure text stands for a failed request; any other prediction is the answer tag's text.
      return prediction(sampleId, text === 'Failed to obtain answer via API.' ? { error: 'HTTP 503' } : { output: `<answer>${text}</answer>`, prediction: text });
    }));
    const out = join(folder, 'vlmevalkit');
    const report = await exportProjectAsync(db, { format: 'vlmevalkit', out, run: runId });
    const stem = join(out, `${ORACLE.model}_ShotBench`);
    expect(report.files).toEqual([`${stem}.xlsx`, `${stem}_exact_matching_result.xlsx`, `${stem}_acc.csv`]);
    expect(report.records).toBe(16);
    expect(report.skipped).toEqual([{ reason: 'shotbench: not asked in the run', count: 448 }]);
    const oracle = oracleOf('ShotBench');
    expect(readFileSync(`${stem}_acc.csv`, 'utf8')).toBe(oracle.acc_csv);
    const predictions = await readWorkbook(readFileSync(`${stem}.xlsx`));
    const results = await readWorkbook(readFileSync(`${stem}_exact_matching_result.xlsx`));
    // The dataset's columns from the imported questions: index, the clip as the file names it, A–D, answer, category.
    expect(predictions.rows[0]).toEqual(['index', 'video', 'question', 'A', 'B', 'C', 'D', 'answer', 'category', 'prediction']);
    expect(results.rows[0]).toEqual([...(predictions.rows[0] ?? []), 'hit', 'log']);
    // The same cells as VLMEvalKit wrote for the same rows, but for the prediction of the failed
    // request (its failure text there, the same text here) — i.e. all of them.
    expect(openpyxlView(predictions.rows)).toEqual(oracle.predictions.rows);
    expect(openpyxlView(results.rows)).toEqual(oracle.results.rows);
    db.close();
  });

  it('CameraBench VQA: task as l2-category, skill as category, index the item\'s place among the imported items', async () => {
    const { db, folder } = newProject();
    const cases = caseOf('CameraBenchVQA');
    const tasks = [...new Set(cases.rows.map((row) => String(row['l2-category'])))];
    importFiles(db, tasks.map((task) => join(VQA, 'confusable_motion', `${task}.jsonl`)));
    const items = benchmarkItems(db, 'camerabench-vqa');
    const sampleOf = new Map(items.map((item) => [`${item.clip_name}\u001f${item.question}`, item.sample_id]));
    const answers = new Map<number, string>();
    for (const row of cases.rows) answers.set(sampleOf.get(`${String(row['video'])}\u001f${String(row['question'])}`) as number, String(row['prediction']));
    const runId = runWith(db, ORACLE.model, [...answers].map(([sampleId, text]) => prediction(sampleId, { output: `<answer>${text}</answer>`, prediction: text })));
    const out = join(folder, 'vlmevalkit');
    const report = await exportProjectAsync(db, { format: 'vlmevalkit', out, run: runId, benchmark: 'camerabench-vqa' });
    const stem = join(out, `${ORACLE.model}_CameraBenchVQA`);
    const oracle = oracleOf('CameraBenchVQA');
    // Items of the run's samples in other pairs are answered too (a sample recurs across pairs): the case rows are among them.
    const results = await readWorkbook(readFileSync(`${stem}_exact_matching_result.xlsx`));
    expect(results.rows[0]).toEqual(['index', 'video', 'question', 'A', 'B', 'answer', 'category', 'l2-category', 'prediction', 'hit', 'log']);
    const byIndex = new Map(results.rows.slice(1).map((row) => [row[0], row]));
    for (const expected of oracle.results.rows.slice(1)) expect(openpyxlView([byIndex.get(expected[0] ?? null) ?? []])[0]).toEqual(expected);
    expect(report.records).toBe(results.rows.length - 1);
    const acc = readFileSync(`${stem}_acc.csv`, 'utf8');
    expect(acc.split('\n')[0]).toBe('"split","Overall","only_pan_left_vs_only_truck_left","only_tilt_up_vs_only_pedestal_up","confusable_motion"');
    db.close();
  });

  it('--name renames the dataset; a benchmark the run did not answer is refused', async () => {
    const { db, folder } = newProject();
    importFiles(db, [SHOTBENCH]);
    const [item] = benchmarkItems(db, 'shotbench');
    const runId = runWith(db, 'builtin:/runs/3/checkpoint-10', [prediction(item?.sample_id as number, { output: '<answer>D</answer>', prediction: 'D' })]);
    const report = await exportProjectAsync(db, { format: 'vlmevalkit', out: join(folder, 'v'), run: runId, datasetName: 'ShotBench_CameraMovement' });
    expect(report.files[0]).toBe(join(folder, 'v', 'builtin__runs_3_checkpoint-10_ShotBench_CameraMovement.xlsx'));
    expect(readFileSync(report.files[2] as string, 'utf8')).toBe('"split","Overall","camera movement"\n"none","1.0","1.0"\n');
    await expect(exportProjectAsync(db, { format: 'vlmevalkit', out: join(folder, 'w'), run: runId, benchmark: 'refineshot' })).rejects.toThrow(/answered no item of refineshot/);
    await expect(exportProjectAsync(db, { format: 'vlmevalkit', out: join(folder, 'w'), run: runId, benchmark: 'camerabench-caption' })).rejects.toThrow(/not a multiple-choice benchmark/);
    db.close();
  });
});
