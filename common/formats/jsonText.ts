// Reading JSON and JSON Lines files record by record while keeping each record's exact text,
// so an unchanged record can be written back byte for byte, and the file's writing style
// (indent, ensure_ascii, separators) so a changed one is written the way its tool wrote it.
// JSON.parse validates and builds the values; a small scanner (hand-written: JSON.parse
// reports no positions) finds where each record starts and ends.
import { InputError, type InputProblem } from '../errors';
import { findJsonSyntaxError } from './jsonSyntax';
import type { PyJsonStyle } from './pyjson';

export type JsonLayout =
  | { kind: 'array' }
  | { kind: 'jsonl' }
  /** An object whose `key` holds the records, e.g. {"results": [...]} or {"scores": [...]}. */
  | { kind: 'object'; key: string };

export interface JsonRecord {
  value: unknown;
  /** The record's text exactly as in the file: `text.slice(start, end)`. */
  raw: string;
  start: number;
  end: number;
  /** 1-based line where the record starts. */
  line: number;
}

export interface JsonFileStyle extends PyJsonStyle {
  /** null when the file has no non-ASCII text to tell from. */
  ensureAsciiKnown: boolean;
  trailingNewline: boolean;
}

export interface ParsedJsonFile {
  /** The file's text (without a byte order mark): record offsets index into it. */
  text: string;
  layout: JsonLayout;
  records: JsonRecord[];
  /** For the object layout: the whole parsed object (metrics, meta… kept for round trips). */
  container: Record<string, unknown> | null;
  style: JsonFileStyle;
}

const NON_FINITE = /(?:-?Infinity|NaN)/;

/** Parses text that may contain Python's NaN / Infinity (json.dump writes them by default). */
export function parseJsonValue(text: string, file: string, baseLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (NON_FINITE.test(text)) {
      const replaced = replaceNonFiniteTokens(text);
      if (replaced !== text) {
        try {
          return JSON.parse(replaced, reviveNonFinite);
        } catch {
          // Fall through to report the original error.
        }
      }
    }
    throw new InputError([{ file, ...locateJsonError(text, error, baseLine) }]);
  }
}

function locateJsonError(text: string, error: unknown, baseLine: number): Omit<InputProblem, 'file'> {
  if (text.trim() === '') return { line: baseLine, reason: 'empty input: expected JSON' };
  const found = findJsonSyntaxError(text);
  if (found === null) return { line: baseLine, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  const line = baseLine + countNewlines(text, found.offset);
  const column = found.offset - text.lastIndexOf('\n', found.offset - 1);
  return { line, reason: `invalid JSON at column ${column}: ${found.reason}` };
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

const SENTINEL = '\u0000frustum-nonfinite:';

function replaceNonFiniteTokens(text: string): string {
  let out = '';
  let last = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 34 /* " */) {
      index = skipString(text, index) - 1;
      continue;
    }
    for (const token of ['-Infinity', 'Infinity', 'NaN']) {
      if (text.startsWith(token, index)) {
        out += text.slice(last, index) + JSON.stringify(SENTINEL + token);
        index += token.length - 1;
        last = index + 1;
        break;
      }
    }
  }
  return out + text.slice(last);
}

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(SENTINEL)) {
    const token = value.slice(SENTINEL.length);
    return token === 'NaN' ? NaN : token === 'Infinity' ? Infinity : -Infinity;
  }
  return value;
}

/** Index just past the string starting at `start` (which holds a quote). */
function skipString(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const quote = text.indexOf('"', index);
    if (quote === -1) return text.length;
    let backslashes = 0;
    for (let back = quote - 1; text.charCodeAt(back) === 92 /* \ */; back--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    index = quote + 1;
  }
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
  return index;
}

/** Index just past the (syntactically valid) JSON value starting at `start`. */
function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === 34) return skipString(text, start);
  if (first !== 91 /* [ */ && first !== 123 /* { */) {
    let index = start;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === 44 || code === 93 || code === 125 || isWhitespace(code)) break;
      index++;
    }
    return index;
  }
  // Containers: jump from one bracket to the next with a regex, which runs as native code from
  // the first call; a charCodeAt loop runs interpreted until V8 optimizes it, and imports scan
  // each file once, cold. One match runs up to and including the next bracket, swallowing the
  // strings before it whole (escapes included, so brackets inside strings never count): a few
  // matches per record instead of one per string. Sticky, so a match never starts inside a
  // string; in text that is not valid JSON (which JSON.parse then reports) it may stop early.
  let depth = 0;
  BRACKET_RUN.lastIndex = start;
  try {
    while (BRACKET_RUN.test(text)) {
      const code = text.charCodeAt(BRACKET_RUN.lastIndex - 1);
      if (code === 91 || code === 123) depth++;
      else if (--depth === 0) return BRACKET_RUN.lastIndex;
    }
    return text.length;
  } catch {
    // The regex engine's backtrack stack overflowed: millions of strings between two brackets,
    // or of escapes in one string (a token-by-token regex overflows on those too). Walk it.
    return skipContainerByChar(text, start);
  }
}

/** Everything up to and including the next bracket outside strings (matched from lastIndex only). */
const BRACKET_RUN = /[^"[\]{}]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"[\]{}]*)*[[\]{}]/ys;

/** skipValue for a container, one character at a time (strings skipped with indexOf). */
function skipContainerByChar(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 34) index = skipString(text, index) - 1;
    else if (code === 91 || code === 123) depth++;
    else if ((code === 93 || code === 125) && --depth === 0) return index + 1;
  }
  return text.length;
}

/** [start, end) of each element of the array whose '[' is at `open` (flat: start, end, start, …), and the index past its ']'. */
function arrayElementSpans(text: string, open: number): { spans: number[]; end: number } {
  const spans: number[] = [];
  let index = skipWhitespace(text, open + 1);
  if (text.charCodeAt(index) === 93) return { spans, end: index + 1 };
  for (;;) {
    const end = skipValue(text, index);
    spans.push(index, end);
    index = skipWhitespace(text, end);
    if (text.charCodeAt(index) !== 44) break;
    index = skipWhitespace(text, index + 1);
  }
  return { spans, end: text.charCodeAt(index) === 93 ? index + 1 : -1 };
}

/** Where the value of top-level `key` starts in the object whose '{' is at `open`. */
function objectValueStart(text: string, open: number, key: string): number | null {
  let index = skipWhitespace(text, open + 1);
  while (text.charCodeAt(index) === 34) {
    const keyEnd = skipString(text, index);
    const name = JSON.parse(text.slice(index, keyEnd)) as string;
    index = skipWhitespace(text, keyEnd);
    index = skipWhitespace(text, index + 1); // past ':'
    if (name === key) return index;
    index = skipWhitespace(text, skipValue(text, index));
    if (text.charCodeAt(index) !== 44) return null;
    index = skipWhitespace(text, index + 1);
  }
  return null;
}

/**
 * The 1-based line of an offset. Lines only matter for error messages, so the newlines are
 * found on the first question, not for every record of every import.
 */
function lineLocator(text: string): (offset: number) => number {
  let newlines: number[] | null = null;
  return (offset) => {
    if (newlines === null) {
      newlines = [];
      for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) newlines.push(index);
    }
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((newlines[middle] as number) < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  };
}

/**
 * A record of an array or object file. Its text and line are worked out only when someone reads
 * them (lines only matter for error messages, and most records' text is never looked at): one
 * small object per record, with no closure or string of its own.
 */
class SpanRecord implements JsonRecord {
  constructor(
    readonly value: unknown,
    readonly start: number,
    readonly end: number,
    private readonly file: SpanFile,
  ) {}

  get raw(): string {
    return this.file.body.slice(this.start, this.end);
  }

  get line(): number {
    return this.file.lineOf(this.start + this.file.lineOffset);
  }
}

interface SpanFile {
  body: string;
  lineOf: (offset: number) => number;
  lineOffset: number;
}

function spanRecords(values: readonly unknown[], spans: readonly number[], file: SpanFile): JsonRecord[] {
  const records = new Array<JsonRecord>(values.length);
  for (let index = 0; index < values.length; index++) {
    records[index] = new SpanRecord(values[index], spans[2 * index] as number, spans[2 * index + 1] as number, file);
  }
  return records;
}

/**
 * Reads a JSON array file, a JSON Lines file, or an object holding its records under one of
 * `recordKeys`. `file` names the source in error messages.
 */
export function parseJsonRecords(
  text: string,
  file: string,
  recordKeys: readonly string[] = [],
  hints: { isAscii?: boolean; isJsonLines?: boolean } = {},
): ParsedJsonFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 BOM is not JSON
  const offset = body === text ? 0 : 1;
  const firstIndex = skipWhitespace(body, 0);
  if (firstIndex >= body.length) throw new InputError([{ file, reason: 'the file is empty' }]);
  const style = detectStyle(body, hints.isAscii === true);

  const first = body.charCodeAt(firstIndex);
  // One scan finds both whether the file is a single value and, for an array, its records.
  const arraySpans = first === 91 ? arrayElementSpans(body, firstIndex) : null;
  const wholeValueEnd = arraySpans !== null ? arraySpans.end : first === 123 ? skipValue(body, firstIndex) : -1;
  const isSingleValue = wholeValueEnd !== -1 && skipWhitespace(body, wholeValueEnd) >= body.length;

  // A .jsonl file of one record is one object on one line: still JSON Lines, not a wrapper object.
  if ((!isSingleValue && (first === 123 || first === 91) && looksLikeJsonLines(body)) || (hints.isJsonLines === true && first === 123)) {
    return { text: body, layout: { kind: 'jsonl' }, records: parseJsonLines(body, file), container: null, style };
  }

  let value: unknown;
  try {
    value = parseJsonValue(body, file);
  } catch (error) {
    // JSON Lines whose first line is broken (cut short, a typo) does not look like JSON Lines,
    // and read as one value its error lands on a later line. A second line that is a whole record
    // tells: then each broken line is reported at its own line and record.
    if (first === 123 && isSecondLineARecord(body)) parseJsonLines(body, file);
    throw error;
  }
  const lineOf = lineLocator(body);
  if (Array.isArray(value)) {
    const spans = arraySpans?.spans ?? [];
    if (spans.length !== 2 * value.length) throw new InputError([{ file, reason: 'could not locate the records of the array' }]);
    const records = spanRecords(value, spans, { body, lineOf, lineOffset: offset });
    return { text: body, layout: { kind: 'array' }, records, container: null, style };
  }
  if (value !== null && typeof value === 'object') {
    const container = value as Record<string, unknown>;
    const key = recordKeys.find((candidate) => Array.isArray(container[candidate]));
    if (key === undefined) {
      return { text: body, layout: { kind: 'object', key: '' }, records: [], container, style };
    }
    const valueStart = objectValueStart(body, firstIndex, key);
    const items = container[key] as unknown[];
    const spans = valueStart === null ? [] : arrayElementSpans(body, valueStart).spans;
    if (spans.length !== 2 * items.length) throw new InputError([{ file, reason: `could not locate the records of "${key}"` }]);
    const records = spanRecords(items, spans, { body, lineOf, lineOffset: 0 });
    return { text: body, layout: { kind: 'object', key }, records, container, style };
  }
  throw new InputError([{ file, reason: `expected a JSON array, an object or JSON Lines, found ${typeof value}` }]);
}

function looksLikeJsonLines(text: string): boolean {
  const newline = text.indexOf('\n', skipWhitespace(text, 0));
  if (newline === -1) return false;
  const firstLine = text.slice(0, newline).trim();
  if (!firstLine.startsWith('{')) return false;
  try {
    // With the NaN / Infinity that parseJsonLines accepts too: with JSON.parse alone, a first
    // line holding NaN made the file look like one JSON value, and the error was reported at
    // line 2 ("unexpected { after the end of the JSON value") instead of the record's own.
    parseJsonValue(firstLine, '');
    return true;
  } catch {
    return false;
  }
}

function isSecondLineARecord(text: string): boolean {
  const firstEnd = text.indexOf('\n', skipWhitespace(text, 0));
  if (firstEnd === -1) return false;
  const start = skipWhitespace(text, firstEnd + 1);
  if (text.charCodeAt(start) !== 123) return false;
  const end = text.indexOf('\n', start);
  try {
    parseJsonValue(text.slice(start, end === -1 ? text.length : end), '');
    return true;
  } catch {
    return false;
  }
}

function parseJsonLines(text: string, file: string): JsonRecord[] {
  const records: JsonRecord[] = [];
  const problems: InputProblem[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end).replace(/\r$/, '');
    if (raw.trim() !== '') {
      try {
        records.push({ value: parseJsonValue(raw, file, line), raw, start, end: start + raw.length, line });
      } catch (error) {
        const problem = error instanceof InputError ? error.problems[0] : undefined;
        problems.push({ file, record: records.length + problems.length, line, reason: problem?.reason ?? String(error) });
      }
    }
    start = end + 1;
    line++;
  }
  if (problems.length > 0) throw new InputError(problems);
  return records;
}

/** `isAscii`: the caller knows the text has no character above U+007F (saves a scan of it). */
function detectStyle(text: string, isAscii: boolean): JsonFileStyle {
  const trailingNewline = text.endsWith('\n');
  const open = skipWhitespace(text, 0);
  let indent: number | string | null = null;
  const afterOpen = text.slice(open + 1, open + 200);
  const indentMatch = /^\r?\n([ \t]*)\S/.exec(afterOpen);
  if (indentMatch) {
    const unit = indentMatch[1] ?? '';
    indent = /^ *$/.test(unit) ? unit.length : unit;
  }
  // Separators only vary without indentation: ", " (Python) or "," (JS, orjson).
  const sample = text.slice(0, 4000);
  const compactItems = indent === null && /[}\]"\d],["{[\d]/.test(sample) && !/[}\]"\d], ["{[\d]/.test(sample);
  const compactKeys = /"[^"\n]*":[^ ]/.test(sample) && !/"[^"\n]*": /.test(sample);
  const separators: [string, string] = [indent === null ? (compactItems ? ',' : ', ') : ',', compactKeys ? ':' : ': '];
  const hasRawNonAscii = !isAscii && /[\u0080-\uffff]/.test(text);
  const hasEscapedNonAscii = text.includes('\\u') && /\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})/.test(text);
  const ensureAsciiKnown = hasRawNonAscii || hasEscapedNonAscii;
  return {
    indent,
    ensureAscii: hasRawNonAscii ? false : true,
    ensureAsciiKnown,
    separators,
    trailingNewline,
  };
}

/** A top-level member of an object's text: where its key starts and where its value starts and ends. */
export interface JsonMemberSpan {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * The members of the (valid) JSON object `text`, in order, found without parsing their values, so
 * a writer can replace one value or append a member and leave every other byte as it was (a
 * number written 1.0 stays 1.0, which JSON.parse would make 1). Null when `text` is not an object.
 */
export function objectMembers(text: string): JsonMemberSpan[] | null {
  const open = skipWhitespace(text, 0);
  if (text.charCodeAt(open) !== 123 /* { */) return null;
  const members: JsonMemberSpan[] = [];
  let index = skipWhitespace(text, open + 1);
  while (text.charCodeAt(index) === 34 /* " */) {
    const keyEnd = skipString(text, index);
    const key = JSON.parse(text.slice(index, keyEnd)) as string;
    const colon = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(colon) !== 58 /* : */) return null;
    const valueStart = skipWhitespace(text, colon + 1);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, keyStart: index, valueStart, valueEnd });
    index = skipWhitespace(text, valueEnd);
    if (text.charCodeAt(index) !== 44 /* , */) break;
    index = skipWhitespace(text, index + 1);
  }
  return text.charCodeAt(index) === 125 /* } */ ? members : null;
}

/** A stored JSON array of strings (a sample's options), or null when it is anything else. */
export function parseStringArray(json: string): string[] | null {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
  } catch {
    return null;
  }
}
