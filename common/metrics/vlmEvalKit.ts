// VLMEvalKit's exact-matching evaluation of a multiple-choice dataset, so that a Frustum run
// can be handed to VLMEvalKit users as the files its ImageMCQDataset.evaluate writes
// (open-compass/VLMEvalKit @ e8e78f05f3080fe28154f2130321f17951c3be94; ../shared/data/evaluation.md §3):
//
// - can_infer (vlmeval/utils/matching_util.py lines 18-61 and 107-127): VLMEvalKit's own
//   matcher. It is not the copy ShotBench made (common/metrics/shotBench.ts canInfer): that copy
//   drops VLMEvalKit's refusal phrases, the rule that the lone letter must sit among the last
//   four tokens, the "answer is X" fallback and the answer-length guard of can_infer_text.
// - eval_vanilla / extract_answer_from_item with `model=None` (the default judge
//   "exact_matching"; vlmeval/dataset/utils/multiple_choice.py lines 359-383, 431-437): hit
//   and the "Match Log: …" text.
// - report_acc (multiple_choice.py lines 77-100): the `_acc.csv` row, and dump's CSV writer
//   (vlmeval/smp/file.py lines 173-174: pandas to_csv, index=False, csv.QUOTE_ALL).
//
// VERBOSE (an environment variable VLMEvalKit reads in can_infer_option) is taken as unset.
import { pyFloatRepr } from '../formats/pyjson';
import { PY_SPACE, pyLength, pyLower } from '../python';

/** A question's options by letter, in letter order (build_choices: the A…Z columns that are not empty). */
export type VlmChoices = ReadonlyArray<readonly [letter: string, text: string]>;

/** What VLMEvalKit's API models answer when every retry failed (vlmeval/api/base.py line 24, inference.py line 16). */
export const VLMEVALKIT_FAIL_MESSAGE = 'Failed to obtain answer via API.';

/** The log of a row that exact matching could not read (multiple_choice.py line 383). */
export const EXACT_MATCHING_FAILURE = 'Failed in Prefetch, no GPT-based answer matching under `exact_matching` policy.';

const REJECT_TO_ANSWER = [
  "Sorry, I can't help with images of people yet.",
  "I can't process this file.",
  "I'm sorry, but without the image provided",
  'Cannot determine the answer',
];

const OPTION_PUNCTUATION = '.()[],:;!*#{}';

// _VERBOSE_ANSWER_RE = r"(?i)(?:correct\s+)?answer\s+is\s+\**([ABCD])\**", `\s` being Python's.
const VERBOSE_ANSWER = new RegExp(`(?:correct${PY_SPACE}+)?answer${PY_SPACE}+is${PY_SPACE}+\\**([ABCD])\\**`, 'iu');
const PY_SPACE_RUN = new RegExp(`${PY_SPACE}+`, 'u');

/** Python's argument-less `str.split()`. */
function pySplit(text: string): string[] {
  return text.split(PY_SPACE_RUN).filter((piece) => piece !== '');
}

/**
 * can_infer_option: a letter (or "Z"), or null where Python returns False. A refusal phrase
 * gives "Z"; otherwise, with `.()[],:;!*#{}` made spaces, exactly one option letter among the
 * whitespace tokens, placed among the last four, gives that letter; no letter but a "Z" token
 * gives "Z"; else the first "answer is X" (A–D, any case) whose letter is an option.
 */
export function canInferOption(answer: string, choices: VlmChoices): string | null {
  if (answer.includes('Failed to obtain answer via API')) return null;
  if (REJECT_TO_ANSWER.some((phrase) => answer.includes(phrase))) return 'Z';
  let modified = answer;
  for (const character of OPTION_PUNCTUATION) modified = modified.split(character).join(' ');
  const splits = pySplit(modified);
  const letters = choices.map(([letter]) => letter);
  const count = letters.filter((letter) => splits.includes(letter)).length;
  if (count === 1) {
    for (const letter of letters) {
      // splits.index(ch) > len(splits) - 5: the letter's first occurrence among the last four tokens.
      if (splits.includes(letter) && splits.indexOf(letter) > splits.length - 5) return letter;
    }
  } else if (count === 0 && splits.includes('Z')) {
    return 'Z';
  }
  const match = VERBOSE_ANSWER.exec(answer);
  const letter = match?.[1]?.toUpperCase();
  return letter !== undefined && letters.includes(letter) ? letter : null;
}

/**
 * can_infer_text: the one option whose lower-cased text is inside the lower-cased answer; null
 * when none or several do, or when the answer is longer (in code points) than twice the
 * options' total length.
 */
export function canInferText(answer: string, choices: VlmChoices): string | null {
  const lowered = pyLower(answer);
  const optionsLength = choices.reduce((total, [, text]) => total + pyLength(text), 0);
  if (pyLength(lowered) > 2 * optionsLength) return null;
  const hits = choices.filter(([, text]) => lowered.includes(pyLower(text)));
  return hits.length === 1 ? (hits[0]?.[0] ?? null) : null;
}

/** can_infer: the option rule, else the text rule; null where VLMEvalKit gets False. */
export function canInfer(answer: string, choices: VlmChoices): string | null {
  return canInferOption(answer, choices) ?? canInferText(answer, choices);
}

export interface VlmMatch {
  /** 1 when the matched letter is the reference answer. */
  hit: 0 | 1;
  /** The result file's `log`: "Match Log: {the prediction, or why there is no match}. ". */
  log: string;
  /** The letter matched ("Z" for none). */
  letter: string;
}

/**
 * eval_vanilla under exact matching: can_infer on the prediction; no match is "Z", logged with
 * EXACT_MATCHING_FAILURE (which ends in a full stop, so the log ends ".. "). `prediction` is the
 * cell as VLMEvalKit reads it back from the predictions workbook (see {@link predictionAsRead}).
 */
export function evalVanilla(prediction: string, choices: VlmChoices, answer: string): VlmMatch {
  const letter = canInfer(prediction, choices);
  const found = letter ?? 'Z';
  const log = letter === null ? EXACT_MATCHING_FAILURE : prediction;
  return { hit: found === answer ? 1 : 0, log: `Match Log: ${log}. `, letter: found };
}

/** Excel's longest cell text; xlsxwriter's write_string cuts longer strings there. */
export const EXCEL_MAX_STRING = 32_767;

/**
 * A string cell's text as xlsxwriter stores it (sharedstrings.py _write_si): cut at Excel's
 * limit (in code points, when written), then a literal `_xHHHH_` gets its underscore escaped
 * (`_x005F_xHHHH_`) and the control characters XML cannot hold become `_xHHHH_`.
 */
export function xlsxWriterText(text: string): { text: string; isCut: boolean } {
  const points = Array.from(text);
  const isCut = points.length > EXCEL_MAX_STRING;
  const kept = isCut ? points.slice(0, EXCEL_MAX_STRING).join('') : text;
  const escaped = kept
    .replace(/_x[0-9a-fA-F]{4}_/g, (match) => `_x005F${match}`)
    // eslint-disable-next-line no-control-regex -- these control characters are what is escaped
    .replace(/[\x00-\x08\x0b-\x1f]/g, (character) => `_x${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
    .replaceAll('\uFFFE', '_xFFFE_')
    .replaceAll('\uFFFF', '_xFFFF_');
  return { text: escaped, isCut };
}

/**
 * A string cell as pandas reads it back through openpyxl, whose shared-string reader only
 * deletes every "x005F_" (openpyxl/reader/strings.py, unchanged from 2.x to 3.1): a control
 * character comes back as the text "_x0007_", a literal "_x0041_" as itself.
 */
export function cellAsRead(text: string): string {
  return xlsxWriterText(text).text.replaceAll('x005F_', '');
}

/**
 * The prediction as evaluate_heuristic sees it: the workbook cell read back by pandas, then
 * `str(x)`. An empty string is written as a blank cell (xlsxwriter's write_string of "" is
 * write_blank), which reads back as NaN: "nan".
 */
export function predictionAsRead(prediction: string): string {
  return prediction === '' ? 'nan' : cellAsRead(prediction);
}

/** MMBench's ability names report_acc abbreviates (multiple_choice.py lines 17-24). */
const MMB_ABBREVIATIONS: Readonly<Record<string, string>> = {
  coarse_perception: 'CP',
  'finegrained_perception (instance-level)': 'FP-S',
  'finegrained_perception (cross-instance)': 'FP-C',
  logic_reasoning: 'LR',
  relation_reasoning: 'RR',
  attribute_reasoning: 'AR',
};

export interface VlmScoredRow {
  hit: 0 | 1;
  category: string;
  /** Absent when the dataset has no l2-category column. */
  l2Category?: string;
}

/** Python's sort of str: by code point (JavaScript's default compares UTF-16 units). */
function compareCodePoints(left: string, right: string): number {
  const a = Array.from(left);
  const b = Array.from(right);
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const difference = (a[index]?.codePointAt(0) ?? 0) - (b[index]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

function mean(rows: readonly VlmScoredRow[]): number {
  // np.mean of 0/1 integers: an exact sum divided by the count.
  return rows.reduce((total, row) => total + row.hit, 0) / rows.length;
}

/**
 * report_acc without a `split` column: one row, split "none"; columns `split`, `Overall`, then
 * each l2-category value (sorted) and each category value (sorted), MMBench names abbreviated,
 * each the mean hit of its rows. A name met twice keeps its first column and the later value
 * (a Python dict).
 */
export function reportAcc(rows: readonly VlmScoredRow[], hasL2Category: boolean): Map<string, string | number> {
  const result = new Map<string, string | number>([['split', 'none'], ['Overall', mean(rows)]]);
  const groups: Array<(row: VlmScoredRow) => string | undefined> = [...(hasL2Category ? [(row: VlmScoredRow) => row.l2Category] : []), (row) => row.category];
  for (const groupOf of groups) {
    const values = [...new Set(rows.map(groupOf).filter((value): value is string => value !== undefined))].sort(compareCodePoints);
    for (const value of values) result.set(MMB_ABBREVIATIONS[value] ?? value, mean(rows.filter((row) => groupOf(row) === value)));
  }
  return result;
}

/** A CSV field as csv.QUOTE_ALL writes it: quoted, quotes doubled; floats as Python's repr. */
function quoted(value: string | number): string {
  const text = typeof value === 'number' ? pyFloatRepr(value) : value;
  return `"${text.replaceAll('"', '""')}"`;
}

/** The `_acc.csv` text: header and one row, every field quoted, "\n" after each line (os.linesep on POSIX). */
export function accCsvText(report: ReadonlyMap<string, string | number>): string {
  return `${[...report.keys()].map(quoted).join(',')}\n${[...report.values()].map(quoted).join(',')}\n`;
}
