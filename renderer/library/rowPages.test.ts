import { describe, expect, it } from 'vitest';
import type { LibraryRow } from '../../common/api/contract';
import { emptyPages, missingPages, PAGE_SIZE, rowAt } from './rowPages';

describe('row pages', () => {
  it('asks only for pages in view that are neither loaded nor loading, within the total', () => {
    const state = emptyPages(1);
    expect(missingPages(state, 0, 30)).toEqual([0]);
    state.total = PAGE_SIZE * 3 + 5;
    state.pages.set(0, []);
    state.loading.add(1);
    expect(missingPages(state, 150, PAGE_SIZE * 5)).toEqual([2, 3]);
    expect(missingPages(state, 10, 5)).toEqual([]);
  });

  it('finds a row by its index', () => {
    const state = emptyPages(1);
    const row = { id: 7 } as LibraryRow;
    state.pages.set(2, [row]);
    expect(rowAt(state, PAGE_SIZE * 2)).toBe(row);
    expect(rowAt(state, 0)).toBeUndefined();
  });
});

describe('stale pages', () => {
  it('keeps the old rows until the new query’s first page replaces them all', async () => {
    const { stalePages, withPage } = await import('./rowPages');
    const old = withPage(emptyPages(1), 0, [{ id: 1 } as LibraryRow], 500);
    const stale = stalePages(withPage(old, 1, [{ id: 2 } as LibraryRow], 500), 2);
    expect(stale.isStale).toBe(true);
    expect(rowAt(stale, 0)?.id).toBe(1);
    expect(missingPages(stale, 0, 10)).toEqual([]);
    const fresh = withPage(stale, 0, [{ id: 9 } as LibraryRow], 3);
    expect(fresh.isStale).toBe(false);
    expect(rowAt(fresh, 0)?.id).toBe(9);
    expect(rowAt(fresh, PAGE_SIZE)).toBeUndefined();
    expect(fresh.total).toBe(3);
  });
});
