import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors';
import { parseJsonRecords } from './jsonText';
import { pyDumps, type PyJsonValue } from './pyjson';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');

function problemOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems[0];
  }
  throw new Error('expected an InputError');
}

describe('parseJsonRecords', () => {
  it('keeps each array element’s exact text and its line', () => {
    const text = '[\n  {"a": 1.0, "b": "x"},\n  {"a": 2}\n]';
    const parsed = parseJsonRecords(text, 'f.json');
    expect(parsed.layout).toEqual({ kind: 'array' });
    expect(parsed.records.map((r) => r.raw)).toEqual(['{"a": 1.0, "b": "x"}', '{"a": 2}']);
    expect(parsed.records.map((r) => r.line)).toEqual([2, 3]);
    expect(parsed.style.indent).toBe(2);
  });

  it('finds records and their lines in an object container, out of order too, with brackets inside strings', () => {
    const text = '{\n  "meta": {"x": "]}["},\n  "results": [\n    {"a": "\\"}"},\n\n    {"a": [1, {"b": "{"}]}\n  ]\n}\n';
    const parsed = parseJsonRecords(text, 'r.json', ['results']);
    expect(parsed.layout).toEqual({ kind: 'object', key: 'results' });
    expect(parsed.records.map((r) => r.raw)).toEqual(['{"a": "\\"}"}', '{"a": [1, {"b": "{"}]}']);
    expect([parsed.records[1]?.line, parsed.records[0]?.line]).toEqual([6, 4]);
  });

  it('reads a .jsonl file of one record as JSON Lines, not as a wrapper object', () => {
    const text = '{"image": "a.mp4", "question": "Q?", "label": "Yes"}\n';
    expect(parseJsonRecords(text, 'one.json').layout).toEqual({ kind: 'object', key: '' });
    const parsed = parseJsonRecords(text, 'one.jsonl', [], { isJsonLines: true });
    expect(parsed.layout).toEqual({ kind: 'jsonl' });
    expect(parsed.records.map((record) => record.raw)).toEqual([text.trim()]);
  });

  it('reads JSON Lines, skipping blank lines and CRLF endings', () => {
    const text = '{"a": 1}\r\n\n{"a": "}{"}\n';
    const parsed = parseJsonRecords(text, 'f.jsonl');
    expect(parsed.layout).toEqual({ kind: 'jsonl' });
    expect(parsed.records.map((r) => [r.raw, r.line])).toEqual([['{"a": 1}', 1], ['{"a": "}{"}', 3]]);
    expect(parsed.style.trailingNewline).toBe(true);
  });

  it('finds records inside a wrapper object and keeps the rest', () => {
    const text = '{"meta": {"x": [1]}, "results": [{"q": "a\\"]"}, {"q": 2}], "metrics": {}}';
    const parsed = parseJsonRecords(text, 'r.json', ['results']);
    expect(parsed.layout).toEqual({ kind: 'object', key: 'results' });
    expect(parsed.records.map((r) => r.raw)).toEqual(['{"q": "a\\"]"}', '{"q": 2}']);
    expect(Object.keys(parsed.container ?? {})).toEqual(['meta', 'results', 'metrics']);
  });

  it('finds records past a string with more escapes than the regex engine can take at once', () => {
    // The scanner swallows everything up to the next bracket in one regex match; millions of
    // escapes in one string overflow the engine's backtrack stack, and the scan walks instead.
    const big = `{"chain": "${'\\n'.repeat(4_000_000)}]", "n": [1]}`;
    const text = `[\n  {"a": "[{"},\n  ${big},\n  {"b": 2}\n]`;
    const parsed = parseJsonRecords(text, 'big.json');
    expect(parsed.records.map((record) => record.raw.length)).toEqual([11, big.length, 8]);
    expect(parsed.records[2]?.line).toBe(4);
  });

  it('takes the caller\'s word that the text is ASCII, and otherwise looks', () => {
    expect(parseJsonRecords('[{"a": "é"}]', 'f.json').style).toMatchObject({ ensureAscii: false, ensureAsciiKnown: true });
    expect(parseJsonRecords('[{"a": "\\u00e9"}]', 'f.json', [], { isAscii: true }).style).toMatchObject({ ensureAscii: true, ensureAsciiKnown: true });
    expect(parseJsonRecords('[{"a": "e"}]', 'f.json', [], { isAscii: true }).style).toMatchObject({ ensureAscii: true, ensureAsciiKnown: false });
  });

  it('accepts the NaN and Infinity that Python json.dump writes', () => {
    const parsed = parseJsonRecords('{"scores": [{"score": NaN}, {"score": -Infinity, "s": "NaN"}]}', 's.json', ['scores']);
    expect(parsed.records.map((r) => (r.value as { score: number }).score)).toEqual([NaN, -Infinity]);
    expect((parsed.records[1]?.value as { s: string }).s).toBe('NaN');
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(parseJsonRecords('\ufeff[{"a": 1}]', 'f.json').records).toHaveLength(1);
  });

  it('names the line of a syntax error', () => {
    const problem = problemOf(() => parseJsonRecords('[\n  {"a": 1},\n  {"a": }\n]', 'bad.json'));
    expect(problem?.file).toBe('bad.json');
    expect(problem?.line).toBe(3);
  });

  it('says a truncated file ends too early', () => {
    const problem = problemOf(() => parseJsonRecords('[\n  {"a": 1},\n  {"a": "x', 'cut.json'));
    expect(problem?.reason).toMatch(/ends too early|invalid JSON/);
  });

  it('names the line and record of a bad JSON Lines record', () => {
    const problem = problemOf(() => parseJsonRecords('{"a": 1}\n{"a": 2}\n{"a": \n', 'bad.jsonl'));
    expect(problem).toMatchObject({ file: 'bad.jsonl', line: 3, record: 2 });
  });

  // Python's json.dump writes NaN and Infinity; a JSON Lines file is told by its first line, which
  // was checked with JSON.parse alone: a first line holding NaN made the whole file read as one
  // value, refused at line 2 ("unexpected { after the end of the JSON value").
  describe.each([
    ['LF', '\n', ''],
    ['CRLF', '\r\n', ''],
    ['BOM', '\n', '\ufeff'],
    ['BOM and CRLF', '\r\n', '\ufeff'],
  ])('NaN and Infinity in JSON Lines (%s)', (_name, eol, bom) => {
    const lines = ['{"a": NaN, "n": 1}', '{"a": Infinity, "n": 2}', '{"a": -Infinity, "n": 3}'];

    it('reads a file whose first line holds NaN as JSON Lines, each record at its line', () => {
      const parsed = parseJsonRecords(bom + lines.join(eol) + eol, 'f.jsonl');
      expect(parsed.layout).toEqual({ kind: 'jsonl' });
      expect(parsed.records.map((record) => [record.line, (record.value as { a: number }).a])).toEqual([[1, NaN], [2, Infinity], [3, -Infinity]]);
    });

    it.each([0, 1, 2])('names line %i + 1 when that line is broken beside NaN or Infinity', (broken) => {
      const text = bom + lines.map((line, index) => (index === broken ? line.replace('}', ', }') : line)).join(eol) + eol;
      const problem = problemOf(() => parseJsonRecords(text, 'f.jsonl'));
      expect(problem).toMatchObject({ file: 'f.jsonl', line: broken + 1, reason: expect.stringMatching(/expected a quoted key/) });
    });

    it('names line 1 when the first line holds NaN and is cut short', () => {
      const text = bom + ['{"a": NaN, "n": ', ...lines.slice(1)].join(eol) + eol;
      expect(problemOf(() => parseJsonRecords(text, 'f.jsonl'))).toMatchObject({ file: 'f.jsonl', line: 1 });
    });
  });

  it('refuses an empty file', () => {
    expect(problemOf(() => parseJsonRecords('  \n', 'empty.json'))?.reason).toMatch(/empty/);
  });

  it.runIf(existsSync(SHARED))('rebuilds every reference file byte for byte from its records and style', () => {
    const files = [
      join(SHARED, 'camreasoner', 'camerabench_binary.json'),
      join(SHARED, 'camerabench', 'caption_data.json'),
      ...readdirSync(join(SHARED, 'camerabench', 'binary_classification')).map((name) => join(SHARED, 'camerabench', 'binary_classification', name)),
    ];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const parsed = parseJsonRecords(text, file);
      const values = parsed.records.map((record) => record.value as PyJsonValue);
      const rebuilt =
        parsed.layout.kind === 'jsonl'
          ? values.map((value) => pyDumps(value, parsed.style)).join('\n')
          : pyDumps(values, parsed.style);
      expect(rebuilt + (parsed.style.trailingNewline ? '\n' : ''), file).toBe(text);
      expect(parsed.records.map((record) => record.raw).join(''), file).toBe(
        parsed.layout.kind === 'jsonl' ? text.split('\n').join('') : parsed.records.map((record) => record.raw).join(''),
      );
    }
  });
});
