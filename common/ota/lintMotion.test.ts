// lintChain with the real motion-claim finder (common/camerabench/motionClaims), end to end.
import { describe, expect, it } from 'vitest';
import { lintChain } from './lint';

const options = ['A. No', 'B. Yes'];

describe('lintChain motion contradictions (real finder)', () => {
  it('flags an observation that contradicts a Yes answer, with the span in the whole text', () => {
    const text = '<observation>The camera pans right across the street.</observation>' +
      '<think>The content drifts, so it is a pan.</think><answer>B</answer>';
    const issues = lintChain(text, { options, primitive: 'Pan_Left' }).filter((issue) => issue.code === 'motion-contradiction');
    expect(issues).toHaveLength(1);
    expect(text.slice(issues[0]?.span?.start, issues[0]?.span?.end)).toMatch(/pans right/);
  });

  it('flags a think that asserts the motion a No answer denies', () => {
    const text = '<observation>The background drifts right.</observation><think>So the camera pans left.</think><answer>A</answer>';
    const issues = lintChain(text, { options, primitive: 'Pan_Left' }).filter((issue) => issue.code === 'motion-contradiction');
    expect(issues).toHaveLength(1);
    expect(text.slice(issues[0]?.span?.start, issues[0]?.span?.end)).toMatch(/pans left/);
  });

  it('stays quiet when the reasoning agrees with the answer', () => {
    const text = '<observation>The background drifts right.</observation><think>So the camera pans left.</think><answer>B</answer>';
    expect(lintChain(text, { options, primitive: 'Pan_Left' })).toEqual([]);
  });
});
