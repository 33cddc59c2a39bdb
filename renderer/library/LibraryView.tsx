// The Library: every sample in a virtualized table fed page by page by library.query, a filter
// bar over the project's facets, saved views, multi-select with bulk changes (confirmed when
// large, undoable), and Enter to review a sample with the current filter as the list to step
// through; Back returns to the same row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { REVIEW_STATUSES, type LibraryFilter, type LibraryRow, type LibrarySort, type ReviewStatus, type SampleState } from '../../common/api/contract';
import { useCall, useClient, useNotify, useQuery, useRefreshEpoch, errorMessage } from '../app/api';
import { benchHooks } from '../app/bench';
import { ConfirmDialog, type ConfirmRequest } from '../app/ConfirmDialog';
import { cleanFilter, type Route } from '../app/route';
import { useReportLibraryCursor } from '../app/reviewMemory';
import { isTextTarget } from '../app/shortcuts';
import { FilterBar } from './FilterBar';
import { rememberedPosition, rememberPosition } from './positions';
import { emptyPages, missingPages, PAGE_SIZE, queryKey, rowAt, stalePages, withPage, type RowPages } from './rowPages';
import { clickSelection, EMPTY_SELECTION, toggleOne, type Selection } from './selection';

const ROW_HEIGHT = 30;
/** Bulk changes of more samples than this ask first (Ctrl+A selects a whole 100k project). */
export const CONFIRM_BULK_OVER = 100;
/**
 * Facet counts follow the filter once its rows are painted and the person has paused: the
 * counts are a pass over every sample, which must never hold up the rows of the next click.
 */
const FACETS_DELAY_MS = 250;

type BulkChange = { status?: ReviewStatus; split?: string; addTags?: string[]; removeTags?: string[] };

/** "Set the status of 1,234 samples to accepted": what a bulk change does, for its toast and confirmation. */
function describeChange(change: BulkChange, count: number): string {
  const samples = `${count.toLocaleString()} sample${count === 1 ? '' : 's'}`;
  if (change.status !== undefined) return `Set the status of ${samples} to ${change.status}`;
  if (change.split !== undefined) return `Moved ${samples} to split ${change.split}`;
  if (change.addTags?.length) return `Tagged ${samples} “${change.addTags.join('”, “')}”`;
  if (change.removeTags?.length) return `Removed “${change.removeTags.join('”, “')}” from ${samples}`;
  return `Changed ${samples}`;
}

const MISSING_MEDIA = new Set<LibraryRow['mediaStatus']>(['missing', 'error']);

interface Column {
  key: string;
  label: string;
  sortKey?: LibrarySort['key'];
  render: (row: LibraryRow) => React.ReactNode;
}

const COLUMNS: Column[] = [
  { key: 'id', label: '#', sortKey: 'id', render: (row) => row.id },
  {
    key: 'clip', label: 'Clip', sortKey: 'clip', render: (row) => (
      <span className="clip-cell" title={row.clipName}>
        {MISSING_MEDIA.has(row.mediaStatus) && <span className="clip-missing" role="img" aria-label="clip missing" title="clip missing: relink it">⚠</span>}
        {row.clipName}
      </span>
    ),
  },
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
  const keyRef = useRef(key);
  keyRef.current = key;
  const views = useQuery('views.list', {});

  const [pages, setPages] = useState<RowPages>(() => emptyPages(0));
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const generationRef = useRef(0);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  // Back from Review (or the Library tab) finds the list where it was left: the row under the
  // cursor and the scroll position, remembered per query. Restored once the rows are counted
  // (before that the table has no height to scroll).
  const restoring = useRef(rememberedPosition(key));
  const [cursor, setCursor] = useState(() => restoring.current?.cursor ?? 0);
  // Whether the person moved the cursor during this visit. A cursor at row 0 by default, or one
  // that came back with the list, must not make the Review tab open it instead of the sample
  // last reviewed (Back from sample 41 restores the cursor on row 40, where Enter opened it).
  const [isCursorChosen, setCursorChosen] = useState(false);
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
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
    const isFirst = lastKey.current === null;
    lastKey.current = key;
    // A refresh of the same query keeps the rows on screen until the new ones arrive (no flash).
    setPages(isSameQuery ? { ...previous, generation, loading: new Set(), pages: new Map(previous.pages), isStale: false } : stalePages(previous, generation));
    const restored = isFirst ? restoring.current : null;
    if (!isSameQuery && restored === null) {
      restoring.current = null;
      setCursor(0);
      setCursorChosen(false);
      scrollRef.current?.scrollTo({ top: 0 });
    }
    const firstPage = isSameQuery ? Math.floor(first / PAGE_SIZE) : restored ? Math.floor(restored.scrollTop / ROW_HEIGHT / PAGE_SIZE) : 0;
    fetchPage(generation, firstPage);
    if (isSameQuery) {
      // Refetch the other loaded pages in the background.
      for (const page of previous.pages.keys()) if (page !== firstPage) fetchPage(generation, page);
    }
  }, [key, epoch]);
  const lastKey = useRef<string | null>(null);

  const total = pages.total ?? 0;
  // The remembered position, once the table is tall enough to hold it (the rows are counted).
  useLayoutEffect(() => {
    const position = restoring.current;
    const element = scrollRef.current;
    if (position === null || pages.total === null || pages.isStale || !element) return;
    restoring.current = null;
    element.scrollTop = position.scrollTop;
    setCursor(Math.max(0, Math.min(pages.total - 1, position.cursor)));
  }, [pages.total, pages.isStale]);
  const remember = useCallback(() => {
    // Not while a remembered position waits to be restored: the table's 0 would overwrite it.
    if (restoring.current !== null || !scrollRef.current) return;
    rememberPosition(keyRef.current, { scrollTop: scrollRef.current.scrollTop, cursor: cursorRef.current });
  }, []);
  useEffect(remember, [cursor, key, remember]);
  // The Review tab opens the sample under the cursor (renderer/app/route.ts tabRoute).
  useReportLibraryCursor(isCursorChosen ? (rowAt(pages, cursor)?.id ?? null) : null);

  // Facet counts of the current filter, fetched after its rows (FACETS_DELAY_MS).
  const [facetFilter, setFacetFilter] = useState<LibraryFilter | null>(null);
  const isRowsCurrent = pages.total !== null && !pages.isStale;
  useEffect(() => {
    if (!isRowsCurrent) return;
    const timer = setTimeout(() => setFacetFilter(filter), FACETS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [isRowsCurrent, filter]);
  const facets = useQuery('library.facets', facetFilter === null ? null : { filter: facetFilter });
  const isFacetsStale = facetFilter === null || JSON.stringify(facetFilter) !== JSON.stringify(filter) || facets.isLoading
    || facets.dataKey !== JSON.stringify({ filter: facetFilter });

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
    setCursorChosen(true);
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
    setCursorChosen(true);
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
      case 'z':
      case 'Z':
        if (!isMod || event.shiftKey || !lastUndo.current) return;
        lastUndo.current.undo();
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

  // A bulk change over more than CONFIRM_BULK_OVER samples waits for this answer.
  const [confirming, setConfirming] = useState<{ request: ConfirmRequest; answer: (isConfirmed: boolean) => void } | null>(null);
  const confirm = (request: ConfirmRequest) => new Promise<boolean>((resolve) => {
    setConfirming({
      request,
      answer: (isConfirmed) => {
        setConfirming(null);
        resolve(isConfirmed);
      },
    });
  });

  // The last bulk change's before, for Ctrl+Z; its toast's Undo holds its own.
  const lastUndo = useRef<{ undo: () => void } | null>(null);
  const undoBulk = useCallback((previous: SampleState[], closeToast: () => void): (() => void) => {
    let isDone = false;
    const undo = () => {
      // Once only: a second Undo would restore over whatever came after the first.
      if (isDone || previous.length === 0) return;
      isDone = true;
      closeToast();
      if (lastUndo.current?.undo === undo) lastUndo.current = null;
      call('library.restore', { samples: previous }).then((result) => {
        if (result) notify('success', `Undone: ${result.restored.toLocaleString()} sample${result.restored === 1 ? ' is' : 's are'} back as ${result.restored === 1 ? 'it was' : 'they were'}.`);
        else isDone = false;
      }, () => {
        isDone = false;
      });
    };
    return undo;
  }, [call, notify]);

  const bulk = async (change: BulkChange) => {
    const ids = [...selection.ids];
    if (ids.length === 0) return;
    const what = describeChange(change, ids.length);
    if (ids.length > CONFIRM_BULK_OVER) {
      const isConfirmed = await confirm({
        title: `Change ${ids.length.toLocaleString()} samples?`,
        message: `${what}. You can undo it afterwards.`,
        confirmLabel: `Change ${ids.length.toLocaleString()} samples`,
      });
      if (!isConfirmed) return;
    }
    const result = await call('library.bulkUpdate', { ids, ...change });
    if (!result) return;
    const done = describeChange(change, result.updated);
    if (result.updated === 0) {
      notify('info', `${done}.`);
      return;
    }
    // The toast's Undo and Ctrl+Z run the same undo; whichever comes first closes the toast.
    let closeToast: () => void = () => undefined;
    const undo = undoBulk(result.previous, () => closeToast());
    lastUndo.current = { undo };
    closeToast = notify('success', `${done}.`, { action: { label: 'Undo', run: undo } });
  };

  return (
    <div className="library" ref={viewRef}>
      {confirming && <ConfirmDialog request={confirming.request} onAnswer={confirming.answer} />}
      <FilterBar
        filter={filter}
        facets={facets.data}
        isFacetsStale={isFacetsStale}
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
        <div className="table-body" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} onScroll={remember} data-testid="library-rows">
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

function BulkBar({ count, onChange, onClear }: { count: number; onChange: (change: BulkChange) => Promise<void>; onClear: () => void }) {
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
