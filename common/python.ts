// Python `str` semantics that JavaScript lacks, for the ports of CamReasoner's reward and
// evaluation code and of mathruler's grader (common/ota/). Runtime-free: the renderer imports it.
//
// Python indexes strings by code point, JavaScript by UTF-16 unit; Python's whitespace set
// (`str.isspace()`, `str.strip()`, `re`'s `\s` on str patterns) differs from JavaScript's `\s`
// and `String.prototype.trim`: Python includes U+001C..U+001F and U+0085 and excludes U+FEFF.

/**
 * Every code point for which Python 3.11's `str.isspace()` is true. `re`'s `\s` on str
 * patterns and argument-less `str.strip()` use exactly this set (checked by running python3
 * over U+0000..U+10FFFF; python.test.ts holds the list python3 printed).
 */
export const PYTHON_WHITESPACE: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

/**
 * A regular-expression character class (source text) matching one Python whitespace
 * character, i.e. Python's `\s` on str patterns. Interpolate it where a Python pattern has `\s`.
 */
export const PY_SPACE = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/** The complement of {@link PY_SPACE}: Python's `\S`. */
export const PY_NON_SPACE = '[^\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/**
 * Python's `.` without DOTALL matches any character except "\n"; JavaScript's `.` also refuses
 * "\r", U+2028 and U+2029. Use this class instead (with the `u` flag it takes a whole code point).
 */
export const PY_DOT = '[^\\n]';

/**
 * Python's `$` without MULTILINE matches at the very end or just before a final "\n";
 * JavaScript's `$` (without `m`) only at the very end.
 */
export const PY_END = '(?=\\n?$)';

const whitespaceSet: ReadonlySet<number> = new Set(PYTHON_WHITESPACE);

/** Python `ch.isspace()` for one character (the first code point of `character`). */
export function isPythonSpace(character: string): boolean {
  const codePoint = character.codePointAt(0);
  return codePoint !== undefined && whitespaceSet.has(codePoint);
}

const leadingSpace = new RegExp(`^${PY_SPACE}+`);
const trailingSpace = new RegExp(`${PY_SPACE}+$`);

/** Python `s.strip()` (no argument): removes Python whitespace, not JavaScript's `trim` set. */
export function pyStrip(text: string): string {
  return text.replace(leadingSpace, '').replace(trailingSpace, '');
}

/** The code points of `text` as one-character strings (Python's view of a str). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Python `len(s)`: the number of code points. */
export function pyLength(text: string): number {
  let length = 0;
  for (const _character of text) length += 1;
  return length;
}

/** Python `s[:1]`: the first code point, or "" for "". */
export function firstCodePoint(text: string): string {
  const codePoint = text.codePointAt(0);
  return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
}

/** Python `s[-1:]`: the last code point, or "" for "". */
export function lastCodePoint(text: string): string {
  if (text.length === 0) return '';
  const last = text.charCodeAt(text.length - 1);
  const isLowSurrogate = last >= 0xdc00 && last <= 0xdfff;
  if (isLowSurrogate && text.length >= 2) {
    const before = text.charCodeAt(text.length - 2);
    if (before >= 0xd800 && before <= 0xdbff) return text.slice(-2);
  }
  return text.slice(-1);
}

/**
 * Python `s.upper()`. JavaScript's `toUpperCase` applies the same full (SpecialCasing)
 * mappings, e.g. "ß" → "SS", "ﬆ" → "ST", "ı" → "I". A full comparison over every code point
 * found 110 differences, all for characters added or re-cased after Unicode 14 (Python 3.11's
 * database) and none whose upper case is ASCII, so no table is needed for what we port.
 */
export function pyUpper(text: string): string {
  return text.toUpperCase();
}

/** Python `s.lower()` (same caveat as {@link pyUpper}; both apply the final-sigma rule). */
export function pyLower(text: string): string {
  return text.toLowerCase();
}

/** Python `ch.isalpha()` (categories Lu, Ll, Lt, Lm, Lo = `\p{L}`). */
export function isPythonAlpha(character: string): boolean {
  return /^\p{L}$/u.test(firstCodePoint(character));
}

const decimalDigit = /^\p{Nd}$/u;

/**
 * The value of a Unicode decimal digit (category Nd), as Python's `unicodedata.decimal`, or
 * null. Unicode lays every Nd run out as whole blocks of 0..9, so the value is the distance
 * from the start of the run modulo 10 (verified against python3 for all 660 Nd code points).
 */
export function decimalValue(character: string): number | null {
  const codePoint = character.codePointAt(0);
  if (codePoint === undefined || !decimalDigit.test(String.fromCodePoint(codePoint))) return null;
  let start = codePoint;
  while (decimalDigit.test(String.fromCodePoint(start - 1))) start -= 1;
  return (codePoint - start) % 10;
}

// float() strips only ASCII whitespace (Py_ISSPACE) plus non-ASCII Python whitespace, which
// CPython's _PyUnicode_TransformDecimalAndSpaceToASCII turns into ' '; U+001C..U+001F stay
// as they are and make float() fail.
const floatSpace = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, ...PYTHON_WHITESPACE.filter((codePoint) => codePoint > 0x7f)]);
const floatSyntax = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;

/**
 * Python `float(s)` for a str: the parsed number, or null where Python raises ValueError.
 * Follows CPython's PyFloat_FromString: Unicode decimal digits count as ASCII digits, other
 * non-ASCII characters fail, an underscore must sit between two digits, surrounding
 * whitespace is ignored, "inf"/"infinity"/"nan" in any case with an optional sign.
 */
export function pyFloat(text: string): number | null {
  let ascii = '';
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x7f) ascii += character;
    else if (floatSpace.has(codePoint)) ascii += ' ';
    else {
      const digit = decimalValue(character);
      if (digit === null) return null;
      ascii += String(digit);
    }
  }
  // _Py_string_to_number_with_underscores: "_" only between two digits.
  if (/_/.test(ascii)) {
    if (/(^|[^0-9])_|_($|[^0-9])/.test(ascii)) return null;
    ascii = ascii.replace(/_/g, '');
  }
  let start = 0;
  let end = ascii.length;
  while (start < end && floatSpace.has(ascii.charCodeAt(start))) start += 1;
  while (end > start && floatSpace.has(ascii.charCodeAt(end - 1))) end -= 1;
  const body = ascii.slice(start, end);
  if (!floatSyntax.test(body)) return null;
  const unsigned = body.replace(/^[+-]/, '').toLowerCase();
  const negative = body.startsWith('-');
  if (unsigned === 'inf' || unsigned === 'infinity') return negative ? -Infinity : Infinity;
  if (unsigned === 'nan') return NaN;
  return Number(body);
}
