// Where the Library was in each list: scrolled how far, cursor on which row. Kept in the
// renderer's memory (not the URL, not the server) by query — filter and sort — so that Back from
// Review, or the Library tab, returns to the row a person left, and another list starts at its top.

export interface ListPosition {
  scrollTop: number;
  cursor: number;
}

/** Lists remembered at most; the oldest is forgotten first. */
const MAX_LISTS = 50;

const positions = new Map<string, ListPosition>();

export function rememberPosition(key: string, position: ListPosition): void {
  // Delete first: a Map iterates in insertion order, so the newest is last and the oldest first.
  positions.delete(key);
  positions.set(key, position);
  while (positions.size > MAX_LISTS) {
    const oldest = positions.keys().next();
    if (oldest.done) break;
    positions.delete(oldest.value);
  }
}

export function rememberedPosition(key: string): ListPosition | null {
  return positions.get(key) ?? null;
}
