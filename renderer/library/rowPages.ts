// Library rows fetched a page at a time as the table scrolls: a 100k-sample project never
// crosses the wire at once. A new filter or sort starts a new generation; answers for an older
// one are dropped. Generic over the row: Inspect pages a run's prediction rows the same way.
import type { LibraryFilter, LibraryRow, LibrarySort } from '../../common/api/contract';

export const PAGE_SIZE = 200;

export interface RowPages<Row = LibraryRow> {
  generation: number;
  total: number | null;
  pages: Map<number, Row[]>;
  loading: Set<number>;
  /**
   * The pages are the previous query's, still on screen until the new query's first page
   * arrives: no flash of empty rows, and one render less before the new rows paint.
   */
  isStale: boolean;
}

export function emptyPages<Row = LibraryRow>(generation: number): RowPages<Row> {
  return { generation, total: null, pages: new Map(), loading: new Set(), isStale: false };
}

/** A new query that keeps the current rows on screen until its first page replaces them. */
export function stalePages<Row>(previous: RowPages<Row>, generation: number): RowPages<Row> {
  return { generation, total: previous.total, pages: previous.pages, loading: new Set(), isStale: previous.total !== null };
}

/** The state after page `page` of the current generation arrived. */
export function withPage<Row>(state: RowPages<Row>, page: number, rows: Row[], total: number): RowPages<Row> {
  const pages = state.isStale ? new Map<number, Row[]>() : new Map(state.pages);
  pages.set(page, rows);
  const loading = new Set(state.loading);
  loading.delete(page);
  return { ...state, total, pages, loading, isStale: false };
}

/** Pages covering rows first..last that are neither loaded nor loading. */
export function missingPages<Row>(state: RowPages<Row>, first: number, last: number): number[] {
  const missing: number[] = [];
  if (last < first) return missing;
  for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
    if (state.total !== null && page * PAGE_SIZE >= state.total) break;
    if (!state.pages.has(page) && !state.loading.has(page)) missing.push(page);
  }
  return missing;
}

export function rowAt<Row>(state: RowPages<Row>, index: number): Row | undefined {
  return state.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}

export function queryKey(filter: LibraryFilter, sort: LibrarySort): string {
  return JSON.stringify([filter, sort]);
}
