import { describe, expect, it } from 'vitest';
import { composeChain, optionLetter, splitChain } from './chainFields';

describe('splitChain / composeChain', () => {
  it('round-trips a well-formed chain byte for byte, layout included', () => {
    for (const text of [
      '<observation>a</observation>\n<think>b</think>\n<answer>B</answer>',
      '  <observation> a\nb </observation><think>t</think>\n\n<answer> A </answer>\n',
    ]) {
      const split = splitChain(text);
      expect(split).not.toBeNull();
      expect(composeChain(split!.fields, split!.layout)).toBe(text);
    }
  });

  it('gives the fields', () => {
    expect(splitChain('<observation>o</observation><think>t</think><answer>B</answer>')?.fields).toEqual({ observation: 'o', think: 't', answer: 'B' });
  });

  it('starts empty fields for an empty chain', () => {
    expect(splitChain('')?.fields).toEqual({ observation: '', think: '', answer: '' });
    expect(composeChain({ observation: 'o', think: 't', answer: 'A' })).toBe('<observation>o</observation>\n<think>t</think>\n<answer>A</answer>');
  });

  it('refuses chains that three fields cannot represent exactly', () => {
    for (const text of [
      '<think>t</think><answer>B</answer>',
      '<observation>o</observation><answer>B</answer><think>t</think>',
      'intro <observation>o</observation><think>t</think><answer>B</answer>',
      '<observation>o</observation><think>t</think><answer>B</answer><answer>A</answer>',
      '<observation>o</observation>< think >t</think><answer>B</answer>',
      '<observation>o</observation><think>t</think><answer>B',
      '<observation>o <think>x</think></observation><think>t</think><answer>B</answer>',
    ]) expect(splitChain(text), text).toBeNull();
  });
});

describe('optionLetter', () => {
  it('reads the letter of common option styles', () => {
    expect(optionLetter('A. No', 0)).toBe('A');
    expect(optionLetter('(C) maybe', 0)).toBe('C');
    expect(optionLetter('D', 0)).toBe('D');
    expect(optionLetter('yes', 1)).toBe('B');
  });
});

describe('fieldOffsets and withAnswer', () => {
  it('locates each field in the composed text', async () => {
    const { fieldOffsets } = await import('./chainFields');
    const text = ' <observation>obs</observation>\n<think>th</think> <answer>B</answer>';
    const split = splitChain(text)!;
    const offsets = fieldOffsets(split.fields, split.layout);
    expect(text.slice(offsets.observation, offsets.observation + 3)).toBe('obs');
    expect(text.slice(offsets.think, offsets.think + 2)).toBe('th');
    expect(text.slice(offsets.answer, offsets.answer + 1)).toBe('B');
  });
  it('sets the answer in raw text', async () => {
    const { withAnswer } = await import('./chainFields');
    expect(withAnswer('x <answer>A</answer> y', 'B')).toBe('x <answer>B</answer> y');
    expect(withAnswer('<think>t</think>', 'C')).toBe('<think>t</think>\n<answer>C</answer>');
  });
});
