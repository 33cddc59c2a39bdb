// CameraBench's caption scoring, as its evaluator computes it: linzhiqiu/t2v_metrics
// camerabench/caption_evaluation.py @ 6ecb74f (the "Script 2" of ../shared/data/evaluation.md
// §1.2), and the `caption_results_*.json` files its camerabench/caption_generation.py writes
// ("Script 1") and the evaluator reads.
//
// Three of the five metrics are the script's own simplified re-implementations, not the
// standard ones, and are ported as the script computes them, edge cases included: `spice`
// (unigram-set F1), `cider` (cosine of word-count vectors) and `meteor` (0.8 unigram / 0.2
// bigram precision and recall, recall-weighted harmonic mean). `bleu2` is NLTK's
// `sentence_bleu` with weights (0.5, 0.5) and `SmoothingFunction().method1` on the script's
// tokens; `rouge_l` is Google's rouge_score `RougeScorer(['rougeL'], use_stemmer=True)` F1 with
// its own tokenizer and NLTK's Porter stemmer (./porterStemmer.ts). Every value matches the
// script to the last bit except where a value passes through exp/log (BLEU-2, the judge's
// P(yes)), where the C library and V8 may differ by an ulp (tests/reference/captionOracle.py).
//
// The GPT-4o judge (`gen_match`) is a network call and belongs to the backend: this module
// builds its exact request, reads its reply as the script does, and runs the script's retries
// around a call the caller supplies.
import { PyFloat, pyDumps } from '../formats/pyjson';
import type { PyJsonValue } from '../formats/pyjson';
import { PY_SPACE, pyLower, pyStrip } from '../python';
import { numpyMean } from './numpySummation';
import { porterStem } from './porterStemmer';

// ---------------------------------------------------------------------------------------------
// Tokenisation

// string.punctuation: the 32 ASCII punctuation characters, removed (not replaced by spaces).
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
const PYTHON_WHITESPACE_RUN = new RegExp(`${PY_SPACE}+`);

/** Python `text.split()` with no argument: runs of Python whitespace, no empty pieces. */
function pySplit(text: string): string[] {
  return text.split(PYTHON_WHITESPACE_RUN).filter((piece) => piece !== '');
}

/**
 * `preprocess_text` (caption_evaluation.py lines 57-69), the tokens of spice, cider, bleu2 and
 * meteor: lower-case (Python `str.lower`), delete `string.punctuation`, split on whitespace.
 * So "pans-left" is one token "pansleft" and "camera's" is "cameras"; non-ASCII letters and
 * punctuation ("—", "…") stay.
 */
export function preprocessText(text: string | null | undefined): string[] {
  if (!text) return [];
  return pySplit(pyLower(text).replace(ASCII_PUNCTUATION, ''));
}

/**
 * rouge_score's `tokenize.tokenize(text, PorterStemmer())` (google-research rouge/tokenize.py):
 * lower-case, every run of characters other than a-z and 0-9 becomes a space (so non-ASCII
 * letters split words: "café" → "caf"), split, stem the tokens longer than 3 characters, drop
 * empty ones.
 */
export function rougeTokens(text: string): string[] {
  return pyLower(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .map((token) => (token.length > 3 ? porterStem(token) : token))
    .filter((token) => /^[a-z0-9]+$/.test(token));
}

// ---------------------------------------------------------------------------------------------
// Metrics, one (reference, candidate) pair at a time

/** `calculate_spice_score` (lines 72-95): F1 of the two token sets; 0 for an empty text. */
export function spiceScore(reference: string, candidate: string): number {
  if (!reference || !candidate) return 0;
  const referenceWords = new Set(preprocessText(reference));
  const candidateWords = new Set(preprocessText(candidate));
  if (candidateWords.size === 0) return 0;
  let common = 0;
  for (const word of candidateWords) if (referenceWords.has(word)) common += 1;
  const precision = common / candidateWords.size;
  const recall = referenceWords.size > 0 ? common / referenceWords.size : 0;
  if (precision + recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}

function counts(tokens: readonly string[]): Map<string, number> {
  const tally = new Map<string, number>();
  for (const token of tokens) tally.set(token, (tally.get(token) ?? 0) + 1);
  return tally;
}

/**
 * `calculate_cider_score` (lines 98-127): the cosine between the two word-count vectors — no
 * n-grams, no TF-IDF, no length penalty, whatever the name says. The dot product and the
 * squared norms are integers; `np.sqrt` of each norm, then one product and one division.
 */
export function ciderScore(reference: string, candidate: string): number {
  if (!reference || !candidate) return 0;
  const referenceCounts = counts(preprocessText(reference));
  const candidateCounts = counts(preprocessText(candidate));
  if (referenceCounts.size === 0 && candidateCounts.size === 0) return 0;
  let dotProduct = 0;
  for (const [word, count] of referenceCounts) dotProduct += count * (candidateCounts.get(word) ?? 0);
  let referenceSquares = 0;
  for (const count of referenceCounts.values()) referenceSquares += count * count;
  let candidateSquares = 0;
  for (const count of candidateCounts.values()) candidateSquares += count * count;
  const referenceMagnitude = Math.sqrt(referenceSquares);
  const candidateMagnitude = Math.sqrt(candidateSquares);
  if (referenceMagnitude === 0 || candidateMagnitude === 0) return 0;
  return dotProduct / (referenceMagnitude * candidateMagnitude);
}

/** NLTK `modified_precision` for one reference: clipped n-gram matches over candidate n-grams (at least 1). */
function modifiedPrecision(reference: readonly string[], candidate: readonly string[], order: number): { numerator: number; denominator: number } {
  // Tokens never hold whitespace, so a space-joined n-gram is a faithful key.
  const ngrams = (tokens: readonly string[]): Map<string, number> => {
    const keys: string[] = [];
    for (let start = 0; start + order <= tokens.length; start += 1) keys.push(tokens.slice(start, start + order).join(' '));
    return counts(keys);
  };
  const candidateCounts = ngrams(candidate);
  const referenceCounts = ngrams(reference);
  let numerator = 0;
  let total = 0;
  for (const [ngram, count] of candidateCounts) {
    numerator += Math.min(count, referenceCounts.get(ngram) ?? 0);
    total += count;
  }
  return { numerator, denominator: Math.max(1, total) };
}

/**
 * `calculate_bleu2_score` (lines 130-162): NLTK `sentence_bleu([reference], candidate,
 * weights=(0.5, 0.5), smoothing_function=SmoothingFunction().method1)` on `preprocessText`
 * tokens (not nltk's word_tokenize). As nltk/translate/bleu_score.py computes it:
 * - p1, p2: clipped matches over candidate n-grams, the denominator at least 1 and kept
 *   unreduced (`Fraction(..., _normalize=False)`);
 * - no unigram match at all: 0, before any smoothing;
 * - method1: a zero p_n becomes 0.1 / its denominator (a one-word candidate has no bigram:
 *   p2 = 0.1 / 1);
 * - brevity penalty 1 when the candidate is longer than the reference, else exp(1 - r/c);
 * - score = BP · exp(0.5·ln p1 + 0.5·ln p2) (math.fsum of two terms is their rounded sum).
 */
export function bleu2Score(reference: string, candidate: string): number {
  if (!reference || !candidate) return 0;
  const referenceTokens = preprocessText(reference);
  const candidateTokens = preprocessText(candidate);
  if (referenceTokens.length === 0 || candidateTokens.length === 0) return 0;
  const precisions = [1, 2].map((order) => modifiedPrecision(referenceTokens, candidateTokens, order));
  if ((precisions[0]?.numerator ?? 0) === 0) return 0;
  const epsilon = 0.1;
  const smoothed = precisions.map(({ numerator, denominator }) =>
    numerator === 0 ? (numerator + epsilon) / denominator : numerator / denominator,
  );
  const candidateLength = candidateTokens.length;
  const referenceLength = referenceTokens.length;
  const brevityPenalty = candidateLength > referenceLength ? 1 : Math.exp(1 - referenceLength / candidateLength);
  const weightedLogs = smoothed.map((precision) => 0.5 * Math.log(precision));
  return brevityPenalty * Math.exp((weightedLogs[0] ?? 0) + (weightedLogs[1] ?? 0));
}

/** Length of the longest common subsequence, rouge_score's `_lcs_table` read at its corner. */
function lcsLength(target: readonly string[], prediction: readonly string[]): number {
  let previous = new Int32Array(prediction.length + 1);
  for (const targetToken of target) {
    const current = new Int32Array(prediction.length + 1);
    for (let column = 1; column <= prediction.length; column += 1) {
      current[column] =
        targetToken === prediction[column - 1]
          ? (previous[column - 1] ?? 0) + 1
          : Math.max(previous[column] ?? 0, current[column - 1] ?? 0);
    }
    previous = current;
  }
  return previous[prediction.length] ?? 0;
}

/**
 * `calculate_rouge_l_score` (lines 165-190): `RougeScorer(['rougeL'], use_stemmer=True)
 * .score(reference, candidate)['rougeL'].fmeasure` — LCS over `rougeTokens`, precision over the
 * candidate's tokens, recall over the reference's, F1 (rouge/scoring.py `fmeasure`); 0 when
 * either side has no token.
 */
export function rougeLScore(reference: string, candidate: string): number {
  if (!reference || !candidate) return 0;
  const targetTokens = rougeTokens(reference);
  const predictionTokens = rougeTokens(candidate);
  if (targetTokens.length === 0 || predictionTokens.length === 0) return 0;
  const lcs = lcsLength(targetTokens, predictionTokens);
  const precision = lcs / predictionTokens.length;
  const recall = lcs / targetTokens.length;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function bigramSet(tokens: readonly string[]): Set<string> {
  const bigrams = new Set<string>();
  for (let index = 1; index < tokens.length; index += 1) bigrams.add(`${tokens[index - 1] ?? ''} ${tokens[index] ?? ''}`);
  return bigrams;
}

function overlap(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  let common = 0;
  for (const item of left) if (right.has(item)) common += 1;
  return common;
}

/**
 * `calculate_meteor_score` (lines 193-252), not METEOR: over the token *sets*, P = 0.8·P1 +
 * 0.2·P2 and R = 0.8·R1 + 0.2·R2 (a one-word side has no bigram: its bigram term is 0), then
 * 10·P·R / (R + 9·P). No alignment, stems, synonyms or fragmentation penalty (the script asks
 * nltk for wordnet and never uses it).
 */
export function meteorScore(reference: string, candidate: string): number {
  if (!reference || !candidate) return 0;
  const referenceTokens = preprocessText(reference);
  const candidateTokens = preprocessText(candidate);
  if (referenceTokens.length === 0 || candidateTokens.length === 0) return 0;
  const referenceUnigrams = new Set(referenceTokens);
  const candidateUnigrams = new Set(candidateTokens);
  const referenceBigrams = bigramSet(referenceTokens);
  const candidateBigrams = bigramSet(candidateTokens);
  const unigramMatches = overlap(referenceUnigrams, candidateUnigrams);
  const unigramPrecision = unigramMatches / candidateUnigrams.size;
  const unigramRecall = unigramMatches / referenceUnigrams.size;
  const bigramMatches = overlap(referenceBigrams, candidateBigrams);
  const bigramPrecision = candidateBigrams.size > 0 ? bigramMatches / candidateBigrams.size : 0;
  const bigramRecall = referenceBigrams.size > 0 ? bigramMatches / referenceBigrams.size : 0;
  const precision = 0.8 * unigramPrecision + 0.2 * bigramPrecision;
  const recall = 0.8 * unigramRecall + 0.2 * bigramRecall;
  if (precision + recall === 0) return 0;
  return (10 * precision * recall) / (recall + 9 * precision);
}

/** The five per-sample metrics, under the evaluator's result keys. */
export interface CaptionMetrics {
  spice: number;
  cider: number;
  bleu2: number;
  rouge_l: number;
  meteor: number;
}

export function captionMetrics(reference: string, candidate: string): CaptionMetrics {
  return {
    spice: spiceScore(reference, candidate),
    cider: ciderScore(reference, candidate),
    bleu2: bleu2Score(reference, candidate),
    rouge_l: rougeLScore(reference, candidate),
    meteor: meteorScore(reference, candidate),
  };
}

// ---------------------------------------------------------------------------------------------
// The GPT-4o judge (`calculate_generative_match`, lines 276-342)

/** The judge's fixed settings, from the script. */
export const GEN_MATCH_JUDGE = {
  model: 'gpt-4o',
  temperature: 0,
  maxTokens: 5,
  topLogprobs: 5,
  /** Calls per sample; a call that throws, or a reply the script cannot read, is retried. */
  attempts: 3,
  /** `time.sleep(delay)` between attempts. */
  retryDelaySeconds: 2,
  /** What a sample scores when every attempt failed. */
  fallbackScore: 0.5,
  /** What a reply scores that says neither yes nor no and has no "yes" among its first token's top log-probs. */
  noYesAmongTopLogprobsScore: 0.1,
} as const;

/** The script's prompt, word for word: the captions go in as they are, between single quotes. */
export function genMatchPrompt(reference: string, candidate: string): string {
  return `Reference caption: '${reference}'\nCandidate caption: '${candidate}'\n\nDoes the candidate caption match the reference caption? Answer Yes or No.`;
}

/** The chat-completions request body the script sends (`openai.chat.completions.create`'s arguments). */
export interface GenMatchRequest {
  model: string;
  messages: { role: 'user'; content: string }[];
  temperature: number;
  max_tokens: number;
  logprobs: true;
  top_logprobs: number;
}

export function genMatchRequest(reference: string, candidate: string): GenMatchRequest {
  return {
    model: GEN_MATCH_JUDGE.model,
    messages: [{ role: 'user', content: genMatchPrompt(reference, candidate) }],
    temperature: GEN_MATCH_JUDGE.temperature,
    max_tokens: GEN_MATCH_JUDGE.maxTokens,
    logprobs: true,
    top_logprobs: GEN_MATCH_JUDGE.topLogprobs,
  };
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? (value as unknown[])[0] : undefined;
}

/**
 * Reads one chat-completions reply (the parsed JSON body) as the script does: the first
 * choice's text, Python-stripped and lower-cased, starting with "yes" scores 1 and with "no"
 * 0 ("not sure" and "nope" too); otherwise the first generated token's top log-probs are
 * searched in order for a token that strips and lower-cases to "yes", scoring exp(logprob),
 * else 0.1. Returns null where the script raises (no choice, null content, no log-probs when it
 * needs them, a malformed entry before a "yes"): that attempt has failed.
 */
export function genMatchScoreFromCompletion(completion: unknown): number | null {
  const choice = firstOf(fieldOf(completion, 'choices'));
  const content = fieldOf(fieldOf(choice, 'message'), 'content');
  if (typeof content !== 'string') return null;
  const answer = pyLower(pyStrip(content));
  if (answer.startsWith('yes')) return 1;
  if (answer.startsWith('no')) return 0;
  const topLogprobs = fieldOf(firstOf(fieldOf(fieldOf(choice, 'logprobs'), 'content')), 'top_logprobs');
  if (!Array.isArray(topLogprobs)) return null;
  for (const entry of topLogprobs as unknown[]) {
    const token = fieldOf(entry, 'token');
    if (typeof token !== 'string') return null;
    if (pyLower(pyStrip(token)) !== 'yes') continue;
    const logprob = fieldOf(entry, 'logprob');
    return typeof logprob === 'number' ? Math.exp(logprob) : null;
  }
  return GEN_MATCH_JUDGE.noYesAmongTopLogprobsScore;
}

/**
 * `calculate_generative_match` with an API key: 0 for an empty caption (never reached from
 * `evaluateCaptionFile`, which skips those), else up to three calls of `complete` (which sends
 * the request to the judge and resolves to the parsed reply body), `wait`ing 2 s between them,
 * until a reply reads as a score; 0.5 when all three fail. Without an API key the script asks
 * nothing and reports `gen_match: null` — the caller's decision, not this function's.
 */
export async function judgeGenMatch(
  reference: string,
  candidate: string,
  complete: (request: GenMatchRequest) => Promise<unknown>,
  wait: (seconds: number) => Promise<void>,
): Promise<number> {
  if (!reference || !candidate) return 0;
  const request = genMatchRequest(reference, candidate);
  for (let attempt = 1; attempt <= GEN_MATCH_JUDGE.attempts; attempt += 1) {
    try {
      const score = genMatchScoreFromCompletion(await complete(request));
      if (score !== null) return score;
    } catch {
      // The script catches every exception of the call and of reading its reply alike.
    }
    if (attempt < GEN_MATCH_JUDGE.attempts) await wait(GEN_MATCH_JUDGE.retryDelaySeconds);
  }
  return GEN_MATCH_JUDGE.fallbackScore;
}

// ---------------------------------------------------------------------------------------------
// caption_results_*.json, as caption_generation.py writes it and caption_evaluation.py reads it

/** One entry of `captions`, keys in the generator's order. */
export interface CaptionResultRow {
  sample_id: string;
  video_path: string;
  full_video_path: string;
  question: string;
  reference_answer: string;
  method: string;
  /** "" when the model failed on the sample. */
  generated_caption: string;
  error: string | null;
}

export interface CaptionResultsMetadata {
  method_type: string;
  model_name: string;
  checkpoint: string | null;
  video_dir: string;
  generation_timestamp: string;
}

export interface CaptionResultsFile {
  metadata: CaptionResultsMetadata;
  captions: CaptionResultRow[];
}

/** One sample asked: a `caption_data.json` record and what the model said, or why it failed. */
export interface CaptionGenerationSample {
  /** The record's `video` (kept as it is, the generator's `video_path`). */
  video: string;
  question: string;
  /** The record's `answer`. */
  answer: string;
  outcome: { caption: string } | { error: string };
}

export interface CaptionResultsOptions {
  /** The generator's `--model`: metadata.model_name and every row's `method`. */
  modelName: string;
  checkpoint: string | null;
  /** The generator's `--video_dir` (default "data/videos"), joined before each video path. */
  videoDir: string;
  /** Python `datetime.now().isoformat()` of the run (see {@link pythonIsoformat}). */
  generationTimestamp: string;
}

/** Python `os.path.join(a, b)` on POSIX. */
function posixJoin(directory: string, path: string): string {
  if (path.startsWith('/')) return path;
  if (directory === '' || directory.endsWith('/')) return directory + path;
  return `${directory}/${path}`;
}

/**
 * The object `generate_captions_for_model` returns (caption_generation.py lines 84-136): rows
 * numbered from "0" in order, `full_video_path` = video_dir joined with the path ("" for no
 * path), a failed sample with `generated_caption: ""` and its message as `error`. Two keys
 * beyond evaluation.md's abbreviated example are the generator's own: `full_video_path` and
 * `metadata.video_dir`.
 */
export function captionResultsFile(samples: readonly CaptionGenerationSample[], options: CaptionResultsOptions): CaptionResultsFile {
  return {
    metadata: {
      method_type: 'VLM_Caption_Generation',
      model_name: options.modelName,
      checkpoint: options.checkpoint,
      video_dir: options.videoDir,
      generation_timestamp: options.generationTimestamp,
    },
    captions: samples.map((sample, index) => ({
      sample_id: String(index),
      video_path: sample.video,
      full_video_path: sample.video ? posixJoin(options.videoDir, sample.video) : '',
      question: sample.question,
      reference_answer: sample.answer,
      method: options.modelName,
      generated_caption: 'caption' in sample.outcome ? sample.outcome.caption : '',
      error: 'error' in sample.outcome ? sample.outcome.error : null,
    })),
  };
}

/** The file's text: `json.dump(results, f, indent=2, ensure_ascii=False)`, no final newline. */
export function captionResultsText(file: CaptionResultsFile): string {
  const value: PyJsonValue = { metadata: { ...file.metadata }, captions: file.captions.map((row) => ({ ...row })) };
  return pyDumps(value, { indent: 2, ensureAscii: false });
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** Python `datetime.now().isoformat()` for this local time: microseconds only when not zero. */
export function pythonIsoformat(date: Date): string {
  const base = `${String(date.getFullYear()).padStart(4, '0')}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}T${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
  const milliseconds = date.getMilliseconds();
  return milliseconds === 0 ? base : `${base}.${String(milliseconds).padStart(3, '0')}000`;
}

/** Python `datetime.now().strftime("%Y%m%d_%H%M%S")`, the scripts' file-name stamp. */
export function pythonFileStamp(date: Date): string {
  return `${String(date.getFullYear()).padStart(4, '0')}${twoDigits(date.getMonth() + 1)}${twoDigits(date.getDate())}_${twoDigits(date.getHours())}${twoDigits(date.getMinutes())}${twoDigits(date.getSeconds())}`;
}

/**
 * `create_output_filename` without the folder: caption_results_{model}[_{checkpoint}]_{stamp}.json,
 * "/" and ":" in the model name made "_", and of the checkpoint only its last path part. The
 * evaluator's `--score_dir` finds files by the prefix `caption_results_`.
 */
export function captionResultsFileName(modelName: string, checkpoint: string | null, fileStamp: string): string {
  const clean = (text: string): string => text.replaceAll('/', '_').replaceAll(':', '_');
  if (!checkpoint) return `caption_results_${clean(modelName)}_${fileStamp}.json`;
  const lastPart = checkpoint.slice(checkpoint.lastIndexOf('/') + 1);
  return `caption_results_${clean(modelName)}_${clean(lastPart)}_${fileStamp}.json`;
}

// ---------------------------------------------------------------------------------------------
// Scoring a file (`evaluate_caption_file`, lines 345-440) and the evaluator's output (lines 532-550)

/** A `captions` entry as the evaluator reads it: only these three keys matter. */
export interface CaptionRowInput {
  reference_answer?: string | null;
  generated_caption?: string | null;
  error?: unknown;
}

export interface CaptionResultsInput {
  metadata?: { model_name?: string | null; checkpoint?: string | null };
  /** Absent: the evaluator refuses the file ("Invalid or missing caption data") and skips it. */
  captions?: readonly CaptionRowInput[];
}

/** Python truthiness of a JSON value: null, false, 0, "", [] and {} are false. */
function isPythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * Whether the evaluator scores this row: no error (Python-truthy, so `""` counts as none) and
 * a non-empty reference and caption. A caption of only spaces or punctuation is valid and
 * scores 0 everywhere.
 */
export function isValidCaptionRow(row: CaptionRowInput): boolean {
  return !isPythonTruthy(row.error) && Boolean(row.reference_answer) && Boolean(row.generated_caption);
}

/** The rows the evaluator scores, in order: the ones a judge is asked about. */
export function validCaptionRows(file: CaptionResultsInput): CaptionRowInput[] {
  return (file.captions ?? []).filter(isValidCaptionRow);
}

/** One entry of the evaluator's `results`, keys in its order. */
export interface CaptionFileEvaluation {
  model: string | null;
  checkpoint: string | null;
  file_path: string;
  total_samples: number;
  valid_samples: number;
  spice: number;
  cider: number;
  bleu2: number;
  rouge_l: number;
  meteor: number;
  /** Mean judge score, or null when no judge was asked (no API key, or `--no_gpt`). */
  gen_match: number | null;
}

/**
 * `evaluate_caption_file(filePath)` for a parsed file: each metric's `np.mean` over the valid
 * rows (0 when there is none), `total_samples` counting every row (errors included). `model`
 * defaults to "unknown" and `checkpoint` to "" only when the key is absent. `genMatchScores`
 * are the judge's scores for {@link validCaptionRows}, in that order (see {@link judgeGenMatch}),
 * or null for a run without the judge. Null for a file without `captions`.
 */
export function evaluateCaptionFile(
  file: CaptionResultsInput,
  filePath: string,
  genMatchScores: readonly number[] | null = null,
): CaptionFileEvaluation | null {
  if (file.captions === undefined) return null;
  const metadata = file.metadata ?? {};
  const validRows = validCaptionRows(file);
  if (genMatchScores !== null && genMatchScores.length !== validRows.length) {
    throw new Error(`gen_match: ${genMatchScores.length} judge scores for ${validRows.length} valid captions`);
  }
  const perSample = validRows.map((row) => captionMetrics(row.reference_answer ?? '', row.generated_caption ?? ''));
  const mean = (values: readonly number[]): number => (values.length > 0 ? numpyMean(values) : 0);
  const metric = (key: keyof CaptionMetrics): number => mean(perSample.map((metrics) => metrics[key]));
  return {
    model: 'model_name' in metadata ? (metadata.model_name ?? null) : 'unknown',
    checkpoint: 'checkpoint' in metadata ? (metadata.checkpoint ?? null) : '',
    file_path: filePath,
    total_samples: file.captions.length,
    valid_samples: validRows.length,
    spice: metric('spice'),
    cider: metric('cider'),
    bleu2: metric('bleu2'),
    rouge_l: metric('rouge_l'),
    meteor: metric('meteor'),
    gen_match: genMatchScores !== null && genMatchScores.length > 0 ? numpyMean(genMatchScores) : null,
  };
}

export interface CaptionEvaluationRun {
  /** Python `datetime.now().isoformat()` when the file is written. */
  evaluationTimestamp: string;
  /** How many files were named or found, including those skipped. */
  evaluatedFiles: number;
  /** An API key was found and `--no_gpt` was not given. */
  isJudgeEnabled: boolean;
  /** One per file that could be scored, in the order evaluated. */
  results: readonly CaptionFileEvaluation[];
}

/**
 * The evaluator's output text (lines 543-550), `json.dump(..., indent=2, ensure_ascii=False)`:
 * every metric is a Python float (0.0, not 0), counts are ints.
 */
export function captionEvaluationText(run: CaptionEvaluationRun): string {
  const results = run.results.map((result) => ({
    model: result.model,
    checkpoint: result.checkpoint,
    file_path: result.file_path,
    total_samples: result.total_samples,
    valid_samples: result.valid_samples,
    spice: new PyFloat(result.spice),
    cider: new PyFloat(result.cider),
    bleu2: new PyFloat(result.bleu2),
    rouge_l: new PyFloat(result.rouge_l),
    meteor: new PyFloat(result.meteor),
    gen_match: result.gen_match === null ? null : new PyFloat(result.gen_match),
  }));
  return pyDumps(
    {
      evaluation_timestamp: run.evaluationTimestamp,
      evaluated_files: run.evaluatedFiles,
      total_models: run.results.length,
      gpt_judge_enabled: run.isJudgeEnabled,
      results,
    },
    { indent: 2, ensureAscii: false },
  );
}

/** The evaluator's default output name, caption_evaluation_{N}models_{stamp}.json. */
export function captionEvaluationFileName(resultCount: number, fileStamp: string): string {
  return `caption_evaluation_${resultCount}models_${fileStamp}.json`;
}
