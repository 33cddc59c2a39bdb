// ShotBench and RefineShot, scored the way their scripts do it:
// - ShotBench (Vchitect/ShotBench @ efc6748812f4a38c44e0d65f442716474a435712,
//   evaluation/calculate_scores.py): extract_from_answer_tag → can_infer_option (a lone option
//   letter among the tokens) → can_infer_text (a lone option text inside the answer) → a GPT
//   judge (gpt-4o-2024-08-06, temperature 0, 3 tries, then a random letter among the options
//   and Z); hit = letter == answer; per-category accuracy and a micro "Overall".
// - VLMEvalKit (open-compass/VLMEvalKit @ e8e78f05f3080fe28154f2130321f17951c3be94,
//   vlmeval/utils/matching_util.py, vlmeval/dataset/utils/multiple_choice.py), which ShotBench
//   copied: its can_infer_text refuses answers longer than twice the options' total length.
// - RefineShot (wuhang03/RefineShot @ 37beba8a0e36b9079306b79cbc40216242a93d46,
//   evaluation/calculate_scores.py): the same matching without any judge (unmatched = "Z"), a
//   Qwen3 judge for think/answer consistency (--check_consistency: "Z" when the two differ) and
//   for instruction adherence (--check_adherence: "Z" when not followed).
//
// Never random: where ShotBench would draw a letter, these functions return null so that the
// caller either asks an OpenAI-compatible judge with {@link shotBenchJudgePrompt} or counts the
// row wrong ("Z"), and says which it did.
import { PY_SPACE, pyLength, pyLower } from '../python';
import { formatPercent } from './camerabench';

/** The options of one question in file order (`json.loads(row["options"])`), empty ones dropped. */
export type ShotBenchChoices = ReadonlyArray<readonly [key: string, text: string]>;

/**
 * build_choices: the options JSON object's entries in document order, keeping only values that
 * are truthy in Python (a non-empty string; a number other than 0) and not NaN/None; numbers
 * become text as `str()` would for integers. Keys are option letters, so JavaScript's ordering
 * of integer-like keys never applies.
 */
export function parseShotBenchOptions(optionsJson: string): ShotBenchChoices {
  const parsed = JSON.parse(optionsJson) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError(`ShotBench options must be a JSON object: ${optionsJson.slice(0, 80)}`);
  }
  return Object.entries(parsed as Record<string, unknown>).flatMap(([key, value]): [string, string][] => {
    if (typeof value === 'string') return value === '' ? [] : [[key, value]];
    if (typeof value === 'number') return value === 0 || Number.isNaN(value) ? [] : [[key, String(value)]];
    return [];
  });
}

const ANSWER_TAG = new RegExp(`<answer>${PY_SPACE}*([\\s\\S]*?)${PY_SPACE}*</answer>`, 'iu');
const PY_SPACE_RUN = new RegExp(`${PY_SPACE}+`, 'u');
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'gu');

function pyStripText(text: string): string {
  return text.replace(PY_STRIP, '');
}

/**
 * extract_from_answer_tag: the first `<answer>…</answer>` (any case, across lines), stripped;
 * else the whole text stripped. Python's `re.I` folds "ſ" to "s" as the `iu` flags do.
 */
export function extractFromAnswerTag(text: string): string {
  const match = ANSWER_TAG.exec(text);
  return pyStripText(match ? (match[1] ?? '') : text);
}

/** The characters can_infer_option turns into spaces before splitting. */
const OPTION_PUNCTUATION = '.()[],:;!*#{}';

/** Python's `str.split()` without arguments: runs of whitespace, no empty pieces. */
function pySplit(text: string): string[] {
  return text.split(PY_SPACE_RUN).filter((piece) => piece !== '');
}

/**
 * can_infer_option (ShotBench's copy): on the tag-extracted answer with `.()[],:;!*#{}` turned
 * into spaces, the option keys that are whole tokens; exactly one → that key; none but a "Z"
 * token → "Z"; otherwise null. Case matters ("b" is not "B"), and a leading article counts
 * ("A slow push in" → "A"). VLMEvalKit's own version differs (refusal phrases, the letter's
 * position, "answer is X"); ShotBench does not use it.
 */
export function canInferOption(answer: string, choices: ShotBenchChoices): string | null {
  let modified = extractFromAnswerTag(answer);
  for (const character of OPTION_PUNCTUATION) modified = modified.split(character).join(' ');
  const tokens = new Set(pySplit(modified));
  const hits = choices.filter(([key]) => tokens.has(key)).map(([key]) => key);
  if (hits.length === 1) return hits[0] ?? null;
  // ShotBench also tests for an empty token, which str.split() never yields.
  if (hits.length === 0 && tokens.has('Z')) return 'Z';
  return null;
}

export interface TextMatchOptions {
  /**
   * 'shotbench' (default): ShotBench's can_infer_text, no length limit. 'vlmevalkit':
   * VLMEvalKit's, which gives up when the lower-cased answer is longer (in code points) than
   * twice the options' total length; applied to the tag-extracted answer, where ShotBench's
   * pipeline calls it.
   */
  textMatch?: 'shotbench' | 'vlmevalkit';
}

/**
 * can_infer_text: the options whose lower-cased text is a substring of the lower-cased,
 * tag-extracted answer; exactly one → its key, otherwise null. An option contained in another
 * ("Pan left" in "Pan left, then tilt down.") makes the longer one ambiguous.
 */
export function canInferText(answer: string, choices: ShotBenchChoices, options: TextMatchOptions = {}): string | null {
  const raw = pyLower(extractFromAnswerTag(answer));
  if (options.textMatch === 'vlmevalkit') {
    const optionsLength = choices.reduce((total, [, text]) => total + pyLength(text), 0);
    if (pyLength(raw) > 2 * optionsLength) return null;
  }
  const hits = choices.filter(([, text]) => raw.includes(pyLower(text)));
  return hits.length === 1 ? (hits[0]?.[0] ?? null) : null;
}

/** How a letter was found. */
export type ShotBenchMatchVia = 'option-letter' | 'z-token' | 'option-text' | 'judge' | 'unmatched';

export interface ShotBenchMatch {
  /** An option key or "Z"; null when the rules find nothing (a judge is needed). */
  letter: string | null;
  via: ShotBenchMatchVia;
}

/** can_infer: the option rule, else the text rule. */
export function canInfer(answer: string, choices: ShotBenchChoices, options: TextMatchOptions = {}): ShotBenchMatch {
  const option = canInferOption(answer, choices);
  if (option !== null) return { letter: option, via: option === 'Z' && !choices.some(([key]) => key === 'Z') ? 'z-token' : 'option-letter' };
  const text = canInferText(answer, choices, options);
  return text === null ? { letter: null, via: 'unmatched' } : { letter: text, via: 'option-text' };
}

/** ShotBench's judge settings (calculate_scores.py defaults). */
export const SHOTBENCH_JUDGE = { model: 'gpt-4o-2024-08-06', temperature: 0, attempts: 3 } as const;

/** The options as ShotBench lists them for the judge: "A. Zoom in\nB. Arc…". */
export function shotBenchOptionsText(choices: ShotBenchChoices): string {
  return choices.map(([key, text]) => `${key}. ${text}`).join('\n');
}

/**
 * The judge prompt ShotBench sends (its build_prompt, a copy of VLMEvalKit's
 * build_prompt_blink with the third example's answer shortened to "..."), one user message.
 * `prediction` is the model's whole output, as ShotBench passes it.
 */
export function shotBenchJudgePrompt(question: string, choices: ShotBenchChoices, prediction: string): string {
  return (
    'You are an AI assistant who will help me to match an answer with several ' +
    'options of a single-choice question. You are provided with a question, ' +
    'several options, and an answer, and you need to find which option is most ' +
    'similar to the answer. If the answer says things like refuse to answer, ' +
    "I'm sorry cannot help, etc., output Z. If the meaning of all options are " +
    'significantly different from the answer, or the answer does not select ' +
    'any option, output Z. You should output one of the choices, A, B, C, D ' +
    '(if they are valid options), or Z.\n' +
    'Example 1:\nQuestion: Which point is closer to the camera?\nSelect from ' +
    'the following choices.\nOptions: A. Point A\nB. Point B\n(Z) Failed\n' +
    'Answer: Point B, where the child is sitting, is closer to the camera.\n' +
    'Your output: (B)\n' +
    'Example 2:\nQuestion: Which point is closer to the camera?\nSelect from ' +
    'the following choices.\nOptions: (A) Point A\n(B) Point B\n(Z) Failed\n' +
    "Answer: I'm sorry, but I can't assist with that request.\nYour output: (Z)\n" +
    'Example 3:\nQuestion: Which point is corresponding to the reference point?\n' +
    'Select from the following choices.\nOptions: (A) Point A\n(B) Point B\n(Z) Failed\n' +
    'Answer: ...\nYour output: (Z)\n' +
    `Example 4:\nQuestion: ${question}?\nOptions: ${shotBenchOptionsText(choices)}\n(Z) Failed\nAnswer: ${prediction}\nYour output: `
  );
}

/**
 * VLMEvalKit's generic judge prompt (multiple_choice.py build_prompt, what its MCQ datasets
 * other than BLINK, WeMath, LEGO and Chinese questions send), with its option list
 * (smp/vlm.py build_option_str: "There are several options: \n" then "A. text\n" per option).
 */
export function vlmEvalKitJudgePrompt(question: string, choices: ShotBenchChoices, prediction: string): string {
  const options = `There are several options: \n${choices.map(([key, text]) => `${key}. ${text}\n`).join('')}`;
  return (
    'You are an AI assistant who will help me to match ' +
    'an answer with several options of a single-choice question. ' +
    'You are provided with a question, several options, and an answer, ' +
    'and you need to find which option is most similar to the answer. ' +
    'If the meaning of all options are significantly different from the answer, output Z. ' +
    'Your should output a single uppercase character in A, B, C, D (if they are valid options), and Z. \n' +
    'Example 1: \n' +
    'Question: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\n' +
    'Answer: a cute teddy bear\nYour output: A\n' +
    'Example 2: \n' +
    'Question: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\n' +
    'Answer: Spider\nYour output: Z\n' +
    'Example 3: \n' +
    `Question: ${question}?\nOptions: ${options}\nAnswer: ${prediction}\nYour output: `
  );
}

export interface ShotBenchGrade {
  /** The letter written to `pred_letter`: an option key, or "Z" when none was found. */
  pred_letter: string;
  hit: 0 | 1;
  via: ShotBenchMatchVia;
}

/**
 * ShotBench's eval_row without its random draw. `judgeReplies`: the judge's replies to
 * {@link shotBenchJudgePrompt}, at most {@link SHOTBENCH_JUDGE}.attempts, in order (ask again
 * only while the previous reply matched nothing); each is read with can_infer and the first
 * that yields a letter wins. No replies, or none that matches: "Z", via 'unmatched' — wrong,
 * where ShotBench would have drawn among the options and Z (RefineShot's script counts it "Z"
 * as here). Pass `judgeReplies: null` when no judge was asked, to say so in `via`.
 */
export function gradeShotBenchPrediction(
  prediction: string,
  answer: string,
  choices: ShotBenchChoices,
  judgeReplies: readonly string[] | null = null,
  options: TextMatchOptions = {},
): ShotBenchGrade {
  let match = canInfer(prediction, choices, options);
  if (match.letter === null && judgeReplies !== null) {
    for (const reply of judgeReplies.slice(0, SHOTBENCH_JUDGE.attempts)) {
      const judged = canInfer(reply, choices, options);
      if (judged.letter !== null) {
        match = { letter: judged.letter, via: 'judge' };
        break;
      }
    }
  }
  const letter = match.letter ?? 'Z';
  return { pred_letter: letter, hit: letter === answer ? 1 : 0, via: match.via };
}

// ---------------------------------------------------------------------------------------------
// RefineShot: think/answer consistency and instruction adherence

/** The content of the first <think>…</think>, or null. */
function thinkSection(prediction: string): string | null {
  const match = /<think>([\s\S]*?)<\/think>/iu.exec(prediction);
  return match ? (match[1] ?? '') : null;
}

// "…the correct answer is C", "answer: (B)", "the final answer would be option D", "the best
// option is B", "I choose B". A bare "option"/"choice" is left out: step 1 of RefineShot's
// prompt defines every option ("Option A is …").
const CONCLUSION =
  /(?:\banswer\b|\b(?:correct|best|right|final|likely)\s+(?:option|choice)\b)\s*(?:(?:is|would\s+be|should\s+be|will\s+be|=)\s*:?|:)\s*|\bI\s+(?:choose|select|pick)\s+/giu;
const LETTER_AFTER = /^(?:option\s+|choice\s+)?[*"'“‘([]*([A-Z])(?![\p{L}\p{N}])/u;

/** The option text occurring in `text` ending last (the longest of those ending there). */
function lastMentionedOption(text: string, choices: ShotBenchChoices): string | null {
  const lower = pyLower(text);
  let best: { key: string; end: number; length: number } | null = null;
  for (const [key, option] of choices) {
    const needle = pyLower(option);
    const start = lower.lastIndexOf(needle);
    if (needle === '' || start === -1) continue;
    const end = start + needle.length;
    if (best === null || end > best.end || (end === best.end && needle.length > best.length)) best = { key, end, length: needle.length };
  }
  return best?.key ?? null;
}

/** The option text that starts first in `text` (the longest of those starting there). */
function firstMentionedOption(text: string, choices: ShotBenchChoices): string | null {
  const lower = pyLower(text);
  let best: { key: string; start: number; length: number } | null = null;
  for (const [key, option] of choices) {
    const needle = pyLower(option);
    const start = lower.indexOf(needle);
    if (needle === '' || start === -1) continue;
    if (best === null || start < best.start || (start === best.start && needle.length > best.length)) best = { key, start, length: needle.length };
  }
  return best?.key ?? null;
}

/**
 * What a <think> section concludes, by rule (a stand-in for RefineShot's Qwen3 judge): the last
 * conclusion phrase ("answer is", "answer:", "best option is", "I choose"…) followed by an
 * option letter (upper case, a whole word) or, on the same line, an option text (the first to
 * start after the phrase); where no phrase names an option, the option text mentioned last.
 * Null without a <think> section or an option.
 */
export function thinkConclusion(prediction: string, choices: ShotBenchChoices): { letter: string | null; via: 'statement' | 'last-option-text' | null } {
  const think = thinkSection(prediction);
  if (think === null) return { letter: null, via: null };
  const keys = new Set(choices.map(([key]) => key));
  const statements = [...think.matchAll(CONCLUSION)];
  for (const statement of statements.reverse()) {
    const rest = think.slice((statement.index ?? 0) + statement[0].length);
    const letter = LETTER_AFTER.exec(rest)?.[1];
    if (letter !== undefined && keys.has(letter)) return { letter, via: 'statement' };
    const line = rest.split('\n')[0] ?? '';
    const byText = firstMentionedOption(line, choices);
    if (byText !== null) return { letter: byText, via: 'statement' };
  }
  const mentioned = lastMentionedOption(think, choices);
  return mentioned === null ? { letter: null, via: null } : { letter: mentioned, via: 'last-option-text' };
}

export interface ConsistencyCheck {
  /** THINK_ANSWER: the option the <think> concludes; null for NONE. */
  think_answer: string | null;
  /** ANSWER_SECTION: the option in <answer>; null for NONE. */
  answer_section: string | null;
  /** RefineShot's rule: inconsistent only when both are known and differ. */
  is_consistent: boolean;
  via: 'rule' | 'judge';
}

/**
 * RefineShot's consistency check by rule: {@link thinkConclusion} against the <answer>
 * section read as can_infer reads it (a "Z" or nothing counts as NONE; no <answer> tag, NONE).
 */
export function ruleBasedConsistency(prediction: string, choices: ShotBenchChoices, options: TextMatchOptions = {}): ConsistencyCheck {
  const thinkAnswer = thinkConclusion(prediction, choices).letter;
  const tag = ANSWER_TAG.exec(prediction);
  const inferred = tag ? canInfer(pyStripText(tag[1] ?? ''), choices, options).letter : null;
  return consistencyOf(thinkAnswer, inferred === 'Z' ? null : inferred, 'rule');
}

/** RefineShot's verdict: inconsistent only when both letters are known and differ. */
function consistencyOf(thinkAnswer: string | null, answerSection: string | null, via: ConsistencyCheck['via']): ConsistencyCheck {
  return {
    think_answer: thinkAnswer,
    answer_section: answerSection,
    is_consistent: !(thinkAnswer !== null && answerSection !== null && thinkAnswer !== answerSection),
    via,
  };
}

/**
 * The consistency prompt RefineShot sends its judge (check_answer_consistency; Qwen/Qwen3-4B,
 * chat template with enable_thinking=False, max_new_tokens 1024), one user message, exactly as
 * its f-string renders (leading newline and four-space indentation included). `options` is
 * the "A. text" list joined by newlines ({@link shotBenchOptionsText}).
 */
export function refineShotConsistencyPrompt(question: string, choices: ShotBenchChoices, prediction: string): string {
  return [
    '',
    '    Please analyze the following response and extract the answers from both <think> and <answer> sections.',
    '',
    `    Question: ${question}`,
    `    Options: ${shotBenchOptionsText(choices)}`,
    `    Response: ${prediction}`,
    '',
    '    Your task:',
    '    1. Extract the answer concluded in the <think> section:',
    '    - First, look for explicit statements like "Therefore, the correct answer is X"',
    '    - If no explicit answer is found, analyze the reasoning content and determine which option it describes or supports based on the context and logic',
    '    - Match the reasoning with the available options to identify the implied answer',
    '    2. Extract the answer from the <answer> section',
    '    3. Return both answers in this exact format:',
    '',
    '    THINK_ANSWER: [X]',
    '    ANSWER_SECTION: [Y]',
    '',
    '    Where X is the answer from <think> (either explicit or inferred from reasoning) and Y is the answer from <answer>. If either section doesn\'t contain a clear answer or cannot be reasonably inferred, use "NONE".',
    '',
    '    Please provide only the result in the specified format without any additional explanation or reasoning.',
    '    ',
  ].join('\n');
}

/** Text after the judge's last "</think>" (RefineShot cuts at the last </think> token), else all. */
function afterThinking(reply: string): string {
  const index = reply.lastIndexOf('</think>');
  return index === -1 ? reply : reply.slice(index + '</think>'.length);
}

const THINK_ANSWER = new RegExp(`THINK_ANSWER:${PY_SPACE}*\\[?([A-G]|NONE)\\]?`, 'iu');
const ANSWER_SECTION = new RegExp(`ANSWER_SECTION:${PY_SPACE}*\\[?([A-G]|NONE)\\]?`, 'iu');

/**
 * Reads the judge's reply as check_answer_consistency does: the first "THINK_ANSWER: [X]" and
 * "ANSWER_SECTION: [Y]" (letters A–G or NONE, any case, brackets optional); missing or NONE is
 * null, and only two known, different letters are inconsistent. A judge call that fails
 * counts as consistent there (its `except` branch): pass `null` for that.
 */
export function parseRefineShotConsistencyReply(reply: string | null): ConsistencyCheck {
  if (reply === null) return { think_answer: null, answer_section: null, is_consistent: true, via: 'judge' };
  const content = afterThinking(reply);
  const read = (pattern: RegExp): string | null => {
    const value = pattern.exec(content)?.[1]?.toUpperCase();
    return value === undefined || value === 'NONE' ? null : value;
  };
  return consistencyOf(read(THINK_ANSWER), read(ANSWER_SECTION), 'judge');
}

/**
 * The adherence prompt RefineShot sends its judge (check_instruction_adherence; max_new_tokens
 * 512), exactly as its f-string renders.
 */
export function refineShotAdherencePrompt(question: string, choices: ShotBenchChoices, prediction: string): string {
  return [
    '',
    '    Please analyze the following response and determine whether it strictly follows ALL the required steps and format as specified in the prompt.',
    '',
    '    Prompt requirements:',
    '    1. <think> block must include:',
    '       - Step 1: Provide a definition or explanation for each option above.',
    '       - Step 2: Summarize the key differences among the options and describe how to judge between them.',
    '       - Step 3: Analyze the given image based on these differences.',
    '       - Step 4: Select the most likely answer from the options, ensuring it is consistent with the reasoning process.',
    "       - At the end of <think>, clearly state: 'Therefore, the correct answer is X.'",
    '    2. <answer> block must contain:',
    '       - X  # The answer here must exactly match the option stated in <think>.',
    '    3. There must be only ONE <think> and ONE <answer> block in the response.',
    '    4. If the answers in <think> and <answer> do not match, the response is considered incorrect.',
    '',
    `    Question: ${question}`,
    `    Options: ${shotBenchOptionsText(choices)}`,
    `    Response: ${prediction}`,
    '',
    '    Your task:',
    '    - Check if all the above requirements are met in the response.',
    '    - If ALL requirements are met, output: INSTRUCTION_ADHERENCE: [YES]',
    '    - If ANY requirement is not met, output: INSTRUCTION_ADHERENCE: [NO]',
    '    - Do not provide any explanation or extra text, only output the result in the specified format.',
    '    ',
  ].join('\n');
}

const ADHERENCE = new RegExp(`INSTRUCTION_ADHERENCE:${PY_SPACE}*\\[?(YES|NO)\\]?`, 'iu');

/** check_instruction_adherence's reading: YES adheres; NO, no verdict or a failed call (null) does not. */
export function parseRefineShotAdherenceReply(reply: string | null): boolean {
  return reply !== null && ADHERENCE.exec(reply)?.[1]?.toUpperCase() === 'YES';
}

export interface RefineShotGrade {
  pred_letter: string;
  hit: 0 | 1;
  /** As ShotBench's, or the check that turned the letter into "Z". */
  via: ShotBenchMatchVia | 'inconsistent' | 'not-adherent';
  /** The `consistency` column: true unless a check found the two answers different. */
  consistency: boolean;
}

/**
 * RefineShot's eval_row: an empty prediction (NaN in its sheet, or the text "nan" in any case)
 * becomes "Z"; an inconsistent check or a failed adherence check makes the letter "Z"; else
 * can_infer, "Z" when nothing matches (no judge). `consistency`/`isAdherent` null: that check
 * was not run.
 */
export function gradeRefineShotPrediction(
  prediction: string | null,
  answer: string,
  choices: ShotBenchChoices,
  consistency: ConsistencyCheck | null,
  isAdherent: boolean | null = null,
  options: TextMatchOptions = {},
): RefineShotGrade {
  const text = prediction === null || pyLower(prediction) === 'nan' ? 'Z' : prediction;
  let match: { letter: string | null; via: RefineShotGrade['via'] } =
    consistency !== null && !consistency.is_consistent ? { letter: 'Z', via: 'inconsistent' } : canInfer(text, choices, options);
  if (isAdherent === false) match = { letter: 'Z', via: 'not-adherent' };
  const letter = match.letter ?? 'Z';
  return { pred_letter: letter, hit: letter === answer ? 1 : 0, via: match.via, consistency: consistency?.is_consistent ?? true };
}

// ---------------------------------------------------------------------------------------------
// Accuracy per dimension, macro and micro

/** The eight dimensions in ShotBench's README order, with their `category` strings (§2.1). */
export const SHOTBENCH_DIMENSIONS = [
  { abbreviation: 'SS', name: 'Shot Size', category: 'shot size' },
  { abbreviation: 'SF', name: 'Shot Framing', category: 'shot framing' },
  { abbreviation: 'CA', name: 'Camera Angle', category: 'camera angle' },
  { abbreviation: 'LS', name: 'Lens Size', category: 'lens size' },
  { abbreviation: 'LT', name: 'Lighting Type', category: 'lighting type' },
  { abbreviation: 'LC', name: 'Lighting Conditions', category: 'lighting' },
  { abbreviation: 'SC', name: 'Shot Composition', category: 'composition' },
  { abbreviation: 'CM', name: 'Camera Movement', category: 'camera movement' },
] as const;

export type ShotBenchDimension = (typeof SHOTBENCH_DIMENSIONS)[number]['abbreviation'];

export interface ShotBenchScoredRow {
  category: string;
  hit: 0 | 1;
  /** RefineShot's `consistency` column, where a check ran. */
  consistency?: boolean;
}

export interface CategoryAccuracy {
  category: string;
  total: number;
  correct: number;
  accuracy: number;
  /** RefineShot only: rows whose check found think and answer consistent. */
  consistent_count?: number;
  consistency_rate?: number;
}

/**
 * The "Accuracy" sheet: one row per category in pandas groupby order (sorted by the category
 * string), then "Overall" = correct / all rows, the micro mean the scripts print. With
 * consistency (RefineShot) also consistent_count and consistency_rate. Unrounded: RefineShot's
 * sheet rounds accuracy and consistency_rate to 4 decimals, ShotBench's does not.
 */
export function shotBenchAccuracySheet(rows: readonly ShotBenchScoredRow[]): CategoryAccuracy[] {
  const hasConsistency = rows.some((row) => row.consistency !== undefined);
  const tallies = new Map<string, { total: number; correct: number; consistent: number }>();
  for (const row of rows) {
    const tally = tallies.get(row.category) ?? { total: 0, correct: 0, consistent: 0 };
    tallies.set(row.category, tally);
    tally.total += 1;
    tally.correct += row.hit;
    if (row.consistency !== false) tally.consistent += 1;
  }
  const line = (category: string, tally: { total: number; correct: number; consistent: number }): CategoryAccuracy => ({
    category,
    total: tally.total,
    correct: tally.correct,
    accuracy: tally.correct / tally.total,
    ...(hasConsistency ? { consistent_count: tally.consistent, consistency_rate: tally.consistent / tally.total } : {}),
  });
  const categories = [...tallies.keys()].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const overall = [...tallies.values()].reduce(
    (sum, tally) => ({ total: sum.total + tally.total, correct: sum.correct + tally.correct, consistent: sum.consistent + tally.consistent }),
    { total: 0, correct: 0, consistent: 0 },
  );
  const sheet = categories.map((category) => line(category, tallies.get(category) ?? overall));
  return rows.length === 0 ? sheet : [...sheet, line('Overall', overall)];
}

export interface ShotBenchSummary {
  /** README order; accuracy null where the run has no row of that dimension. */
  dimensions: { abbreviation: ShotBenchDimension; name: string; category: string; total: number; correct: number; accuracy: number | null }[];
  /** ShotBench README's "Avg": the unweighted mean of the dimensions present. */
  macro: number | null;
  /** Whether all eight dimensions are present (only then is `macro` the README's Avg). */
  isComplete: boolean;
  /** The scripts' "Overall": correct / all rows (rows of other categories included). */
  micro: { total: number; correct: number; accuracy: number | null };
}

export function shotBenchSummary(rows: readonly ShotBenchScoredRow[]): ShotBenchSummary {
  const dimensions = SHOTBENCH_DIMENSIONS.map((dimension) => {
    const own = rows.filter((row) => row.category === dimension.category);
    const correct = own.reduce((sum, row) => sum + row.hit, 0);
    return { ...dimension, total: own.length, correct, accuracy: own.length === 0 ? null : correct / own.length };
  });
  const present = dimensions.flatMap((dimension) => (dimension.accuracy === null ? [] : [dimension.accuracy]));
  const correct = rows.reduce((sum, row) => sum + row.hit, 0);
  return {
    dimensions,
    macro: present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length,
    isComplete: present.length === SHOTBENCH_DIMENSIONS.length,
    micro: { total: rows.length, correct, accuracy: rows.length === 0 ? null : correct / rows.length },
  };
}

// ---------------------------------------------------------------------------------------------
// Published numbers

export interface ShotBenchPublishedRow {
  model: string;
  source: string;
  /** Fractions in [0, 1]; absent where the source gives none. */
  values: Partial<Record<ShotBenchDimension, number>>;
  avg: number;
  basis: {
    questions: 'ShotBench' | 'RefineShot refined';
    /** 'macro': mean of the 8 dimensions (README Avg); 'micro': correct / all rows (script Overall). */
    average: 'macro' | 'micro';
    /** How unmatched answers were settled. */
    matching: 'rules, GPT judge, random' | 'rules only, unmatched = Z';
    consistencyCheck: boolean;
  };
  description: string;
}

const SHOTBENCH_README_ROWS: readonly (readonly [string, readonly number[], number])[] = [
  ['ShotVL-7B', [81.2, 90.1, 78.0, 68.5, 70.1, 64.3, 45.7, 62.9], 70.1],
  ['ShotVL-3B', [77.9, 85.6, 68.8, 59.3, 65.7, 53.1, 57.4, 51.7], 65.1],
  ['GPT-4o', [69.3, 83.1, 58.2, 48.9, 63.2, 48.0, 55.2, 48.3], 59.3],
  ['Qwen2.5-VL-72B', [75.1, 82.9, 56.7, 46.8, 59.0, 49.4, 54.1, 48.9], 59.1],
  ['Qwen2.5-VL-7B', [69.1, 73.5, 53.2, 47.0, 60.5, 47.4, 49.9, 30.2], 53.8],
  ['Gemini-2.5-flash-preview-04-17', [57.7, 82.9, 51.4, 43.8, 65.2, 45.7, 45.9, 43.5], 54.5],
];

const REFINESHOT_README_ROWS: readonly (readonly [string, number, number, number, number, number, number])[] = [
  // model, refined Overall, refined CM, +check Overall, +check CM, FRS, IAS
  ['ShotVL-7B', 70.2, 59.7, 66.5, 53.2, 93.0, 11.7],
  ['ShotVL-3B', 67.8, 51.3, 58.9, 39.9, 83.2, 16.4],
  ['Qwen2.5VL-7B', 51.7, 37.7, 50.9, 35.3, 98.9, 93.5],
  ['Qwen2.5VL-3B', 47.5, 29.7, 46.8, 29.7, 98.5, 87.8],
];

/**
 * Published rows for context (../shared/data/evaluation.md §2.4, §2.5). ShotBench's Avg is the
 * mean of the eight dimensions (GPT-4o: 59.28 → 59.3; its micro would be 59.41; all 26 rows of
 * the README @ efc6748 agree within rounding except ShotVL-3B's 65.1, whose printed dimensions
 * average 64.94).
 * RefineShot's Overall is the script's micro mean (ShotVL-7B's committed sheet: 2374 / 3572 =
 * 66.46 → 66.5), its answers matched without a judge; its CM with the check reads 53.2 in the
 * README but 246 / 464 = 53.0 in that sheet. FRS and IAS are in the description.
 */
export const PUBLISHED_SHOTBENCH_ROWS: readonly ShotBenchPublishedRow[] = [
  ...SHOTBENCH_README_ROWS.map(([model, values, avg]): ShotBenchPublishedRow => ({
    model,
    source: 'ShotBench README (arXiv 2506.21356)',
    values: Object.fromEntries(SHOTBENCH_DIMENSIONS.map((dimension, index) => [dimension.abbreviation, (values[index] ?? 0) / 100])),
    avg: avg / 100,
    basis: { questions: 'ShotBench', average: 'macro', matching: 'rules, GPT judge, random', consistencyCheck: false },
    description: model === 'ShotVL-3B'
      ? 'Per-dimension accuracy; Avg as printed: the mean of its 8 printed dimensions is 64.94 and the micro mean 65.19, so 65.1 fits neither'
      : 'Per-dimension accuracy; Avg = unweighted mean of the 8 dimensions',
  })),
  ...REFINESHOT_README_ROWS.flatMap(([model, overall, cameraMovement, checkedOverall, checkedCameraMovement, frs, ias]): ShotBenchPublishedRow[] => [
    {
      model,
      source: 'RefineShot README (arXiv 2510.02423)',
      values: { CM: cameraMovement / 100 },
      avg: overall / 100,
      basis: { questions: 'RefineShot refined', average: 'micro', matching: 'rules only, unmatched = Z', consistencyCheck: false },
      description: `Refined benchmark; Overall = correct / all rows; FRS ${frs}, IAS ${ias}`,
    },
    {
      model,
      source: 'RefineShot README (arXiv 2510.02423)',
      values: { CM: checkedCameraMovement / 100 },
      avg: checkedOverall / 100,
      basis: { questions: 'RefineShot refined', average: 'micro', matching: 'rules only, unmatched = Z', consistencyCheck: true },
      description: `Refined benchmark with the Qwen3 consistency check (inconsistent → Z); Overall = correct / all rows; FRS ${frs}, IAS ${ias}`,
    },
  ]),
];

/**
 * A ShotBench-style table as fixed-width text: Model, the eight dimensions, Avg, How ("macro"
 * or "micro", the question set, the matching, "+check" where the consistency check ran).
 */
export function formatShotBenchTable(rows: readonly ShotBenchPublishedRow[]): string {
  const headings = ['Model', ...SHOTBENCH_DIMENSIONS.map((dimension) => dimension.abbreviation), 'Avg', 'How'];
  const body = rows.map((row) => [
    row.model,
    ...SHOTBENCH_DIMENSIONS.map((dimension) => {
      const value = row.values[dimension.abbreviation];
      return value === undefined ? '-' : formatPercent(value);
    }),
    formatPercent(row.avg),
    [row.basis.average, row.basis.questions, row.basis.matching, ...(row.basis.consistencyCheck ? ['+check'] : [])].join(', '),
  ]);
  const table = [headings, ...body];
  const widths = headings.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? '').length)));
  const lastColumn = headings.length - 1;
  return table
    .map((cells) => cells.map((cell, column) => (column === 0 || column === lastColumn ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd())
    .join('\n') + '\n';
}

/** A run's summary as a table row (basis as the caller ran it), for {@link formatShotBenchTable}. */
export function shotBenchRunRow(
  model: string,
  summary: ShotBenchSummary,
  basis: ShotBenchPublishedRow['basis'],
): ShotBenchPublishedRow {
  const values: Partial<Record<ShotBenchDimension, number>> = {};
  for (const dimension of summary.dimensions) if (dimension.accuracy !== null) values[dimension.abbreviation] = dimension.accuracy;
  const avg = basis.average === 'macro' ? summary.macro : summary.micro.accuracy;
  return {
    model,
    source: 'this run',
    values,
    avg: avg ?? 0,
    basis,
    description: basis.average === 'macro'
      ? `Avg = unweighted mean of the ${summary.dimensions.filter((dimension) => dimension.accuracy !== null).length} dimensions present`
      : 'Avg = correct / all rows (script Overall)',
  };
}
