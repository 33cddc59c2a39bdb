// The Library: every sample in a virtualized table fed page by page by library.query, a filter
// bar over the project's facets, saved views, multi-select with bulk changes, and Enter to review
// a sample with the current filter as the list to step through.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { REVIEW_STATUSES, type LibraryFilter, type LibraryRow, type LibrarySort, type ReviewStatus } from '../../common/api/contract';
import { useCall, useClient, useNotify, useQuery, useRefreshEpoch, errorMessage } from '../app/api';
import { benchHooks } from '../app/bench';
import { cleanFilter, type Route } from '../app/route';
import { isTextTarget } from '../app/shortcuts';
import { FacetMenu } from './FacetMenu';
import { emptyPages, missingPages, PAGE_SIZE, queryKey, rowAt, stalePages, withPage, type RowPages } from './rowPages';
import { clickSelection, EMPTY_SELECTION, toggleOne, type Selection } from './selection';

const ROW_HEIGHT = 30;

interface Column {
  key: string;
  label: string;
  sortKey?: LibrarySort['key'];
  render: (row: LibraryRow) => React.ReactNode;
}

const COLUMNS: Column[] = [
  { key: 'id', label: '#', sortKey: 'id', render: (row) => row.id },
  { key: 'clip', label: 'Clip', sortKey: 'clip', render: (row) => <span title={row.clipName}>{row.clipName}</span> },
  { key: 'question', label: 'Question', render: (row) => <span title={row.question}>{row.question}</span> },
  { key: 'primitive', label: 'Primitive', sortKey: 'primitive', render: (row) => row.primitive ?? '—' },
  { key: 'answer', label: 'Ans', sortKey: 'answer', render: (row) => row.answer ?? '—' },
  { key: 'split', label: 'Split', sortKey: 'split', render: (row) => row.split },
  { key: 'status', label: 'Status', sortKey: 'status', render: (row) => <span className={`status-pill ${row.status}`}>{row.status}</span> },
  { key: 'chain', label: 'Words', sortKey: 'chainLength', render: (row) => row.chainLength || '—' },
  {
    key: 'lint', label: 'Lint', render: (row) => row.lint.length === 0 ? <span className="ok">✓</span> : <span className="warn" title={row.lint.join(', ')}>{row.lint.length}</span>,
  },
  { key: 'contradictions', label: '⚠', render: (row) => (row.contradictions > 0 ? <span className="bad">{row.contradictions}</span> : '') },
  { key: 'tags', label: 'Tags', render: (row) => <span title={row.tags.join(', ')}>{row.tags.join(', ')}</span> },
  { key: 'updated', label: 'Updated', sortKey: 'updated', render: (row) => row.updatedAt.slice(0, 16).replace('T', ' ') },
];

type SetRoute = (route: Route, options?: { replace?: boolean }) => void;

export function LibraryView({ route, setRoute }: { route: Route; setRoute: SetRoute }) {
  const client = useClient();
  const notify = useNotify();
  const call = useCall();
  const epoch = useRefreshEpoch();
  const filter = useMemo(() => cleanFilter(route.filter), [route.filter]);
  const sort = route.sort;
  const key = queryKey(filter, sort);
  const facets = useQuery('library.facets', {});
  const views = useQuery('views.list', {});

  const [pages, setPages] = useState<RowPages>(() => emptyPages(0));
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const generationRef = useRef(0);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [cursor, setCursor] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const idsCache = useRef<{ key: string; epoch: number; ids: Promise<number[]> } | null>(null);
  /** The input event behind the current query, for the bench's filter → rows painted timing. */
  const pendingInput = useRef<{ at: number; detail: string } | null>(null);

  // The route as of now, not as of the render that made a callback: a debounced search must
  // not bring back a sort or filter changed since.
  const routeRef = useRef(route);
  routeRef.current = route;
  const setFilter = useCallback((next: LibraryFilter, inputAt?: number, options?: { replace?: boolean }) => {
    if (inputAt !== undefined) pendingInput.current = { at: inputAt, detail: JSON.stringify(next) };
    setRoute({ ...routeRef.current, filter: cleanFilter(next) }, options);
  }, [setRoute]);

  const fetchPage = useCallback((generation: number, page: number) => {
    setPages((state) => {
      if (state.generation !== generation) return state;
      const loading = new Set(state.loading);
      loading.add(page);
      return { ...state, loading };
    });
    client.call('library.query', { filter, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
      (result) => {
        setPages((state) => (state.generation === generation ? withPage(state, page, result.rows, result.total) : state));
      },
      (error: unknown) => {
        setPages((state) => {
          if (state.generation !== generation) return state;
          const loading = new Set(state.loading);
          loading.delete(page);
          return { ...state, total: state.total ?? 0, loading };
        });
        notify('error', `library.query: ${errorMessage(error)}`);
      },
    );
  }, [client, filter, sort, notify]);

  // A new filter, sort or refresh: a new generation, starting at the rows in view.
  useEffect(() => {
    const generation = ++generationRef.current;
    const previous = pagesRef.current;
    const first = Math.floor((scrollRef.current?.scrollTop ?? 0) / ROW_HEIGHT);
    const isSameQuery = previous.generation > 0 && lastKey.current === key;
    lastKey.current = key;
    // A refresh of the same query keeps the rows on screen until the new ones arrive (no flash).
    setPages(isSameQuery ? { ...previous, generation, loading: new Set(), pages: new Map(previous.pages), isStale: false } : stalePages(previous, generation));
    if (!isSameQuery) {
      setCursor(0);
      scrollRef.current?.scrollTo({ top: 0 });
    }
    const firstPage = isSameQuery ? Math.floor(first / PAGE_SIZE) : 0;
    fetchPage(generation, firstPage);
    if (isSameQuery) {
      // Refetch the other loaded pages in the background.
      for (const page of previous.pages.keys()) if (page !== firstPage) fetchPage(generation, page);
    }
  }, [key, epoch]);
  const lastKey = useRef<string | null>(null);

  const total = pages.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstVisible = items[0]?.index ?? 0;
  const lastVisible = items.at(-1)?.index ?? -1;

  useEffect(() => {
    for (const page of missingPages(pages, firstVisible, lastVisible)) fetchPage(pages.generation, page);
  }, [pages, firstVisible, lastVisible, fetchPage]);

  // Bench: the first paint that shows rows of the query an input asked for.
  useLayoutEffect(() => {
    const input = pendingInput.current;
    const hooks = benchHooks();
    if (!input || !hooks || pages.total === null || pages.isStale) return;
    if (pages.total > 0 && !pages.pages.has(Math.floor(firstVisible / PAGE_SIZE))) return;
    pendingInput.current = null;
    requestAnimationFrame(() => hooks.libraryPaints.push({ inputAt: input.at, paintedAt: performance.now(), detail: input.detail }));
  }, [pages, firstVisible]);

  const allIds = useCallback((): Promise<number[]> => {
    if (idsCache.current && idsCache.current.key === key && idsCache.current.epoch === epoch) return idsCache.current.ids;
    const ids = client.call('library.ids', { filter, sort }).then((result) => result.ids);
    idsCache.current = { key, epoch, ids };
    ids.catch(() => {
      idsCache.current = null;
    });
    return ids;
  }, [client, filter, sort, key, epoch]);

  const idsInRange = useCallback(async (from: number, to: number): Promise<number[]> => {
    const loaded: number[] = [];
    for (let index = from; index <= to; index++) {
      const row = rowAt(pagesRef.current, index);
      if (!row) return (await allIds()).slice(from, to + 1);
      loaded.push(row.id);
    }
    return loaded;
  }, [allIds]);

  useEffect(() => setSelection(EMPTY_SELECTION), [key]);

  const openReview = useCallback((id: number) => {
    setRoute({ ...route, tab: 'review', sampleId: id, filter });
  }, [route, setRoute, filter]);

  const onRowClick = useCallback((event: ReactMouseEvent, index: number, row: LibraryRow) => {
    setCursor(index);
    const modifiers = { isShift: event.shiftKey, isToggle: event.ctrlKey || event.metaKey };
    clickSelection(selection, index, row.id, modifiers, idsInRange).then(setSelection, (error: unknown) => notify('error', errorMessage(error)));
  }, [selection, idsInRange, notify]);

  const selectAll = useCallback(() => {
    allIds().then((ids) => setSelection({ ids: new Set(ids), anchor: null }), (error: unknown) => notify('error', `library.ids: ${errorMessage(error)}`));
  }, [allIds, notify]);

  const moveCursor = useCallback((next: number, extend: boolean) => {
    const clamped = Math.max(0, Math.min(total - 1, next));
    if (total === 0) return;
    setCursor(clamped);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
    if (extend) {
      const anchor = selection.anchor ?? cursor;
      idsInRange(Math.min(anchor, clamped), Math.max(anchor, clamped)).then((ids) => setSelection({ ids: new Set(ids), anchor }), () => undefined);
    }
  }, [total, virtualizer, selection.anchor, cursor, idsInRange]);

  const onKeyDown = useCallback((event: ReactKeyboardEvent) => {
    if (isTextTarget(event.target)) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    const isMod = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case 'ArrowDown':
        moveCursor(cursor + 1, event.shiftKey);
        break;
      case 'ArrowUp':
        moveCursor(cursor - 1, event.shiftKey);
        break;
      case 'PageDown':
        moveCursor(cursor + page, event.shiftKey);
        break;
      case 'PageUp':
        moveCursor(cursor - page, event.shiftKey);
        break;
      case 'Home':
        moveCursor(0, event.shiftKey);
        break;
      case 'End':
        moveCursor(total - 1, event.shiftKey);
        break;
      case ' ': {
        const row = rowAt(pages, cursor);
        if (row) setSelection((current) => toggleOne(current, cursor, row.id));
        break;
      }
      case 'Enter': {
        const row = rowAt(pages, cursor);
        if (row) openReview(row.id);
        break;
      }
      case 'Escape':
        setSelection(EMPTY_SELECTION);
        break;
      case 'a':
      case 'A':
        if (!isMod) return;
        selectAll();
        break;
      case '/':
        document.getElementById('library-search')?.focus();
        break;
      default:
        return;
    }
    event.preventDefault();
  }, [cursor, moveCursor, pages, total, openReview, selectAll]);

  // Keys reach the table wherever focus is in the view (but not in the filter bar's fields).
  const viewRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!viewRef.current?.contains(document.activeElement) || document.activeElement === document.body) scrollRef.current?.focus({ preventScroll: true });
  }, []);

  const toggleSort = (sortKey: LibrarySort['key']) => {
    const direction = sort.key === sortKey && sort.direction === 'asc' ? 'desc' : 'asc';
    setRoute({ ...route, sort: { key: sortKey, direction } });
  };

  const bulk = async (change: { status?: ReviewStatus; split?: string; addTags?: string[]; removeTags?: string[] }) => {
    const ids = [...selection.ids];
    if (ids.length === 0) return;
    const result = await call('library.bulkUpdate', { ids, ...change });
    if (result) notify('success', `Updated ${result.updated.toLocaleString()} sample${result.updated === 1 ? '' : 's'}.`);
  };

  return (
    <div className="library" ref={viewRef}>
      <FilterBar
        filter={filter}
        facets={facets.data}
        setFilter={setFilter}
        views={views.data?.views ?? []}
        onApplyView={(view) => setRoute({ ...route, filter: cleanFilter(view.filter), sort: view.sort })}
        onSaveView={async (name) => {
          if (await call('views.save', { name, filter, sort })) {
            notify('success', `Saved view “${name}”.`);
            views.reload();
          }
        }}
        onDeleteView={async (name) => {
          if (await call('views.delete', { name })) views.reload();
        }}
      />
      <div className="library-status">
        <span data-testid="library-total">{pages.total === null ? 'Loading…' : `${total.toLocaleString()} sample${total === 1 ? '' : 's'}`}</span>
        {selection.ids.size > 0 && <BulkBar count={selection.ids.size} onChange={bulk} onClear={() => setSelection(EMPTY_SELECTION)} />}
        {selection.ids.size === 0 && <span className="hint">Click, Shift-click, Ctrl-click to select · Ctrl+A all · Enter opens Review · drop JSON files to import</span>}
      </div>
      <div className="table" role="grid" aria-rowcount={total}>
        <div className="table-head row" role="row">
          {COLUMNS.map((column) => (
            <div
              key={column.key}
              role="columnheader"
              className={`cell col-${column.key}${column.sortKey ? ' sortable' : ''}`}
              aria-sort={column.sortKey && sort.key === column.sortKey ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
              onClick={column.sortKey ? () => toggleSort(column.sortKey as LibrarySort['key']) : undefined}
            >
              {column.label}
              {column.sortKey && sort.key === column.sortKey ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
            </div>
          ))}
        </div>
        <div className="table-body" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="library-rows">
          <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rowAt(pages, item.index);
              const isSelected = row ? selection.ids.has(row.id) : false;
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-selected={isSelected}
                  data-id={row?.id}
                  className={`row${isSelected ? ' selected' : ''}${item.index === cursor ? ' cursor' : ''}${item.index % 2 ? ' odd' : ''}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                  onMouseDown={(event) => {
                    if (event.shiftKey) event.preventDefault(); // no text selection on Shift-click
                  }}
                  onClick={row ? (event) => onRowClick(event, item.index, row) : undefined}
                  onDoubleClick={row ? () => openReview(row.id) : undefined}
                >
                  {row ? COLUMNS.map((column) => <div key={column.key} className={`cell col-${column.key}`}>{column.render(row)}</div>) : <div className="cell loading-row">…</div>}
                </div>
              );
            })}
          </div>
          {pages.total === 0 && <div className="empty">No samples match this filter.</div>}
        </div>
      </div>
    </div>
  );
}

function BulkBar({ count, onChange, onClear }: { count: number; onChange: (change: { status?: ReviewStatus; split?: string; addTags?: string[]; removeTags?: string[] }) => Promise<void>; onClear: () => void }) {
  const [split, setSplit] = useState('');
  const [tag, setTag] = useState('');
  return (
    <div className="bulk" data-testid="bulk-bar">
      <strong>{count.toLocaleString()} selected</strong>
      <label>
        status
        <select aria-label="Set status of selected" value="" onChange={(event) => event.target.value && void onChange({ status: event.target.value as ReviewStatus })}>
          <option value="">set…</option>
          {REVIEW_STATUSES.map((status) => <option key={status} value={status}>{status}</option>)}
        </select>
      </label>
      <form onSubmit={(event) => { event.preventDefault(); if (split.trim()) void onChange({ split: split.trim() }).then(() => setSplit('')); }}>
        <input aria-label="Set split of selected" placeholder="split…" value={split} onChange={(event) => setSplit(event.target.value)} size={8} />
      </form>
      <form onSubmit={(event) => { event.preventDefault(); if (tag.trim()) void onChange({ addTags: [tag.trim()] }).then(() => setTag('')); }}>
        <input aria-label="Tag to add or remove" placeholder="tag…" value={tag} onChange={(event) => setTag(event.target.value)} size={8} />
        <button type="submit" disabled={!tag.trim()}>+ tag</button>
        <button type="button" disabled={!tag.trim()} onClick={() => void onChange({ removeTags: [tag.trim()] }).then(() => setTag(''))}>− tag</button>
      </form>
      <button onClick={onClear}>clear</button>
    </div>
  );
}

interface FacetCounts {
  status: Record<string, number>; split: Record<string, number>; kind: Record<string, number>; source: Record<string, number>;
  primitive: Record<string, number>; answer: Record<string, number>; lint: Record<string, number>; tag: Record<string, number>;
}

type ArrayFilterKey = 'status' | 'split' | 'kind' | 'source' | 'primitive' | 'answer' | 'lint' | 'tag';
const FACETS: Array<{ key: ArrayFilterKey; label: string }> = [
  { key: 'status', label: 'Status' },
  { key: 'split', label: 'Split' },
  { key: 'kind', label: 'Kind' },
  { key: 'source', label: 'Source' },
  { key: 'primitive', label: 'Primitive' },
  { key: 'answer', label: 'Answer' },
  { key: 'lint', label: 'Lint' },
  { key: 'tag', label: 'Tag' },
];

function FilterBar({ filter, facets, setFilter, views, onApplyView, onSaveView, onDeleteView }: {
  filter: LibraryFilter;
  facets: FacetCounts | undefined;
  setFilter: (filter: LibraryFilter, inputAt?: number, options?: { replace?: boolean }) => void;
  views: Array<{ name: string; filter: LibraryFilter; sort: LibrarySort }>;
  onApplyView: (view: { name: string; filter: LibraryFilter; sort: LibrarySort }) => void;
  onSaveView: (name: string) => Promise<void>;
  onDeleteView: (name: string) => Promise<void>;
}) {
  const [search, setSearch] = useState(filter.search ?? '');
  const [viewName, setViewName] = useState('');
  const filterRef = useRef(filter);
  filterRef.current = filter;
  useEffect(() => setSearch(filter.search ?? ''), [filter.search]);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A search still waiting when the Library closes (Enter opened Review) is dropped: firing later
  // it would route back to the Library from wherever the person went.
  useEffect(() => () => {
    if (debounce.current) clearTimeout(debounce.current);
  }, []);
  const onSearch = (value: string) => {
    setSearch(value);
    if (debounce.current) clearTimeout(debounce.current);
    // The bench times a search from the moment the debounced query goes out, not from the key.
    debounce.current = setTimeout(() => setFilter({ ...filterRef.current, search: value }, performance.now(), { replace: true }), 200);
  };
  const hasFilter = Object.keys(filter).length > 0;
  return (
    <div className="filterbar">
      <input
        id="library-search"
        type="search"
        className="search"
        placeholder="Search chains…  (/)"
        value={search}
        onChange={(event) => onSearch(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' || event.key === 'Enter') (event.target as HTMLInputElement).blur();
        }}
      />
      {FACETS.map((facet) => (
        <FacetMenu
          key={facet.key}
          label={facet.label}
          counts={facets?.[facet.key] ?? {}}
          extra={facet.key === 'lint' ? { any: 'any issue', none: 'clean' } : undefined}
          selected={(filter[facet.key] as string[] | undefined) ?? []}
          onChange={(values, inputAt) => setFilter({ ...filter, [facet.key]: values }, inputAt)}
        />
      ))}
      <label className="check">
        <input type="checkbox" checked={filter.hasContradiction === true} onChange={(event) => setFilter({ ...filter, hasContradiction: event.target.checked }, event.nativeEvent.timeStamp)} />
        contradictions
      </label>
      {(hasFilter || search !== '') && <button onClick={(event) => {
        // Clears a search still waiting in the debounce too.
        if (debounce.current) clearTimeout(debounce.current);
        setSearch('');
        setFilter({}, event.nativeEvent.timeStamp);
      }}>clear filters</button>}
      <span className="spacer" />
      <select aria-label="Saved views" value="" onChange={(event) => {
        const value = event.target.value;
        if (value.startsWith('delete:')) {
          void onDeleteView(value.slice('delete:'.length));
          return;
        }
        const view = views.find((candidate) => candidate.name === value);
        if (view) onApplyView(view);
      }}>
        <option value="">views ({views.length})…</option>
        {views.map((view) => <option key={view.name} value={view.name}>{view.name}</option>)}
        {views.length > 0 && (
          <optgroup label="delete">
            {views.map((view) => <option key={view.name} value={`delete:${view.name}`}>✕ {view.name}</option>)}
          </optgroup>
        )}
      </select>
      <form className="save-view" onSubmit={(event) => { event.preventDefault(); if (viewName.trim()) void onSaveView(viewName.trim()).then(() => setViewName('')); }}>
        <input aria-label="View name" placeholder="save view as…" value={viewName} onChange={(event) => setViewName(event.target.value)} size={11} />
      </form>
    </div>
  );
}
