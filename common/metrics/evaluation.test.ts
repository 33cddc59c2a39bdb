import { describe, expect, it } from 'vitest';
import { accuracyByPrimitive, evaluationMetrics } from './evaluation';

describe('evaluationMetrics', () => {
  it('writes overall and per-type accuracy in first-seen order', () => {
    const metrics = evaluationMetrics([
      { problem_type: 'multiple choice', accuracy: 1, problem_id: 'Pan_Left_1' },
      { problem_type: ' numerical ', accuracy: 0 },
      { problem_type: 'multiple choice', accuracy: 0, problem_id: 'Pan_Left_2' },
      { problem_type: 'multiple choice\n', accuracy: 1, problem_id: 'Zoom_In_3' },
    ]);
    // overall 2/4; "multiple choice" 2/3 (the trailing newline is stripped); "numerical" 0/1
    expect(metrics).toEqual({ 'overall/acc': 0.5, 'multiple choice/acc': 2 / 3, 'numerical/acc': 0 });
    expect(Object.keys(metrics)).toEqual(['overall/acc', 'multiple choice/acc', 'numerical/acc']);
  });

  it('adds in Python\'s order: (0.1 + 0.2 + 0.3) / 3 = 0.20000000000000004', () => {
    const rows = [0.1, 0.2, 0.3].map((accuracy) => ({ problem_type: 'open-ended', accuracy }));
    expect(evaluationMetrics(rows)).toEqual({ 'overall/acc': 0.20000000000000004, 'open-ended/acc': 0.20000000000000004 });
  });

  it('gives overall 0 for no rows (sum / max(1, count))', () => {
    expect(evaluationMetrics([])).toEqual({ 'overall/acc': 0 });
  });

  it('lets a type named "overall" overwrite the overall key in place, as the Python dict does', () => {
    const metrics = evaluationMetrics([
      { problem_type: 'x', accuracy: 1 },
      { problem_type: 'overall', accuracy: 0 },
    ]);
    expect(Object.entries(metrics)).toEqual([['overall/acc', 0], ['x/acc', 1]]);
  });

  it('writes component means and recalls at 0.3, 0.5 and 0.7 after all accuracies', () => {
    const metrics = evaluationMetrics([
      { problem_type: 'temporal grounding', accuracy: 0.6, components: { tiou: 0.6 } },
      { problem_type: 'multiple choice', accuracy: 1 },
      { problem_type: 'temporal grounding', accuracy: 0.2, components: { tiou: 0.2 } },
    ]);
    expect(Object.keys(metrics)).toEqual([
      'overall/acc', 'temporal grounding/acc', 'multiple choice/acc',
      'temporal grounding/tiou/mean', 'temporal grounding/tiou/R@0.3', 'temporal grounding/tiou/R@0.5', 'temporal grounding/tiou/R@0.7',
    ]);
    // tiou 0.6 and 0.2: mean (0.6 + 0.2) / 2; ≥ 0.3: 1 of 2, ≥ 0.5: 1 of 2, ≥ 0.7: 0 of 2
    expect(metrics['temporal grounding/tiou/mean']).toBe((0.6 + 0.2) / 2);
    expect(metrics['temporal grounding/tiou/R@0.3']).toBe(0.5);
    expect(metrics['temporal grounding/tiou/R@0.5']).toBe(0.5);
    expect(metrics['temporal grounding/tiou/R@0.7']).toBe(0);
    expect(metrics['overall/acc']).toBe((0.6 + 1 + 0.2) / 3);
  });
});


describe('accuracyByPrimitive', () => {
  it('counts and averages by problem_id prefix in Table-1 order', () => {
    const breakdown = accuracyByPrimitive([
      { problem_type: 'multiple choice', accuracy: 1, problem_id: 'Static_10' },
      { problem_type: 'multiple choice', accuracy: 0, problem_id: 'Pan_Left_1' },
      { problem_type: 'multiple choice', accuracy: 1, problem_id: 'Pan_Left_2' },
      { problem_type: 'multiple choice', accuracy: 1, problem_id: 'Pan_Left_3' },
      { problem_type: 'multiple choice', accuracy: 1, problem_id: 'Crane_Up_1' },
      { problem_type: 'multiple choice', accuracy: 0 },
    ]);
    expect(breakdown).toEqual({
      primitives: [
        { primitive: 'Pan_Left', count: 3, correct: 2, accuracy: 2 / 3 },
        { primitive: 'Static', count: 1, correct: 1, accuracy: 1 },
      ],
      unmatchedCount: 2,
    });
  });
});
