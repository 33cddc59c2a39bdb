// Port of mathruler/grader.py grade_answer (commit 14dadeb), which CamReasoner's rewards use to
// compare an answer with the ground truth: equal after math_normalize.normalize_answer, or after
// grader._normalize, or — element by element for tuples — equal under sympy.
//
// Not ported: grader._parse_latex (pylatexenc). _normalize calls it only for text containing a
// backslash, inside `try: … except: pass`; we always take the "it raised" path and keep the text.
// The reference oracle (tests/reference/oracle.py) stubs pylatexenc to raise, so the table
// checks this port against exactly that behaviour.

import { PY_DOT, PY_END, codePoints, firstCodePoint, isPythonAlpha, lastCodePoint, pyFloat, pyLength, pyLower, pyStrip } from '../python';
import { normalizeAnswer } from './mathNormalize';
import { sympyExpressionIsZero } from './sympyLite';

// grader.BAD_SUBSTRINGS / BAD_REGEXES: inputs the reference refuses to hand to sympy.
const BAD_SUBSTRINGS = ['^{', '^('];
const BAD_REGEXES = [/\^[0-9]+\^/, /\^[0-9][0-9]+/];
const TUPLE_CHARS = '()[]';

/** grader._is_int for a float: within 1e-7 of an integer (inf/nan → False, as round() raises). */
function isNearInteger(value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return Math.abs(value - Math.round(value)) <= 1e-7;
}

/** Python `str(int(round(x)))` for a finite float close to an integer (exact, even above 2^53). */
function roundedIntegerText(value: number): string {
  return BigInt(Math.round(value)).toString();
}

/** grader._is_frac: r"^-?[0-9]+.?/0*[1-9][0-9]*.?$" with re.search. */
const fraction = new RegExp(`^-?[0-9]+${PY_DOT}?/0*[1-9][0-9]*${PY_DOT}?${PY_END}`, 'u');

function isFraction(text: string): boolean {
  return fraction.test(text);
}

/** grader._strip_properly_formatted_commas: r"(\d)(,)(\d\d\d)($|\D)" (Unicode \d) until stable. */
function stripProperlyFormattedCommas(text: string): string {
  const commas = /(\p{Nd}),(\p{Nd}{3})($|\P{Nd})/gu;
  let current = text;
  for (;;) {
    const next = current.replace(commas, '$1$2$3');
    if (next === current) return next;
    current = next;
  }
}

/** grader._str_is_int. */
function isIntegerText(text: string): boolean {
  const value = pyFloat(stripProperlyFormattedCommas(text));
  return value !== null && isNearInteger(value);
}

/** grader._str_to_int: drops every comma, then int(float(x)) truncates toward zero. */
function integerText(text: string): string {
  const value = pyFloat(text.replaceAll(',', '')) ?? 0;
  return BigInt(Math.trunc(value)).toString();
}

const UNITS = [
  'degree', 'cm', 'centimeter', 'meter', 'mile', 'second', 'minute', 'hour', 'day', 'week', 'month',
  'year', 'foot', 'feet', 'inch', 'yard',
];
const unitPatterns = UNITS.map((unit) => new RegExp(`${unit}(es)?(s)? *(\\^[0-9]+)?`, 'g'));
const textWrapper = new RegExp(`^\\\\text\\{(?<text>${PY_DOT}+?)\\}${PY_END}`, 'u');

/** grader._normalize. */
export function normalizeExpression(input: string): string {
  let expression = input;
  const wrapped = textWrapper.exec(expression);
  if (wrapped) expression = wrapped.groups?.['text'] ?? '';
  expression = expression.replaceAll('\\%', '%').replaceAll('\\$', '$').replaceAll('$', '').replaceAll('%', '');
  expression = expression.replaceAll(' or ', ' , ').replaceAll(' and ', ' , ');
  expression = expression.replaceAll('million', '*10^6').replaceAll('billion', '*10^9').replaceAll('trillion', '*10^12');
  for (const pattern of unitPatterns) expression = expression.replace(pattern, '');
  expression = expression.replace(/\^ *\\circ/g, '');
  if (expression.startsWith('{') && expression.endsWith('}')) expression = expression.slice(1, -1);
  expression = expression.replace(/,\\! */g, '');
  const asFloat = pyFloat(expression);
  if (asFloat !== null && isNearInteger(asFloat)) expression = roundedIntegerText(asFloat);
  // `if "\\" in expr: expr = _parse_latex(expr)` — not ported; see the file comment.
  expression = expression.replace(/- */g, '-');
  // _inject_implicit_mixed_number: "7 3/4" → "7+3/4".
  expression = expression.replace(/([0-9]) +([0-9])/g, '$1+$2');
  expression = expression.replaceAll(' ', '').replaceAll('{', '').replaceAll('}', '');
  expression = pyLower(expression);
  if (isIntegerText(expression)) expression = integerText(expression);
  return expression;
}

/** grader.count_unknown_letters_in_expr. */
function countUnknownLetters(expression: string): number {
  const letters = new Set(codePoints(expression.replaceAll('sqrt', '').replaceAll('frac', '')).filter(isPythonAlpha));
  return letters.size;
}

/** grader.should_allow_eval. */
function shouldAllowEval(expression: string): boolean {
  if (countUnknownLetters(expression) > 2) return false;
  if (BAD_SUBSTRINGS.some((bad) => expression.includes(bad))) return false;
  return !BAD_REGEXES.some((bad) => bad.test(expression));
}

/** grader.are_equal_under_sympy, with sympy replaced by sympyLite (see there for its limits). */
function areEqualUnderSympy(groundTruth: string, given: string): boolean {
  const expression = `(${groundTruth})-(${given})`;
  if (!shouldAllowEval(expression)) return false;
  return sympyExpressionIsZero(expression);
}

/** grader.split_tuple: the elements of "(a,b)" / "[a,b)", else the whole expression. */
export function splitTuple(input: string): string[] {
  const expression = stripProperlyFormattedCommas(input);
  if (expression.length === 0) return [];
  const inner = expression.slice(1, -1);
  const isTuple =
    pyLength(expression) > 2 &&
    TUPLE_CHARS.includes(firstCodePoint(expression)) &&
    TUPLE_CHARS.includes(lastCodePoint(expression)) &&
    [...TUPLE_CHARS].every((character) => !inner.includes(character));
  return isTuple ? inner.split(',').map(pyStrip) : [expression];
}

/**
 * mathruler grader.grade_answer(given_answer, ground_truth): true when the answer is correct.
 * Option letters: case-insensitive, spaces ignored, "x=B"/"A=B" → "B", "b+0"/"1*B"/"BA"~"AB"
 * equal through the sympy step; "B." and "(B)" are not "B".
 */
export function gradeAnswer(given: string, groundTruth: string): boolean {
  if (normalizeAnswer(groundTruth) === normalizeAnswer(given)) return true;
  const groundTruthNormalized = normalizeExpression(groundTruth);
  const givenNormalized = normalizeExpression(given);
  if (groundTruthNormalized === givenNormalized) return true;
  if (givenNormalized.length === 0) return false;
  const groundTruthElements = splitTuple(groundTruthNormalized);
  const givenElements = splitTuple(givenNormalized);
  if (
    groundTruthElements.length > 1 &&
    (firstCodePoint(groundTruthNormalized) !== firstCodePoint(givenNormalized) ||
      lastCodePoint(groundTruthNormalized) !== lastCodePoint(givenNormalized))
  ) {
    return false;
  }
  if (groundTruthElements.length !== givenElements.length) return false;
  // An empty ground truth against a non-empty answer splits into [] vs [x]: caught above. Two
  // empty lists would leave Python's `is_correct` unbound (UnboundLocalError); they cannot occur
  // because the given side is non-empty here.
  return groundTruthElements.every((groundTruthElement, index) => {
    const givenElement = givenElements[index] ?? '';
    if (isFraction(groundTruthElement) && isFraction(givenElement)) return groundTruthElement === givenElement;
    if (isIntegerText(groundTruthElement) !== isIntegerText(givenElement)) return false;
    return areEqualUnderSympy(groundTruthElement, givenElement);
  });
}
