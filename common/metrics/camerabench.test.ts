import { describe, expect, it } from 'vitest';
import { PRIMITIVES } from '../camerabench/primitives';
import { evaluateScoreFile, formatPercent, formatTable1, summarizeSplits, table1 } from './camerabench';
import type { CameraBenchScoreRow } from './camerabench';

function row(ground_truth_label: string, score: number, error: string | null = null): CameraBenchScoreRow {
  return { video_path: 'clip.mp4', question: 'Does the camera pan to the left?', ground_truth_label, method: 'm', score, error };
}

describe('evaluateScoreFile', () => {
  it('leaves out failed rows, reads labels case-insensitively and ranks non-finite scores last', () => {
    const file = {
      metadata: { split_name: 'Pan_Left', model_name: 'm' },
      scores: [row('Yes', 0.9), row('no', 0.2), row('YES', Number.NaN), row('No', 0.1), row('Yes', 0.8, 'Video file not found')],
    };
    // kept: labels 1 0 1 0, scores .9 .2 -1e10 .1 → ranked .9(+) .2(−) .1(−) -1e10(+)
    // (P, R) = (1, ½) (½, ½) (⅓, ½) (½, 1) → AP = ½·1 + ½·½ = 0.75
    // AUC: the .9 positive beats both negatives, the -1e10 one neither → 2 of 4 pairs = 0.5
    expect(evaluateScoreFile(file, 'classification_scores_m_Pan_Left')).toEqual({
      average_precision: 0.75,
      roc_auc: 0.5,
      num_samples: 4,
      num_positive: 2,
      num_negative: 2,
      positive_ratio: 0.5,
      split_name: 'Pan_Left',
    });
  });

  it('falls back to the given split name (the evaluator uses the file stem)', () => {
    const result = evaluateScoreFile({ scores: [row('Yes', 1), row('No', 0)] }, 'classification_scores_m_Tilt_Up');
    expect(result?.split_name).toBe('classification_scores_m_Tilt_Up');
    expect(result?.average_precision).toBe(1);
    expect(result?.roc_auc).toBe(1);
  });

  it('scores a one-class split 0 and 0, as the evaluator does', () => {
    const result = evaluateScoreFile({ metadata: {}, scores: [row('Yes', 0.9), row('Yes', 0.1)] }, 'Static');
    expect(result).toEqual({
      average_precision: 0, roc_auc: 0, num_samples: 2, num_positive: 2, num_negative: 0, positive_ratio: 1, split_name: 'Static',
    });
  });

  it('returns null when no row is usable', () => {
    expect(evaluateScoreFile({ scores: [row('Yes', 0, 'boom')] }, 'x')).toBeNull();
    expect(evaluateScoreFile({ scores: [] }, 'x')).toBeNull();
  });

  it('matches the positive rate for a letters-only model that always says Yes', () => {
    // all scores tied → AP = positive rate (data/README.md: "random chance" AP); AUC ½
    const scores = [row('Yes', 1), row('No', 1), row('No', 1), row('No', 1)];
    const result = evaluateScoreFile({ scores }, 'Zoom_In');
    expect(result?.average_precision).toBe(0.25);
    expect(result?.roc_auc).toBe(0.5);
  });
});

describe('summarizeSplits', () => {
  it('takes np.mean and the population np.std', () => {
    const summary = summarizeSplits([
      { average_precision: 0.8, roc_auc: 1 },
      null,
      { average_precision: 0.6, roc_auc: 0 },
      { average_precision: 0.7, roc_auc: 0.5 },
    ]);
    // np.mean([.8, .6, .7]) = 0.6999999999999998, np.std = 0.08164965809277264 (NumPy 2.4)
    // AUC: mean ½, deviations ½ −½ 0 → sqrt((¼ + ¼ + 0) / 3)
    expect(summary).toEqual({
      mean_average_precision: 0.6999999999999998,
      std_average_precision: 0.08164965809277264,
      mean_roc_auc: 0.5,
      std_roc_auc: Math.sqrt(0.5 / 3),
      evaluated_splits: 3,
    });
  });

  it('gives std 0 for one split and null for none', () => {
    expect(summarizeSplits([{ average_precision: 0.3, roc_auc: 0.6 }])).toEqual({
      mean_average_precision: 0.3, std_average_precision: 0, mean_roc_auc: 0.6, std_roc_auc: 0, evaluated_splits: 1,
    });
    expect(summarizeSplits([])).toBeNull();
    expect(summarizeSplits([null])).toBeNull();
  });
});

describe('table1', () => {
  it('orders the columns as the paper and appends the mean of the present ones', () => {
    const table = table1({ Static: { average_precision: 0.5, roc_auc: 0.75 }, Move_In: { average_precision: 0.25, roc_auc: 0.25 } });
    expect(table.map((column) => column.name)).toEqual([...PRIMITIVES, 'Mean']);
    expect(table[0]).toEqual({ name: 'Move_In', heading: 'Move In', label: 'dolly in', average_precision: 0.25, roc_auc: 0.25 });
    expect(table[1]?.average_precision).toBeNull();
    expect(table[15]).toEqual({ name: 'Mean', heading: 'Mean', label: '', average_precision: 0.375, roc_auc: 0.5 });
  });

  it('has no mean when no primitive has a result', () => {
    expect(table1({}).at(-1)?.average_precision).toBeNull();
  });
});

describe('formatPercent', () => {
  it('prints percentages with one decimal, like the paper', () => {
    expect(formatPercent(0.122)).toBe('12.2');
    expect(formatPercent(0.784)).toBe('78.4');
    expect(formatPercent(1)).toBe('100.0');
    expect(formatPercent(0)).toBe('0.0');
  });

  it('rounds exact ties to even, as Python format(x, ".1f")', () => {
    expect(formatPercent(0.0625)).toBe('6.2'); // 6.25 exactly; toFixed would say 6.3
    expect(formatPercent(0.1875)).toBe('18.8'); // 18.75 exactly
    expect(formatPercent(0.00125)).toBe('0.1'); // 0.125 is not a tie in binary after * 100
  });
});

describe('formatTable1', () => {
  it('lays out a fixed-width heading row and a value row', () => {
    const results = Object.fromEntries(PRIMITIVES.map((primitive, index) => [primitive, { average_precision: index / 20, roc_auc: 0.5 }]));
    const text = formatTable1(table1(results), 'ap');
    const [headings, values, end] = text.split('\n');
    expect(end).toBe('');
    expect(headings?.startsWith('Move In  Move Out  Move Up  Move Down')).toBe(true);
    expect(values?.startsWith('    0.0       5.0     10.0       15.0')).toBe(true);
    // mean of 0, 0.05, …, 0.7 = 0.35 → 35.0
    expect(headings?.endsWith('Static  Mean')).toBe(true);
    expect(values?.endsWith('  70.0  35.0')).toBe(true);
    expect(headings?.length).toBe(values?.length);
    expect(formatTable1(table1({}), 'auc').split('\n')[1]?.trim().split(/\s+/)).toEqual(Array.from({ length: 16 }, () => '-'));
  });
});
