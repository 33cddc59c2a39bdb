import { describe, expect, it } from 'vitest';
import { setAnswer, stateOfText, textOf, toggleMode } from './editorState';

describe('editor state', () => {
  it('opens well-formed chains as fields and others as raw text, both losslessly', () => {
    const good = '<observation>o</observation>\n<think>t</think>\n<answer>B</answer>';
    const bad = 'Answer: B';
    expect(stateOfText(good).mode).toBe('fields');
    expect(stateOfText(bad).mode).toBe('raw');
    expect(textOf(stateOfText(good))).toBe(good);
    expect(textOf(stateOfText(bad))).toBe(bad);
  });

  it('toggles to raw and back when the text allows', () => {
    const state = stateOfText('<observation>o</observation><think>t</think><answer>B</answer>');
    const raw = toggleMode(state)!;
    expect(raw.mode).toBe('raw');
    expect(toggleMode(raw)).toEqual(state);
    expect(toggleMode({ mode: 'raw', raw: 'no tags' })).toBeNull();
  });

  it('sets the answer letter in either mode', () => {
    expect(textOf(setAnswer(stateOfText('<observation>o</observation><think>t</think><answer>A</answer>'), 'B'))).toBe('<observation>o</observation><think>t</think><answer>B</answer>');
    expect(textOf(setAnswer({ mode: 'raw', raw: 'x' }, 'C'))).toBe('x\n<answer>C</answer>');
  });
});
