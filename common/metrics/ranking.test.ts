import { describe, expect, it } from 'vitest';
import { averagePrecision, rocAuc } from './ranking';
import type { BinaryLabel } from './ranking';

// Every expected value is worked out by hand in the comment above it: P = precision, R = recall
// at each distinct threshold (highest score first), AP = Σ (R_n − R_{n−1}) P_n; ROC points are
// (FPR, TPR) from (0, 0), AUC = Σ Δx · (y_{i+1} + y_i) / 2. Where the float arithmetic matters,
// the expectation repeats sklearn's own operations so `toBe` (bit equality) holds.

describe('averagePrecision', () => {
  it('is 1 for a perfect ranking', () => {
    // scores .9 .8 .3 .1 / labels 1 1 0 0: (P, R) = (1, ½) (1, 1) (⅔, 1) (½, 1)
    // AP = ½·1 + ½·1 + 0 + 0 = 1
    expect(averagePrecision([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1])).toBe(1);
  });

  it('credits the positives only where they finally rank, for an inverted ranking', () => {
    // labels 0 0 1 1: (P, R) = (0, 0) (0, 0) (⅓, ½) (½, 1)
    // AP = ½·⅓ + ½·½ = 1/6 + 1/4 = 5/12
    const expected = 0.25 + 0.5 * (1 / 3);
    expect(averagePrecision([0, 0, 1, 1], [0.9, 0.8, 0.3, 0.1])).toBe(expected);
    expect(expected).toBeCloseTo(5 / 12, 15);
  });

  it('equals the positive rate when every score is tied', () => {
    // one threshold: tps = 2, fps = 3 → P = 2/5, R = 1 → AP = 1 · 2/5
    expect(averagePrecision([1, 0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5, 0.5])).toBe(0.4);
  });

  it('groups partial ties into one threshold', () => {
    // scores .9 .9 | .5 .5 .5 | .1, labels 1 0 | 1 0 1 | 0
    // (P, R) = (1/2, 1/3) (3/5, 1) (1/2, 1) → AP = ⅓·½ + ⅔·⅗ + 0 = 1/6 + 2/5 = 17/30
    const ap = averagePrecision([1, 0, 1, 0, 1, 0], [0.9, 0.9, 0.5, 0.5, 0.5, 0.1]);
    // sklearn sums the reversed steps: (1 − 1)·½ + (⅓ − 1)·⅗ + (0 − ⅓)·½, then negates
    expect(ap).toBe(-(0 + (1 / 3 - 1) * (3 / 5) + (0 - 1 / 3) * (1 / 2)));
    expect(ap).toBeCloseTo(17 / 30, 15);
  });

  it('scores a model that only emits letters (Yes = 1, No = 0)', () => {
    // labels 1 0 1 0 0 0 1 0, said Yes to samples 0, 1, 6:
    // score 1: tps 2, fps 1 → (P, R) = (2/3, 2/3); score 0: tps 3, fps 5 → (3/8, 1)
    // AP = ⅔·⅔ + ⅓·⅜ = 4/9 + 1/8 = 41/72
    const ap = averagePrecision([1, 0, 1, 0, 0, 0, 1, 0], [1, 1, 0, 0, 0, 0, 1, 0]);
    expect(ap).toBe(-(0 + (2 / 3 - 1) * (3 / 8) + (0 - 2 / 3) * (2 / 3)));
    expect(ap).toBeCloseTo(41 / 72, 15);
  });

  it('is 0 with no positives (recall is set to 1) and 1 with no negatives', () => {
    // no positives: reversed R = [1, 1, 0], reversed P = [0, 0, 1]; steps 0·0 + (0 − 1)·0 → 0
    expect(averagePrecision([0, 0, 0], [0.3, 0.2, 0.1])).toBe(0);
    // no negatives: P = 1 everywhere, R = ⅓ ⅔ 1 → ⅓ + ⅓ + ⅓
    expect(averagePrecision([1, 1, 1], [0.3, 0.2, 0.1])).toBe(1);
  });

  it('does not depend on the order of the samples', () => {
    const labels: BinaryLabel[] = [1, 0, 1, 0, 1, 0];
    const scores = [0.9, 0.9, 0.5, 0.5, 0.5, 0.1];
    const order = [5, 2, 0, 4, 1, 3];
    const shuffledLabels = order.map((index): BinaryLabel => labels[index] ?? 0);
    const shuffledScores = order.map((index) => scores[index] ?? 0);
    expect(averagePrecision(shuffledLabels, shuffledScores)).toBe(averagePrecision(labels, scores));
  });

  it('rejects what sklearn rejects', () => {
    expect(() => averagePrecision([1, 0], [0.5])).toThrow(RangeError);
    expect(() => averagePrecision([], [])).toThrow(/no samples/);
    expect(() => averagePrecision([1, 0], [Number.NaN, 0.5])).toThrow(/not finite/);
    expect(() => averagePrecision([1, 0], [Number.POSITIVE_INFINITY, 0.5])).toThrow(/not finite/);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking and 0 for an inverted one', () => {
    expect(rocAuc([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.3, 0.1])).toBe(0);
  });

  it('is ½ when every score is tied', () => {
    // points (0, 0) (1, 1): 1 · (1 + 0) / 2
    expect(rocAuc([1, 0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 0], [0.5, 0.5])).toBe(0.5);
  });

  it('counts a tied positive–negative pair as one half', () => {
    // scores .9 .9 | .5 .5 .5 | .1, labels 1 0 | 1 0 1 | 0 → (fps, tps) = (1, 1) (2, 3) (3, 3)
    // points (0,0) (⅓,⅓) (⅔,1) (1,1): ⅓·⅓/2 + ⅓·(4/3)/2 + ⅓·2/2 = 1/18 + 4/18 + 6/18 = 11/18
    // pairs: the .9 positive beats 2 negatives and ties 1 (2.5), each .5 positive 1.5 → 5.5 / 9
    const auc = rocAuc([1, 0, 1, 0, 1, 0], [0.9, 0.9, 0.5, 0.5, 0.5, 0.1]);
    const expected = 0 + ((1 / 3 - 0) * (1 / 3 + 0)) / 2 + ((2 / 3 - 1 / 3) * (1 + 1 / 3)) / 2 + ((1 - 2 / 3) * (1 + 1)) / 2;
    expect(auc).toBe(expected);
    expect(auc).toBeCloseTo(11 / 18, 15);
  });

  it('drops collinear points before summing, as roc_curve does', () => {
    // scores .9 .8 .7 .1, labels 1 1 1 0: (fps, tps) = (0,1) (0,2) (0,3) (1,3); the middle two
    // lie on a straight line (second differences 0), so the curve is (0,0) (0,1) (1,1): AUC 1
    expect(rocAuc([1, 1, 1, 0], [0.9, 0.8, 0.7, 0.1])).toBe(1);
  });

  it('equals balanced accuracy for a model that only emits letters', () => {
    // labels 1 0 1 0 0 0 1 0, Yes for samples 0, 1, 6 → points (0,0) (⅕,⅔) (1,1)
    // ⅕·⅔/2 + ⅘·(5/3)/2 = 1/15 + 2/3 = 11/15 = (TPR ⅔ + TNR ⅘) / 2
    const auc = rocAuc([1, 0, 1, 0, 0, 0, 1, 0], [1, 1, 0, 0, 0, 0, 1, 0]);
    expect(auc).toBe(0 + ((1 / 5 - 0) * (2 / 3 + 0)) / 2 + ((1 - 1 / 5) * (1 + 2 / 3)) / 2);
    expect(auc).toBeCloseTo(11 / 15, 15);
  });

  it('is null when one class only is present', () => {
    expect(rocAuc([0, 0, 0], [0.3, 0.2, 0.1])).toBeNull();
    expect(rocAuc([1, 1], [0.3, 0.2])).toBeNull();
  });

  it('rejects what sklearn rejects', () => {
    expect(() => rocAuc([1], [0.5, 0.2])).toThrow(RangeError);
    expect(() => rocAuc([], [])).toThrow(/no samples/);
    expect(() => rocAuc([1, 0], [0.5, Number.NaN])).toThrow(/not finite/);
  });
});
