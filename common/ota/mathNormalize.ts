// Port of mathruler/math_normalize.py (normalize_answer and its _strip_string helpers, from
// Hendrycks' MATH "math_equivalence"), used by grade.ts as the first, lenient comparison.
// Python indexes strings by code point, so single-character picks go through codePoints().

import { PY_DOT, PY_END, codePoints, pyLength, pyStrip } from '../python';

/** Raised where the Python code would raise (IndexError, AssertionError); normalize_answer catches it. */
class NormalizeFailure extends Error {}

const textWrapper = new RegExp(`^\\\\text\\{(?<text>${PY_DOT}+?)\\}${PY_END}`, 'u');

/** math_normalize.normalize_answer. */
export function normalizeAnswer(answer: string): string {
  let stripped = pyStrip(answer);
  try {
    const match = textWrapper.exec(stripped);
    if (match) stripped = pyStrip(match.groups?.['text'] ?? '');
    return stripString(stripped);
  } catch (error) {
    // `except:` in normalize_answer: keep the (possibly \text-unwrapped) answer.
    if (error instanceof NormalizeFailure) return stripped;
    throw error;
  }
}

/** math_normalize._fix_fracs: "\frac12" → "\frac{1}{2}", "\frac1{72}" → "\frac{1}{72}". */
function fixFracs(text: string): string {
  const parts = text.split('\\frac');
  let result = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    result += '\\frac';
    const characters = codePoints(part);
    const first = characters[0];
    // `substr[0]` on an empty piece raises IndexError in the reference.
    if (first === undefined) throw new NormalizeFailure('IndexError');
    if (first === '{') {
      result += part;
      continue;
    }
    const second = characters[1];
    if (second === undefined) return text; // `assert len(substr) >= 2` → return string
    const rest = characters.slice(2).join('');
    result += second !== '{' ? `{${first}}{${second}}${rest}` : `{${first}}${second}${rest}`;
  }
  return result;
}

// `int(a)` followed by `assert string == f"{a}/{b}"` accepts exactly Python's canonical int text.
const canonicalInteger = /^(?:0|-?[1-9][0-9]*)$/;

/** math_normalize._fix_a_slash_b: "3/4" → "\frac{3}{4}" for plain integers only. */
function fixSlash(text: string): string {
  const parts = text.split('/');
  if (parts.length !== 2) return text;
  const [numerator = '', denominator = ''] = parts;
  if (!canonicalInteger.test(numerator) || !canonicalInteger.test(denominator)) return text;
  return `\\frac{${numerator}}{${denominator}}`;
}

/** math_normalize._remove_right_units: drops what follows "\text{ " (asserts it occurs once). */
function removeRightUnits(text: string): string {
  if (!text.includes('\\text{ ')) return text;
  const parts = text.split('\\text{ ');
  if (parts.length !== 2) throw new NormalizeFailure('AssertionError');
  return parts[0] ?? '';
}

/** math_normalize._fix_sqrt: "\sqrt3" → "\sqrt{3}". */
function fixSqrt(text: string): string {
  if (!text.includes('\\sqrt')) return text;
  const parts = text.split('\\sqrt');
  let result = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    const characters = codePoints(part);
    const first = characters[0];
    if (first === undefined) throw new NormalizeFailure('IndexError');
    result += first !== '{' ? `\\sqrt{${first}}${characters.slice(1).join('')}` : `\\sqrt${part}`;
  }
  return result;
}

/** math_normalize._strip_string, step by step. */
function stripString(input: string): string {
  let text = input.replaceAll('\n', '');
  text = text.replaceAll('\\!', '');
  text = text.replaceAll('\\\\', '\\');
  text = text.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  text = text.replaceAll('\\left', '').replaceAll('\\right', '');
  text = text.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  text = text.replaceAll('\\$', '');
  text = removeRightUnits(text);
  text = text.replaceAll('\\%', '').replaceAll('%', '');
  text = text.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (text.length === 0) return text;
  if (text.startsWith('.')) text = `0${text}`;
  const sides = text.split('=');
  if (sides.length === 2 && pyLength(sides[0] ?? '') <= 2) text = sides[1] ?? '';
  text = fixSqrt(text);
  text = text.replaceAll(' ', '');
  text = fixFracs(text);
  if (text === '0.5') text = '\\frac{1}{2}';
  return fixSlash(text);
}
