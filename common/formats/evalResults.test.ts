// The evaluator's file from records and model texts, against the files CamReasoner's
// eval_bench.py itself wrote for them (tests/reference/evalBenchOracle.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseExpected, caseTexts, EVAL_BENCH_CASES, REFERENCE } from '../../tests/support/evalBenchCases';
import { ERROR_OUTPUT, dumpMeta, dumpResult, evaluatorFields, resultsFileText, resultsMetrics, spliceResult } from './evalResults';
import { objectMembers, parseJsonRecords } from './jsonText';

function fileOf(entry: (typeof EVAL_BENCH_CASES)[number], resultText: (record: Record<string, unknown>, fields: ReturnType<typeof evaluatorFields>) => string): string {
  const texts = caseTexts(entry);
  const results = entry.records.map((record, index) => ({ record, fields: evaluatorFields(record, texts[index] ?? ERROR_OUTPUT, 0) }));
  const metrics = resultsMetrics(results.map(({ record, fields }) => ({ record, accuracy: fields.accuracy.value })));
  const meta = dumpMeta({ batch_size: entry.batch_size, model_path: entry.model_path, input_json: entry.input_json });
  return resultsFileText(
    results.map(({ record, fields }) => resultText(record, fields)),
    metrics,
    meta,
  );
}

/** Each case's records as json.dumps wrote them in the cases file, moved to level 1 (an evaluation file's array). */
const RECORD_TEXTS = new Map(
  parseJsonRecords(readFileSync(join(REFERENCE, 'eval-bench-cases.json'), 'utf8'), 'eval-bench-cases.json').records.map((entry) => {
    const records = objectMembers(entry.raw)?.find((member) => member.key === 'records');
    if (!records) throw new Error('a case without records');
    const texts = parseJsonRecords(entry.raw.slice(records.valueStart, records.valueEnd), 'records').records.map((record) => record.raw.replace(/\n {4}/g, '\n'));
    return [(entry.value as { name: string }).name, texts] as const;
  }),
);

describe("eval_bench's output file", () => {
  // The round trip's 5.0 becomes 5 once parsed: that case is checked through spliceResult only.
  const parsedCases = EVAL_BENCH_CASES.filter((entry) => entry.name !== 'round-trip');
  it.each(parsedCases.map((entry) => [entry.name, entry] as const))('%s: dumped from the records', (_name, entry) => {
    expect(fileOf(entry, dumpResult)).toBe(caseExpected(entry));
  });

  it.each(EVAL_BENCH_CASES.map((entry) => [entry.name, entry] as const))('%s: spliced into the records as an evaluation file holds them', (_name, entry) => {
    const texts = RECORD_TEXTS.get(entry.name) ?? [];
    let index = 0;
    const spliced = fileOf(entry, (_record, fields) => {
      const text = spliceResult(texts[index++] ?? '', 1, fields);
      if (text === null) throw new Error('not spliced');
      return text;
    });
    expect(spliced).toBe(caseExpected(entry));
  });
});

describe('spliceResult', () => {
  const fields = evaluatorFields({ problem_type: 'multiple choice', solution: '<answer>B</answer>' }, '<answer>B</answer>', 0);

  it('keeps every other byte of the record, a 2.0 included, and appends after the last member', () => {
    const raw = '{\n    "fps": 2.0,\n    "output": [],\n    "id": 1e3\n  }';
    expect(spliceResult(raw, 1, fields)).toBe(
      '{\n      "fps": 2.0,\n      "output": "<answer>B</answer>",\n      "id": 1e3,\n      "prediction": "B",\n      "accuracy": 1.0\n    }',
    );
  });

  it('refuses text json.dump(indent=2) did not lay out, so the caller dumps the value', () => {
    expect(spliceResult('{"output": [], "id": 1}', 1, fields)).toBeNull();
    expect(spliceResult('{\n    "output": [],\n  "id": 1\n  }', 1, fields)).toBeNull();
    expect(spliceResult('{\n   "output": []\n  }', 1, fields)).toBeNull();
    expect(spliceResult('{}', 1, fields)).toBeNull();
    expect(spliceResult('{\n  "a": 1\n}', 0, fields)).toBeNull();
  });
});

describe('objectMembers', () => {
  it('finds each member without parsing its value, brackets and quotes inside strings included', () => {
    const text = '{ "a" : [1, {"b": "]}"}] , "c\\"d": "x\\\\", "e": -1.50e+2 }';
    const members = objectMembers(text);
    expect(members?.map((member) => [member.key, text.slice(member.valueStart, member.valueEnd)])).toEqual([
      ['a', '[1, {"b": "]}"}]'],
      ['c"d', '"x\\\\"'],
      ['e', '-1.50e+2'],
    ]);
    expect(objectMembers('[1]')).toBeNull();
    expect(objectMembers('{}')).toEqual([]);
  });
});
