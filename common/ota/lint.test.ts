import { describe, expect, it } from 'vitest';
import { lintChain, type LintCode, type LintContext } from './lint';

const options = ['A. No', 'B. Yes'];
const clean = '<observation>The background drifts right across the frames.</observation>' +
  '<think>Uniform drift without parallax means the camera pans left.</think><answer>B</answer>';
const fullContext: LintContext = { options, primitive: 'Pan_Left', norms: { median: 170, p05: 140, p95: 220 } };

function codes(text: string, context: LintContext = fullContext): LintCode[] {
  return lintChain(text, context).map((issue) => issue.code);
}

describe('lintChain', () => {
  it('finds nothing in a clean chain with every check enabled', () => {
    expect(lintChain(clean, fullContext)).toEqual([]);
  });

  it('works without a context', () => {
    expect(lintChain(clean)).toEqual([]);
  });

  it.each<[LintCode, string]>([
    ['missing-tag', '<think>t</think><answer>B</answer>'],
    ['repeated-tag', `${clean}<answer>B</answer>`],
    ['misordered-tags', '<think>t</think><observation>o</observation><answer>B</answer>'],
    ['nested-tag', '<observation>o<think>t</think></observation><answer>B</answer>'],
    ['unclosed-tag', '<observation>o</observation><think>t</think><answer>B'],
    ['unopened-tag', '<observation>o</observation></think><answer>B</answer>'],
    ['tag-spacing', '<observation>o</observation><think>t</think>< answer >B</answer>'],
    ['text-outside-tags', `Sure! ${clean}`],
    ['empty-observation', '<observation> </observation><think>t</think><answer>B</answer>'],
    ['empty-think', '<observation>o</observation><think>\n</think><answer>B</answer>'],
    ['empty-answer', '<observation>o</observation><think>t</think><answer></answer>'],
    ['answer-not-an-option', '<observation>o</observation><think>t</think><answer>C</answer>'],
    ['answer-not-bare-letter', '<observation>o</observation><think>t</think><answer>B. Yes</answer>'],
    ['no-format-reward', `${clean} thanks`],
    ['length-outlier', '<observation>o</observation><think>t</think><answer>B</answer>'],
    ['length-outlier', clean.replace('frames.', `frames.${' and so on'.repeat(40)}`)],
    ['motion-contradiction', clean.replace('drifts right', 'pans right')],
  ])('%s fires', (code, text) => {
    expect(codes(text)).toContain(code);
    expect(codes(clean)).not.toContain(code);
  });

  it('names the missing section', () => {
    const issues = lintChain('<observation>o</observation><answer>B</answer>', {});
    expect(issues.filter((issue) => issue.code === 'missing-tag').map((issue) => issue.message)).toEqual(['The chain has no <think> section.']);
  });

  it('maps motion-claim offsets back to the whole text and reads yes/no from the option', () => {
    const text = clean.replace('drifts right', 'pans right');
    const [issue] = lintChain(text, fullContext).filter((found) => found.code === 'motion-contradiction');
    expect(issue && text.slice(issue.span?.start, issue.span?.end)).toBe('pans right');
    // Answered "No" (A), "pans right" agrees; the think's "pans left" is now the contradiction.
    const answeredNo = text.replace('<answer>B</answer>', '<answer>A</answer>');
    const flagged = lintChain(answeredNo, fullContext)
      .filter((found) => found.code === 'motion-contradiction')
      .map((found) => answeredNo.slice(found.span?.start, found.span?.end));
    expect(flagged).toEqual(['pans left']);
  });

  it('gives spans that point at the offending text', () => {
    const text = '<observation>o</observation><think>t</think><answer>C</answer>';
    const [issue] = lintChain(text, { options }).filter((found) => found.code === 'answer-not-an-option');
    expect(issue?.severity).toBe('error');
    expect(text.slice(issue?.span?.start, issue?.span?.end)).toBe('C');
  });

  it('accepts lower-case and spaced letters the reward and evaluator both accept', () => {
    const lower = clean.replace('<answer>B</answer>', '<answer> b </answer>');
    expect(codes(lower).filter((code) => code.startsWith('answer-'))).toEqual([]);
  });

  it('does not report misordering for nested sections twice', () => {
    const nested = codes('<observation>o<think>t</think></observation><answer>B</answer>');
    expect(nested).toContain('nested-tag');
    expect(nested).not.toContain('misordered-tags');
  });
});
