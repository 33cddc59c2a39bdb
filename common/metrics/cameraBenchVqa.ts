// CameraBench VQA and retrieval, scored the way the official evaluator does it
// (linzhiqiu/t2v_metrics @ 6ecb74f92028f42c7e64546d3a71e98c8c73068f,
// camerabench/vqa_and_retrieval_evaluation.py, last changed in 4c9a00e), the score files its
// generator writes (camerabench/vqa_and_retrieval_vlm_scores.py, same commit), CamReasoner's
// micro average (Inference/infer/eval_bench.py `overall/acc`, 8b71188) and the Table-2 layout of
// the CamReasoner paper, with every row saying how its numbers were computed.
//
// A pair record (pos_video, neg_video, pos_question, neg_question) asks four yes/no questions,
// one per text × video combination. The evaluator needs a "yes" and a "no" score for each and
// only ever compares them strictly: an item is right when the expected answer's score is
// greater (yes > no for pos/pos and neg/neg, no > yes for the crossed two), so a tie is wrong
// both ways. Retrieval reads the yes scores only.
import { PyFloat, pyDumps } from '../formats/pyjson';
import type { PyJsonValue } from '../formats/pyjson';
import { formatPercent } from './camerabench';
import { numpyMean, numpyStd } from './numpySummation';

/** The four combinations in the evaluator's order (its score matrices' columns). */
export const VQA_COMBINATIONS = ['pos_text_pos_image', 'pos_text_neg_image', 'neg_text_pos_image', 'neg_text_neg_image'] as const;

export type VqaCombination = (typeof VQA_COMBINATIONS)[number];

export type VqaCombinationScores = Record<VqaCombination, number>;

/** "Yes" is right where text and video belong together: pos/pos and neg/neg. */
export function isYesExpected(combination: VqaCombination): boolean {
  return combination === 'pos_text_pos_image' || combination === 'neg_text_neg_image';
}

/** The combination of a question (the pair's positive or negative text) asked of a video. */
export function combinationOf(isPositiveQuestion: boolean, isPositiveVideo: boolean): VqaCombination {
  if (isPositiveQuestion) return isPositiveVideo ? 'pos_text_pos_image' : 'pos_text_neg_image';
  return isPositiveVideo ? 'neg_text_pos_image' : 'neg_text_neg_image';
}

/**
 * One item as evaluate_vqa_metrics judges it: the expected answer's score strictly greater
 * than the other's (a tie, or NaN, is wrong either way).
 */
export function isItemCorrect(combination: VqaCombination, yesScore: number, noScore: number): boolean {
  return isYesExpected(combination) ? yesScore > noScore : noScore > yesScore;
}

// ---------------------------------------------------------------------------------------------
// Score files (`vqa_retrieval_scores_*.json`)

/** One row of a score file (evaluation.md §1.2; the evaluator reads yes_scores, no_scores, error). */
export interface VqaRetrievalScoreRow {
  sample_id?: string;
  pos_video: string;
  neg_video: string;
  pos_question: string;
  neg_question: string;
  method?: string;
  yes_scores: VqaCombinationScores;
  no_scores: VqaCombinationScores;
  /** Rows with a non-null error are left out; the generator writes 0.0 for all their scores. */
  error: string | null;
}

export interface VqaRetrievalScoreMetadata {
  method_type?: string | null;
  model_name?: string | null;
  checkpoint?: string | null;
  skill_name?: string | null;
  task_name?: string | null;
  split_name?: string | null;
  generation_timestamp?: string;
  [key: string]: unknown;
}

export interface VqaRetrievalScoreFile {
  metadata?: VqaRetrievalScoreMetadata;
  scores: readonly VqaRetrievalScoreRow[];
}

export type VqaEvaluationMode = 'vqa' | 'retrieval' | 'both';

export interface VqaMetrics {
  binary_acc: number;
  question_acc: number;
  num_samples: number;
}

export interface RetrievalMetrics {
  text: number;
  image: number;
  group: number;
  num_samples: number;
}

function successfulRows(rows: readonly VqaRetrievalScoreRow[]): VqaRetrievalScoreRow[] {
  return rows.filter((row) => row.error === null);
}

/**
 * evaluate_vqa_metrics over a file's rows without error: binary_acc = right items / (4 × pairs);
 * question_acc = questions right on both videos / (2 × pairs). No rows: zeros, as the
 * evaluator (which never reaches this for an empty file: it returns None first).
 */
export function vqaMetrics(rows: readonly VqaRetrievalScoreRow[]): VqaMetrics {
  const kept = successfulRows(rows);
  if (kept.length === 0) return { binary_acc: 0, question_acc: 0, num_samples: 0 };
  let binaryCorrect = 0;
  let questionCorrect = 0;
  for (const row of kept) {
    const right = (combination: VqaCombination): boolean =>
      isItemCorrect(combination, row.yes_scores[combination], row.no_scores[combination]);
    binaryCorrect += VQA_COMBINATIONS.filter(right).length;
    if (right('pos_text_pos_image') && right('pos_text_neg_image')) questionCorrect += 1;
    if (right('neg_text_pos_image') && right('neg_text_neg_image')) questionCorrect += 1;
  }
  return {
    binary_acc: binaryCorrect / (4 * kept.length),
    question_acc: questionCorrect / (2 * kept.length),
    num_samples: kept.length,
  };
}

/**
 * evaluate_retrieval_metrics on the yes scores of the rows without error: text = each video
 * prefers its own text (ppos > npos and nneg > pneg), image = each text prefers its own video
 * (ppos > pneg and nneg > npos), group = both; all strict.
 */
export function retrievalMetrics(rows: readonly VqaRetrievalScoreRow[]): RetrievalMetrics {
  const kept = successfulRows(rows);
  if (kept.length === 0) return { text: 0, image: 0, group: 0, num_samples: 0 };
  let text = 0;
  let image = 0;
  let group = 0;
  for (const { yes_scores: yes } of kept) {
    const isTextRight = yes.pos_text_pos_image > yes.neg_text_pos_image && yes.neg_text_neg_image > yes.pos_text_neg_image;
    const isImageRight = yes.pos_text_pos_image > yes.pos_text_neg_image && yes.neg_text_neg_image > yes.neg_text_pos_image;
    if (isTextRight) text += 1;
    if (isImageRight) image += 1;
    if (isTextRight && isImageRight) group += 1;
  }
  return { text: text / kept.length, image: image / kept.length, group: group / kept.length, num_samples: kept.length };
}

/** One entry of the evaluator's results_by_split, keys in its order. */
export interface VqaSplitResult {
  split_name: unknown;
  skill_name: unknown;
  task_name: unknown;
  model_name: unknown;
  checkpoint: unknown;
  unique_id: string;
  metadata: VqaRetrievalScoreMetadata;
  vqa?: VqaMetrics;
  retrieval?: RetrievalMetrics;
}

/** Python's `metadata.get(key, default)`: a key that is present keeps its value, null included. */
function metadataGet(metadata: VqaRetrievalScoreMetadata, key: string, fallback: unknown): unknown {
  return Object.hasOwn(metadata, key) ? metadata[key] : fallback;
}

/** How an f-string prints a JSON value (None, True, False; strings as they are). */
function pythonText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : String(value);
}

/** Python truthiness of a JSON value. */
function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * evaluate_single_file for one parsed score file: its results_by_split key and entry, the entry
 * null where the evaluator returns None (no row without error).
 *
 * The key is `{model}_{split}`, or `{model}_{last path part of checkpoint}_{split}` when the
 * checkpoint is non-empty; split_name falls back to skill_name (the generator never writes
 * split_name), model_name to "Unknown_Model", skill_name to "Unknown_Skill". A key present
 * with null keeps null (Python's dict.get), printed "None" in the key.
 */
export function evaluateVqaRetrievalFile(
  file: VqaRetrievalScoreFile,
  mode: VqaEvaluationMode = 'both',
): { uniqueId: string; result: VqaSplitResult | null } {
  const metadata = file.metadata ?? {};
  const modelName = metadataGet(metadata, 'model_name', 'Unknown_Model');
  const checkpoint = metadataGet(metadata, 'checkpoint', '');
  const skillName = metadataGet(metadata, 'skill_name', 'Unknown_Skill');
  const taskName = metadataGet(metadata, 'task_name', '');
  const splitName = metadataGet(metadata, 'split_name', skillName);
  const uniqueId = isTruthy(checkpoint)
    ? `${pythonText(modelName)}_${pythonText(checkpoint).split('/').at(-1) ?? ''}_${pythonText(splitName)}`
    : `${pythonText(modelName)}_${pythonText(splitName)}`;
  if (successfulRows(file.scores).length === 0) return { uniqueId, result: null };
  const result: VqaSplitResult = {
    split_name: splitName,
    skill_name: skillName,
    task_name: taskName,
    model_name: modelName,
    checkpoint,
    unique_id: uniqueId,
    metadata,
  };
  if (mode === 'vqa' || mode === 'both') result.vqa = vqaMetrics(file.scores);
  if (mode === 'retrieval' || mode === 'both') result.retrieval = retrievalMetrics(file.scores);
  return { uniqueId, result };
}

export interface VqaOverallVqa {
  mean_binary_acc: number;
  std_binary_acc: number;
  mean_question_acc: number;
  std_question_acc: number;
  evaluated_splits: number;
}

export interface VqaOverallRetrieval {
  mean_text: number;
  std_text: number;
  mean_image: number;
  std_image: number;
  mean_group: number;
  std_group: number;
  evaluated_splits: number;
}

export interface VqaOverallStatistics {
  vqa?: VqaOverallVqa;
  retrieval?: VqaOverallRetrieval;
  retrieval_skill_based?: VqaOverallRetrieval;
  retrieval_caption_based?: VqaOverallRetrieval;
}

/** The evaluator's output file (`save_evaluation_results`), keys in its order. */
export interface VqaRetrievalEvaluation {
  evaluation_timestamp: string;
  evaluation_mode: VqaEvaluationMode;
  total_splits: number;
  evaluated_splits: number;
  overall_binary_acc?: number;
  overall_question_acc?: number;
  overall_retrieval_text?: number;
  overall_retrieval_image?: number;
  overall_retrieval_group?: number;
  skill_based_retrieval_text?: number;
  skill_based_retrieval_image?: number;
  skill_based_retrieval_group?: number;
  caption_based_retrieval_text?: number;
  caption_based_retrieval_image?: number;
  caption_based_retrieval_group?: number;
  overall_statistics: VqaOverallStatistics;
  results_by_split: Record<string, VqaSplitResult>;
}

/** np.mean, and np.std (population) where there is more than one value, else 0.0. */
function meanAndStd(values: readonly number[]): [number, number] {
  return [numpyMean(values), values.length > 1 ? numpyStd(values) : 0];
}

function retrievalSummary(metrics: readonly RetrievalMetrics[]): VqaOverallRetrieval {
  const [meanText, stdText] = meanAndStd(metrics.map((metric) => metric.text));
  const [meanImage, stdImage] = meanAndStd(metrics.map((metric) => metric.image));
  const [meanGroup, stdGroup] = meanAndStd(metrics.map((metric) => metric.group));
  return {
    mean_text: meanText,
    std_text: stdText,
    mean_image: meanImage,
    std_image: stdImage,
    mean_group: meanGroup,
    std_group: stdGroup,
    evaluated_splits: metrics.length,
  };
}

/** save_evaluation_results' test: the skill name contains "complex description" or "caption". */
export function isCaptionBasedSkill(skillName: unknown): boolean {
  const lower = pythonText(skillName).toLowerCase();
  return lower.includes('complex description') || lower.includes('caption');
}

/**
 * The evaluator's main() over score files in the order it reads them (explicit files as given;
 * `--score_dir` discovery reads them sorted by path), then save_evaluation_results: one entry
 * per unique id, a later file with the same id replacing the earlier one in its place (a
 * Python dict), files without a usable row left out; overall = np.mean / np.std over the
 * entries, i.e. the unweighted (macro) mean over split files.
 *
 * The replacement matters: the generator without --combine_tasks writes one file per task but
 * no split_name, so every task file of a skill gets the same id and only the last one read
 * counts. Scores are comparable with CameraBench's only with one file per skill
 * (--combine_tasks, as its README's command) or distinct split names.
 */
export function evaluateVqaRetrievalFiles(
  files: readonly VqaRetrievalScoreFile[],
  mode: VqaEvaluationMode = 'both',
  evaluationTimestamp = '',
): VqaRetrievalEvaluation {
  const results = new Map<string, VqaSplitResult>();
  for (const file of files) {
    const { uniqueId, result } = evaluateVqaRetrievalFile(file, mode);
    if (result !== null) results.set(uniqueId, result);
  }
  const entries = [...results.values()];
  const statistics: VqaOverallStatistics = {};
  const vqaEntries = entries.flatMap((entry) => (entry.vqa === undefined ? [] : [entry.vqa]));
  if ((mode === 'vqa' || mode === 'both') && vqaEntries.length > 0) {
    const [meanBinary, stdBinary] = meanAndStd(vqaEntries.map((metric) => metric.binary_acc));
    const [meanQuestion, stdQuestion] = meanAndStd(vqaEntries.map((metric) => metric.question_acc));
    statistics.vqa = {
      mean_binary_acc: meanBinary,
      std_binary_acc: stdBinary,
      mean_question_acc: meanQuestion,
      std_question_acc: stdQuestion,
      evaluated_splits: vqaEntries.length,
    };
  }
  const retrievalEntries = entries.filter((entry) => entry.retrieval !== undefined);
  if ((mode === 'retrieval' || mode === 'both') && retrievalEntries.length > 0) {
    statistics.retrieval = retrievalSummary(retrievalEntries.map((entry) => entry.retrieval as RetrievalMetrics));
    const captionBased = retrievalEntries.filter((entry) => isCaptionBasedSkill(entry.skill_name));
    const skillBased = retrievalEntries.filter((entry) => !isCaptionBasedSkill(entry.skill_name));
    if (skillBased.length > 0) statistics.retrieval_skill_based = retrievalSummary(skillBased.map((entry) => entry.retrieval as RetrievalMetrics));
    if (captionBased.length > 0) statistics.retrieval_caption_based = retrievalSummary(captionBased.map((entry) => entry.retrieval as RetrievalMetrics));
  }
  // Built key by key in the evaluator's order (a JSON document's keys print in insertion order).
  const summary: Record<string, unknown> = {
    evaluation_timestamp: evaluationTimestamp,
    evaluation_mode: mode,
    total_splits: results.size,
    evaluated_splits: results.size,
  };
  if (statistics.vqa !== undefined) {
    summary.overall_binary_acc = statistics.vqa.mean_binary_acc;
    summary.overall_question_acc = statistics.vqa.mean_question_acc;
  }
  const addRetrieval = (prefix: string, stats: VqaOverallRetrieval | undefined): void => {
    if (stats === undefined) return;
    summary[`${prefix}_text`] = stats.mean_text;
    summary[`${prefix}_image`] = stats.mean_image;
    summary[`${prefix}_group`] = stats.mean_group;
  };
  addRetrieval('overall_retrieval', statistics.retrieval);
  addRetrieval('skill_based_retrieval', statistics.retrieval_skill_based);
  addRetrieval('caption_based_retrieval', statistics.retrieval_caption_based);
  summary.overall_statistics = statistics;
  summary.results_by_split = Object.fromEntries(results);
  return summary as unknown as VqaRetrievalEvaluation;
}

/**
 * The evaluator's default output name, `vqa_retrieval_evaluation_{mode}_{N}models_{M}files.json`:
 * N distinct model names, M evaluated split files.
 */
export function vqaRetrievalEvaluationFileName(evaluation: VqaRetrievalEvaluation): string {
  const entries = Object.values(evaluation.results_by_split);
  const models = new Set(entries.map((entry) => pythonText(entry.model_name)));
  return `vqa_retrieval_evaluation_${evaluation.evaluation_mode}_${models.size}models_${entries.length}files.json`;
}

// ---------------------------------------------------------------------------------------------
// Writing score files from a generative model's answers

/**
 * How one yes/no item was answered. The generator (VQAScore) writes P("Yes") and P("No") as
 * two separate scores; a model answering through an API has log-probs or only its answer.
 */
export type VqaItemOutcome =
  /** P(Yes) from the answer token's log-probs; P(No) likewise, else 1 − P(Yes). */
  | { kind: 'probabilities'; yes: number; no?: number }
  /** Only the answer: yes 1/0, no 0/1; unreadable (null) 0/0, a tie, wrong whichever is expected. */
  | { kind: 'answer'; answer: 'yes' | 'no' | null }
  /** Nothing usable (missing video, failed call): the whole pair becomes an error row. */
  | { kind: 'failed'; error: string };

/** Which scores an item contributes; null for a failed item. */
export function itemScores(outcome: VqaItemOutcome): { yes: number; no: number } | null {
  switch (outcome.kind) {
    case 'probabilities':
      return { yes: outcome.yes, no: outcome.no ?? 1 - outcome.yes };
    case 'answer':
      if (outcome.answer === null) return { yes: 0, no: 0 };
      return outcome.answer === 'yes' ? { yes: 1, no: 0 } : { yes: 0, no: 1 };
    case 'failed':
      return null;
    default:
      throw new Error(`unknown item outcome ${JSON.stringify(outcome satisfies never)}`);
  }
}

/**
 * "Yes"/"No" from an option letter, for the Yes/No multiple-choice form of the pairs
 * (CamReasoner's `converted_vqa`: options ["A. Yes", "B. No"]): the option whose text after
 * "X. " is Yes or No (case-insensitive); null for any other letter or text.
 */
export function yesNoFromLetter(letter: string, options: readonly string[]): 'yes' | 'no' | null {
  const option = options.find((text) => text.startsWith(`${letter}. `));
  const answer = option?.slice(letter.length + 2).trim().toLowerCase();
  return answer === 'yes' || answer === 'no' ? answer : null;
}

/** A pair record of `vqa_and_retrieval/<skill>/<task>.jsonl`, with where it came from. */
export interface VqaPairRecord {
  /** The skill folder, e.g. "motion_direction". */
  skill: string;
  /** The task file stem, e.g. "pan_left_vs_pan_right". */
  task: string;
  pos_video: string;
  neg_video: string;
  pos_question: string;
  neg_question: string;
}

export interface AnsweredVqaPair {
  pair: VqaPairRecord;
  items: Readonly<Record<VqaCombination, VqaItemOutcome>>;
}

const ZERO_SCORES: VqaCombinationScores = { pos_text_pos_image: 0, pos_text_neg_image: 0, neg_text_pos_image: 0, neg_text_neg_image: 0 };

/**
 * The score row for one answered pair: a pair with a failed item is an error row (the first
 * failure's message) with every score 0.0, as the generator writes a pair whose video is
 * missing or whose scoring raised; the evaluator then leaves it out.
 */
export function vqaScoreRow(answered: AnsweredVqaPair, method: string, sampleId: string): VqaRetrievalScoreRow {
  const { pair } = answered;
  const base = {
    sample_id: sampleId,
    pos_video: pair.pos_video,
    neg_video: pair.neg_video,
    pos_question: pair.pos_question,
    neg_question: pair.neg_question,
    method,
  };
  const failure = VQA_COMBINATIONS.map((combination) => answered.items[combination]).find(
    (outcome): outcome is Extract<VqaItemOutcome, { kind: 'failed' }> => outcome.kind === 'failed',
  );
  if (failure !== undefined) return { ...base, yes_scores: { ...ZERO_SCORES }, no_scores: { ...ZERO_SCORES }, error: failure.error };
  const yes = { ...ZERO_SCORES };
  const no = { ...ZERO_SCORES };
  for (const combination of VQA_COMBINATIONS) {
    const scores = itemScores(answered.items[combination]);
    yes[combination] = scores?.yes ?? 0;
    no[combination] = scores?.no ?? 0;
  }
  return { ...base, yes_scores: yes, no_scores: no, error: null };
}

export interface VqaScoreFileOptions {
  model_name: string;
  /** Written as given; a non-empty checkpoint's last path part joins the evaluator's key. */
  checkpoint: string | null;
  method_type: string;
  /** The rows' `method` (the generator writes the model name, or "{model}_{checkpoint}"). */
  method: string;
  generation_timestamp: string;
  /**
   * 'skill': one file per skill folder with every task's pairs (the generator's
   * --combine_tasks, what CameraBench's README runs), split = skill; 'task': one file per task
   * file, with a split_name of its own ("skill/task") so the evaluator keeps them apart.
   */
  granularity: 'skill' | 'task';
}

export interface VqaScoreDocument {
  fileName: string;
  document: VqaRetrievalScoreFile;
  /** The file's text as Python's json.dump(indent=2) writes it (scores as floats: 1.0, 0.0). */
  text: string;
}

/** The generator's file-name cleaning: "/", "\" and ":" (and spaces, except in the model) → "_". */
function cleanName(name: string, isSpaceKept: boolean): string {
  const cleaned = name.replace(/[/\\:]/g, '_');
  return isSpaceKept ? cleaned : cleaned.replace(/ /g, '_');
}

/**
 * `vqa_retrieval_scores_{model}[_{checkpoint}]_{skill}[_{task}].json`, as
 * generate_output_filename names them.
 */
export function vqaScoreFileName(modelName: string, checkpoint: string | null, skillName: string, taskName?: string): string {
  const parts = ['vqa_retrieval_scores', cleanName(modelName, true)];
  if (checkpoint) parts.push(cleanName(checkpoint, true));
  parts.push(cleanName(skillName, false));
  if (taskName) parts.push(cleanName(taskName, false));
  return `${parts.join('_')}.json`;
}

/** The generator's display form of a folder or file stem: underscores → spaces. */
export function spacedName(name: string): string {
  return name.replace(/_/g, ' ');
}

function rowJson(row: VqaRetrievalScoreRow): PyJsonValue {
  const floats = (scores: VqaCombinationScores): PyJsonValue =>
    Object.fromEntries(VQA_COMBINATIONS.map((combination) => [combination, new PyFloat(scores[combination])]));
  return { ...row, yes_scores: floats(row.yes_scores), no_scores: floats(row.no_scores) };
}

/**
 * The score files for the official evaluator, grouped as `granularity` says, in the order the
 * pairs come (skills and tasks in order of first appearance). Metadata keys are those of
 * evaluation.md §1.2 (method_type, model_name, checkpoint, skill_name, task_name, split_name,
 * generation_timestamp); skill_name is the spaced form the generator writes ("motion direction",
 * so that "complex description" counts as caption-based); a skill file also carries the
 * generator's `combined_tasks` and `task_names`. Rows' sample_id counts from "0" per file.
 */
export function vqaScoreDocuments(answered: readonly AnsweredVqaPair[], options: VqaScoreFileOptions): VqaScoreDocument[] {
  const groups = new Map<string, { skill: string; task: string | null; tasks: string[]; pairs: AnsweredVqaPair[] }>();
  for (const entry of answered) {
    const task = options.granularity === 'task' ? entry.pair.task : null;
    const key = `${entry.pair.skill}\u0000${task ?? ''}`;
    const group = groups.get(key) ?? { skill: entry.pair.skill, task, tasks: [], pairs: [] };
    groups.set(key, group);
    if (!group.tasks.includes(entry.pair.task)) group.tasks.push(entry.pair.task);
    group.pairs.push(entry);
  }
  return [...groups.values()].map((group) => {
    const skillName = spacedName(group.skill);
    const metadata: VqaRetrievalScoreMetadata = {
      method_type: options.method_type,
      model_name: options.model_name,
      checkpoint: options.checkpoint,
      skill_name: skillName,
      task_name: group.task === null ? '' : spacedName(group.task),
      split_name: group.task === null ? skillName : `${group.skill}/${group.task}`,
      generation_timestamp: options.generation_timestamp,
      ...(group.task === null ? { combined_tasks: true, task_names: group.tasks.map(spacedName) } : {}),
    };
    const scores = group.pairs.map((entry, index) => vqaScoreRow(entry, options.method, String(index)));
    const document: VqaRetrievalScoreFile = { metadata, scores };
    const text = pyDumps({ metadata: metadata as PyJsonValue, scores: scores.map(rowJson) }, { indent: 2, ensureAscii: true });
    return {
      fileName: vqaScoreFileName(options.model_name, options.checkpoint, skillName, group.task === null ? undefined : spacedName(group.task)),
      document,
      text,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// CamReasoner's micro average

export interface VqaItemResult {
  /** Skill folder (or any name {@link vqaSkillOf} reads). */
  skill: string;
  isCorrect: boolean;
}

export interface Accuracy {
  correct: number;
  total: number;
  /** correct / total; 0 for no items (eval_bench divides by max(1, count)). */
  accuracy: number;
}

function accuracyOf(correct: number, total: number): Accuracy {
  return { correct, total, accuracy: correct / Math.max(1, total) };
}

/**
 * CamReasoner's numbers: eval_bench's `overall/acc` is the mean of the per-item 0/1 accuracies
 * over every item of the run (micro), a failed generation counting 0; its per-skill values are
 * the same mean over each skill's items (evaluation.md §0.1, §1.4). An item's correctness comes
 * from the caller: isItemCorrect for the yes/no form, CamReasoner's letter comparison
 * (common/ota/evalAccuracy multipleChoiceAccuracy) for run.py's "which is more likely" form.
 */
export function vqaMicroAccuracy(items: readonly VqaItemResult[]): { overall: Accuracy; bySkill: Map<string, Accuracy> } {
  const tallies = new Map<string, { correct: number; total: number }>();
  let correct = 0;
  for (const item of items) {
    const tally = tallies.get(item.skill) ?? { correct: 0, total: 0 };
    tallies.set(item.skill, tally);
    tally.total += 1;
    if (item.isCorrect) {
      tally.correct += 1;
      correct += 1;
    }
  }
  const bySkill = new Map([...tallies].map(([skill, tally]) => [skill, accuracyOf(tally.correct, tally.total)]));
  return { overall: accuracyOf(correct, items.length), bySkill };
}

/**
 * Items of score rows for {@link vqaMicroAccuracy}: four per row, right as isItemCorrect says.
 * An error row's four items count wrong ('wrong', as eval_bench counts a failed generation) or
 * are left out ('skip', as CameraBench's evaluator leaves the pair out).
 */
export function vqaItemResults(skill: string, rows: readonly VqaRetrievalScoreRow[], errors: 'wrong' | 'skip'): VqaItemResult[] {
  return rows.flatMap((row) => {
    if (row.error !== null) return errors === 'skip' ? [] : VQA_COMBINATIONS.map(() => ({ skill, isCorrect: false }));
    return VQA_COMBINATIONS.map((combination) => ({
      skill,
      isCorrect: isItemCorrect(combination, row.yes_scores[combination], row.no_scores[combination]),
    }));
  });
}

// ---------------------------------------------------------------------------------------------
// Table 2

/** The nine skills, in CamReasoner's Table-2 column order, with their pair counts (§1.1). */
export const VQA_SKILLS = [
  { skill: 'motion_and_steadiness', column: 'Motion & Steadiness', pairs: 296 },
  { skill: 'scene_dynamics', column: 'Scene Dynamics', pairs: 87 },
  { skill: 'motion_speed', column: 'Motion Speed', pairs: 87 },
  { skill: 'motion_direction', column: 'Motion Direction', pairs: 447 },
  { skill: 'confusable_motion', column: 'Confusable Motion', pairs: 75 },
  { skill: 'has_motion', column: 'Has Motion', pairs: 1011 },
  { skill: 'tracking_shot', column: 'Shot Tracking', pairs: 330 },
  { skill: 'only_motion', column: 'Only Motion', pairs: 139 },
  { skill: 'complex_description', column: 'Complex Description', pairs: 1071 },
] as const;

export type VqaSkill = (typeof VQA_SKILLS)[number]['skill'];

/**
 * The skill a name denotes: the folder ("motion_direction"), the generator's spaced form
 * ("motion direction") or the column heading ("Motion Direction"), case-insensitively; null
 * for anything else (a task-level split name "skill/task" reads as its skill).
 */
export function vqaSkillOf(name: unknown): VqaSkill | null {
  if (typeof name !== 'string') return null;
  const head = name.split('/')[0] ?? '';
  const key = head.trim().toLowerCase().replace(/&/g, 'and').replace(/[\s_]+/g, '_');
  const aliases: Record<string, VqaSkill> = { shot_tracking: 'tracking_shot' };
  const found = VQA_SKILLS.find((entry) => entry.skill === key);
  return found?.skill ?? aliases[key] ?? null;
}

/** What a Table-2 row's numbers are, so that only like is compared with like. */
export interface Table2Basis {
  /**
   * 'accuracy': share of yes/no (or two-option) items answered right — CameraBench's
   * binary_acc ("Acc") on its yes/no form, CamReasoner's accuracy on run.py's A/B form;
   * 'question_acc': CameraBench's Q-Acc (a question right on both of its videos).
   */
  metric: 'accuracy' | 'question_acc';
  /**
   * How Avg is taken: 'micro' over every item (CamReasoner's 74.5, eval_bench overall/acc),
   * 'macro' the unweighted mean over split files (CameraBench's evaluator), 'published' as the
   * source printed it (its averaging not stated).
   */
  average: 'micro' | 'macro' | 'published';
}

export interface Table2Row {
  label: string;
  basis: Table2Basis;
  /** How the numbers were computed and where they come from. */
  description: string;
  /** Fractions in [0, 1] per skill; null where the row has none. */
  values: Record<VqaSkill, number | null>;
  avg: number | null;
}

/** Two rows are comparable when metric and averaging are the same. */
export function isComparable(left: Table2Basis, right: Table2Basis): boolean {
  return left.metric === right.metric && left.average === right.average;
}

function emptyValues(): Record<VqaSkill, number | null> {
  return Object.fromEntries(VQA_SKILLS.map((entry) => [entry.skill, null])) as Record<VqaSkill, number | null>;
}

/** A row of CamReasoner's kind: per-skill item accuracy, Avg the micro mean over all items. */
export function table2MicroRow(label: string, micro: ReturnType<typeof vqaMicroAccuracy>, description: string): Table2Row {
  const values = emptyValues();
  for (const [name, accuracy] of micro.bySkill) {
    const skill = vqaSkillOf(name);
    if (skill !== null) values[skill] = accuracy.accuracy;
  }
  return { label, basis: { metric: 'accuracy', average: 'micro' }, description, values, avg: micro.overall.total === 0 ? null : micro.overall.accuracy };
}

/**
 * A row of CameraBench's kind from the evaluator's output: per skill the split's binary_acc
 * (or question_acc), the unweighted mean where a skill has several split files; Avg the
 * evaluator's overall mean over split files (which is the mean over skills when there is one
 * file per skill, as with --combine_tasks). Splits whose name is not a skill are left out of
 * the cells but stay in Avg, as in the evaluator.
 */
export function table2MacroRow(label: string, evaluation: VqaRetrievalEvaluation, metric: 'binary_acc' | 'question_acc', description: string): Table2Row {
  const perSkill = new Map<VqaSkill, number[]>();
  for (const entry of Object.values(evaluation.results_by_split)) {
    const skill = vqaSkillOf(entry.skill_name) ?? vqaSkillOf(entry.split_name);
    if (skill === null || entry.vqa === undefined) continue;
    perSkill.set(skill, [...(perSkill.get(skill) ?? []), entry.vqa[metric]]);
  }
  const values = emptyValues();
  for (const [skill, splitValues] of perSkill) values[skill] = numpyMean(splitValues);
  const vqa = evaluation.overall_statistics.vqa;
  const avg = vqa === undefined ? null : metric === 'binary_acc' ? vqa.mean_binary_acc : vqa.mean_question_acc;
  return {
    label,
    basis: { metric: metric === 'binary_acc' ? 'accuracy' : 'question_acc', average: 'macro' },
    description,
    values,
    avg,
  };
}

function publishedValues(percentages: readonly (number | null)[]): Record<VqaSkill, number | null> {
  return Object.fromEntries(VQA_SKILLS.map((entry, index) => {
    const value = percentages[index] ?? null;
    return [entry.skill, value === null ? null : value / 100];
  })) as Record<VqaSkill, number | null>;
}

const NO_SKILLS = VQA_SKILLS.map(() => null);

/**
 * Published rows for context (../shared/data/evaluation.md §0.1, §1.1, §1.3, §1.4). Only rows
 * with the same basis are comparable with each other and with a run's rows.
 */
export const PUBLISHED_TABLE2_ROWS: readonly Table2Row[] = [
  {
    label: 'CamReasoner-7B (paper, Table 2)',
    basis: { metric: 'accuracy', average: 'micro' },
    description:
      "CamReasoner's letter accuracy per item on run.py's two-option form ('which option is more likely to have the answer yes/no', " +
      "whose 'no' half has inverted labels, evaluation.md §0.2); per skill the accuracy over its items, Avg the micro mean over " +
      'all 14,172 items (eval_bench overall/acc; the mean of the 9 skills is 71.5)',
    values: publishedValues([78.0, 77.0, 74.1, 67.4, 60.7, 71.8, 71.3, 60.6, 82.6]),
    avg: 0.745,
  },
  {
    label: 'Qwen2.5-VL-7B (CamReasoner paper, Table 2)',
    basis: { metric: 'accuracy', average: 'micro' },
    description:
      'As the CamReasoner row (micro over items, reproduces as 60.31); per-skill values not recorded here. ' +
      "arXiv v3's abstract gives 60.9 for this backbone: cite the version",
    values: publishedValues(NO_SKILLS),
    avg: 0.603,
  },
  {
    label: 'Random Chance (CamReasoner paper, Table 2)',
    basis: { metric: 'accuracy', average: 'micro' },
    description: 'Any two-option form: 50.0 (does not tell which file was scored)',
    values: publishedValues(NO_SKILLS),
    avg: 0.5,
  },
  ...(
    [
      ['Qwen2.5-VL-72B (SFT)', 47.1],
      ['Qwen2.5-VL-32B (SFT)', 46.8],
      ['Qwen2.5-VL-7B (SFT)', 45.3],
      ['GPT-4o', 29.8],
      ['Gemini-2.5-Pro', 28.2],
      ['Qwen2.5-VL-72B', 27.4],
      ['Qwen2.5-VL-32B', 27.1],
      ['Qwen2.5-VL-7B', 25.9],
      ['Random', 25.0],
    ] as const
  ).map(([model, qAcc]): Table2Row => ({
    label: `${model} (CameraBench leaderboard, Q-Acc)`,
    basis: { metric: 'question_acc', average: 'published' },
    description:
      'CameraBench leaderboard/VQA-Q-Acc.html (2025-08-30), overall Q-Acc; the older VQA-leaderboard.png (2025-05-29) differs. ' +
      "The evaluator's overall is the unweighted mean over split files; not comparable with accuracy rows",
    values: publishedValues(NO_SKILLS),
    avg: qAcc / 100,
  })),
];

/**
 * Table 2 as fixed-width text: a heading row (Model, the nine columns, Avg, How), then one row
 * per entry with percentages to one decimal as the paper prints them, "-" where empty; the
 * How column says "<metric>, <average>" so that rows of different kinds are not read as one.
 */
export function formatTable2(rows: readonly Table2Row[]): string {
  const headings = ['Model', ...VQA_SKILLS.map((entry) => entry.column), 'Avg', 'How'];
  const body = rows.map((row) => [
    row.label,
    ...VQA_SKILLS.map((entry) => {
      const value = row.values[entry.skill];
      return value === null ? '-' : formatPercent(value);
    }),
    row.avg === null ? '-' : formatPercent(row.avg),
    `${row.basis.metric === 'accuracy' ? 'accuracy' : 'Q-Acc'}, ${row.basis.average}`,
  ]);
  const table = [headings, ...body];
  const widths = headings.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? '').length)));
  const lastColumn = headings.length - 1;
  return table
    .map((cells) => cells.map((cell, column) => (column === 0 || column === lastColumn ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd())
    .join('\n') + '\n';
}
