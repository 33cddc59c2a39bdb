import { describe, expect, it } from 'vitest';
import { clickSelection, EMPTY_SELECTION } from './selection';

const ids = [10, 11, 12, 13, 14, 15];
const range = (from: number, to: number) => ids.slice(from, to + 1);
const plain = { isShift: false, isToggle: false };

describe('clickSelection', () => {
  it('selects one on click, toggles with Ctrl, ranges with Shift from the anchor', async () => {
    let selection = await clickSelection(EMPTY_SELECTION, 1, 11, plain, range);
    expect([...selection.ids]).toEqual([11]);
    selection = await clickSelection(selection, 4, 14, { isShift: true, isToggle: false }, range);
    expect([...selection.ids].sort()).toEqual([11, 12, 13, 14]);
    selection = await clickSelection(selection, 2, 12, { isShift: false, isToggle: true }, range);
    expect([...selection.ids].sort()).toEqual([11, 13, 14]);
    expect(selection.anchor).toBe(2);
    selection = await clickSelection(selection, 0, 10, { isShift: true, isToggle: true }, range);
    expect([...selection.ids].sort()).toEqual([10, 11, 12, 13, 14]);
    selection = await clickSelection(selection, 5, 15, plain, range);
    expect([...selection.ids]).toEqual([15]);
  });

  it('waits for ids of rows not loaded yet', async () => {
    const first = await clickSelection(EMPTY_SELECTION, 0, 10, plain, range);
    const selection = await clickSelection(first, 3, 13, { isShift: true, isToggle: false }, async (from, to) => range(from, to));
    expect(selection.ids.size).toBe(4);
  });
});
