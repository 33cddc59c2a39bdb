// Multi-select as in file managers: click selects one, Ctrl/⌘-click toggles one, Shift-click
// selects the range from the anchor (added to the selection with Ctrl/⌘ held).

export interface Selection {
  ids: ReadonlySet<number>;
  /** The row index a Shift-click range starts from. */
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export interface ClickModifiers {
  isShift: boolean;
  isToggle: boolean;
}

/**
 * The selection after clicking row `index` (id `id`). `idsInRange(from, to)` gives the ids of
 * rows from..to inclusive in display order; it may be async when rows are not loaded.
 */
export async function clickSelection(
  selection: Selection,
  index: number,
  id: number,
  modifiers: ClickModifiers,
  idsInRange: (from: number, to: number) => Promise<readonly number[]> | readonly number[],
): Promise<Selection> {
  if (modifiers.isShift && selection.anchor !== null) {
    const from = Math.min(selection.anchor, index);
    const to = Math.max(selection.anchor, index);
    const range = await idsInRange(from, to);
    const ids = modifiers.isToggle ? new Set(selection.ids) : new Set<number>();
    for (const rangeId of range) ids.add(rangeId);
    return { ids, anchor: selection.anchor };
  }
  if (modifiers.isToggle) {
    const ids = new Set(selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index };
  }
  return { ids: new Set([id]), anchor: index };
}

export function toggleOne(selection: Selection, index: number, id: number): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index };
}
