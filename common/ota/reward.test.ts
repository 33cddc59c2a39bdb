import { describe, expect, it } from 'vitest';
import { multipleChoiceAccuracy, predictionOf } from './evalAccuracy';
import { camReasonerReward, formatReward, r1vReward } from './reward';

const chain = '<observation>o</observation><think>t</think><answer>B</answer>';

describe('formatReward', () => {
  it('accepts the O-T-A shape after tag-whitespace normalisation', () => {
    expect(formatReward(chain)).toBe(1);
    expect(formatReward(`\n ${chain.replace('<answer>', '< answer >')} \n`)).toBe(1);
    expect(formatReward(`\x85${chain}`)).toBe(1);
  });

  it('rejects anything else', () => {
    expect(formatReward(`\ufeff${chain}`)).toBe(0);
    expect(formatReward(`${chain} ok`)).toBe(0);
    expect(formatReward('<think>t</think><answer>B</answer>')).toBe(0);
    expect(formatReward('')).toBe(0);
  });
});

describe('camReasonerReward', () => {
  it('weights accuracy and format as onethinker does', () => {
    expect(camReasonerReward(chain, '<answer>B</answer>')).toEqual({ overall: 1, format: 1, accuracy: 1 });
    expect(camReasonerReward(chain, 'A')).toEqual({ overall: 0.1, format: 1, accuracy: 0 });
    expect(camReasonerReward('B', 'B')).toEqual({ overall: 0.9, format: 0, accuracy: 1 });
    expect(camReasonerReward(chain, 'A', { formatWeight: 0.3 }).overall).toBe(0.3);
    expect(camReasonerReward(chain, 'B', { formatWeight: 0 }).overall).toBe(1);
  });
});

describe('r1vReward', () => {
  it('uses the think/answer shape and the raw ground truth', () => {
    const thinkAnswer = '<think>t</think><answer>B</answer>';
    expect(r1vReward(thinkAnswer, 'B')).toEqual({ overall: 1, format: 1, accuracy: 1 });
    expect(r1vReward(thinkAnswer, '<answer>B</answer>')).toEqual({ overall: 0.5, format: 1, accuracy: 0 });
    expect(r1vReward(chain, 'B', { formatWeight: 0.1 }).overall).toBe(0.9);
  });
});

describe('multipleChoiceAccuracy', () => {
  it.each<[string, string, 0 | 1]>([
    ['<answer>B. Yes</answer>', '<answer>B</answer>', 1],
    ['<answer>b</answer>', 'B', 1],
    ['<answer>Yes</answer>', '<answer>B</answer>', 0],
    ['< answer >B</answer>', '<answer>B</answer>', 0],
    ['', '', 1],
    ['<answer>ﬆ</answer>', '<answer>ﬆ</answer>', 1],
    ['<answer>ß</answer>', '<answer>ß</answer>', 0],
    ['<answer>Ｂ</answer>', '<answer>Ｂ</answer>', 0],
  ])('%j against %j → %d', (output, solution, expected) => {
    expect(multipleChoiceAccuracy(output, solution)).toBe(expected);
  });

  it('predicts what eval_bench writes', () => {
    expect(predictionOf('x <answer> B </answer>')).toBe('B');
    expect(predictionOf(' \x85no tag ')).toBe('no tag');
  });
});
