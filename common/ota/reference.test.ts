// Checks the ports against the reference code itself: tests/reference/oracle.py ran
// CamReasoner's onethinker_reward / r1v / eval_bench and mathruler over ota-cases.json and wrote
// ota-expected.json. Comparison is exact (same float operations, no tolerance).
import { describe, expect, it } from 'vitest';
import cases from '../../tests/reference/ota-cases.json';
import expected from '../../tests/reference/ota-expected.json';
import { pyStrip } from '../python';
import { multipleChoiceAccuracy, predictionOf } from './evalAccuracy';
import { camReasonerReward, r1vReward } from './reward';

interface ReferenceCase {
  name: string;
  response: string;
  ground_truth: string;
}

const table = cases satisfies ReferenceCase[];
const results = expected.cases;

describe('reference table', () => {
  it('pairs every case with an expected result', () => {
    expect(table.length).toBeGreaterThanOrEqual(70);
    expect(results.map((result) => result.name)).toEqual(table.map((entry) => entry.name));
  });

  describe.each(table.map((entry, index) => ({ ...entry, expected: results[index] })))('$name', (entry) => {
    it('onethinker compute_score (format weight 0.1)', () => {
      expect(camReasonerReward(entry.response, entry.ground_truth)).toStrictEqual(entry.expected?.onethinker);
    });
    it('r1v compute_score (format weight 0.5)', () => {
      expect(r1vReward(entry.response, entry.ground_truth)).toStrictEqual(entry.expected?.r1v);
    });
    it('eval_bench accuracy_only and prediction', () => {
      expect(multipleChoiceAccuracy(entry.response, entry.ground_truth)).toBe(entry.expected?.eval.accuracy);
      expect(predictionOf(entry.response)).toBe(entry.expected?.eval.prediction);
    });
  });
});

describe('the table can catch JavaScript string semantics', () => {
  // Deliberately wrong variants: JavaScript's trim and \s instead of Python's strip and \s.
  function jsPrediction(output: string): string {
    const match = /<answer>\s*([\s\S]*?)\s*<\/answer>/.exec(output);
    return match ? (match[1] ?? '').trim() : output.trim();
  }

  it('JS trim would change at least one expected prediction', () => {
    const changed = table.filter((entry, index) => jsPrediction(entry.response) !== results[index]?.eval.prediction);
    expect(changed.map((entry) => entry.name)).toEqual(expect.arrayContaining(['BOM before letter', 'NEL before letter, bare response']));
  });

  it('Python strip is what the expected values need', () => {
    expect(pyStrip('\x85B')).toBe('B');
    expect('\x85B'.trim()).not.toBe('B');
    expect('\ufeffB'.trim()).toBe('B');
    expect(pyStrip('\ufeffB')).not.toBe('B');
  });

  it('JS \\s in the tag normalisation would change a format score', () => {
    const jsFormat = (response: string): number =>
      /^\s*<observation>[\s\S]*?<\/observation>\s*<think>[\s\S]*?<\/think>\s*<answer>[\s\S]*?<\/answer>\s*$/.test(
        response.replace(/\s*([<>/])\s*/g, '$1'),
      ) ? 1 : 0;
    const changed = table.filter((entry, index) => jsFormat(entry.response) !== results[index]?.onethinker.format);
    expect(changed.length).toBeGreaterThan(0);
  });
});
