import { describe, expect, it } from 'vitest';
import { isChainDirty, setAnswer, setField, stateOfText, textOf, toggleMode } from './editorState';

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

  it('counts the untouched empty fields of a sample without a chain as no edit, and anything typed as one', () => {
    const empty = stateOfText('');
    expect(textOf(empty)).not.toBe('');
    expect(isChainDirty(empty, '')).toBe(false);
    expect(isChainDirty(stateOfText('  \n'), '  \n')).toBe(false);
    expect(isChainDirty(setField(empty, 'observation', '   '), '')).toBe(false);
    expect(isChainDirty(setField(empty, 'observation', 'Still.'), '')).toBe(true);
    expect(isChainDirty(setAnswer(empty, 'B'), '')).toBe(true);
    expect(isChainDirty({ mode: 'raw', raw: '' }, '')).toBe(false);
    expect(isChainDirty({ mode: 'raw', raw: 'x' }, '')).toBe(true);
    // Switched to raw text, the empty template is still no chain.
    expect(isChainDirty(toggleMode(empty)!, '')).toBe(false);
    expect(isChainDirty({ mode: 'raw', raw: '<observation></observation><think>t</think><answer></answer>' }, '')).toBe(true);
  });

  it('counts any change to an existing chain as an edit, emptying it included', () => {
    const chain = '<observation>o</observation>\n<think>t</think>\n<answer>B</answer>';
    const state = stateOfText(chain);
    expect(isChainDirty(state, chain)).toBe(false);
    expect(isChainDirty(setField(state, 'think', 't2'), chain)).toBe(true);
    const emptied = setField(setField(setField(state, 'observation', ''), 'think', ''), 'answer', '');
    expect(isChainDirty(emptied, chain)).toBe(true);
  });
});
