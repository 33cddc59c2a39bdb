import { describe, expect, it } from 'vitest';
import { PyFloat, pyDumps, pyFloatRepr } from './pyjson';

// Expected strings printed by CPython 3.11: repr(float) and json.dumps.
const FLOAT_REPRS: Array<[number, string]> = [
  [0.0, '0.0'], [-0.0, '-0.0'], [1.0, '1.0'], [-1.0, '-1.0'], [0.1, '0.1'],
  [1 / 3, '0.3333333333333333'], [2 / 3, '0.6666666666666666'], [1e16, '1e+16'],
  [1e15, '1000000000000000.0'], [1.2345678901234568e17, '1.2345678901234568e+17'], [1e-4, '0.0001'],
  [1e-5, '1e-05'], [0.00012, '0.00012'], [1.5e-7, '1.5e-07'], [1e22, '1e+22'],
  [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'], [0.9, '0.9'],
  [0.30000000000000004, '0.30000000000000004'], [12.2, '12.2'], [78.4, '78.4'], [100.0, '100.0'],
  [2.5e-5, '2.5e-05'], [123.456, '123.456'], [9999999999999998.0, '9999999999999998.0'],
];

describe('pyFloatRepr', () => {
  it.each(FLOAT_REPRS)('%d → %s', (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });
});

describe('pyDumps', () => {
  const value = { a: 'é\x7f\u2028😀"\\\n\x01', b: [], c: {}, d: [1, { e: null }] };

  it('matches json.dumps(indent=2) with ensure_ascii', () => {
    expect(pyDumps(value, { indent: 2, ensureAscii: true })).toBe(
      '{\n  "a": "\\u00e9\\u007f\\u2028\\ud83d\\ude00\\"\\\\\\n\\u0001",\n  "b": [],\n  "c": {},\n  "d": [\n    1,\n    {\n      "e": null\n    }\n  ]\n}',
    );
  });

  it('matches json.dumps(indent=2, ensure_ascii=False)', () => {
    expect(pyDumps(value, { indent: 2, ensureAscii: false })).toBe(
      '{\n  "a": "é\x7f\u2028😀\\"\\\\\\n\\u0001",\n  "b": [],\n  "c": {},\n  "d": [\n    1,\n    {\n      "e": null\n    }\n  ]\n}',
    );
  });

  it('uses Python default separators without indent', () => {
    expect(pyDumps({ a: [1, 2], b: { c: true } })).toBe('{"a": [1, 2], "b": {"c": true}}');
    expect(pyDumps({ a: [1, 2] }, { indent: null, ensureAscii: true, separators: [',', ':'] })).toBe('{"a":[1,2]}');
  });

  it('writes floats the way Python holds them', () => {
    expect(pyDumps({ score: new PyFloat(1), n: 1, x: NaN, y: new PyFloat(-Infinity) })).toBe(
      '{"score": 1.0, "n": 1, "x": NaN, "y": -Infinity}',
    );
  });

  it('skips undefined members like a missing key', () => {
    expect(pyDumps({ a: undefined, b: 1 })).toBe('{"b": 1}');
  });
});
