// A run's samples in its frozen order, virtualised and fetched a page at a time (the Library's
// rowPages), each with the model's answer against the reference, P(Yes) and its hallucination
// count; pending ones (a run still going, or stopped) marked as such. "Only wrong" asks the
// backend for the wrong and failed ones. A bumped `epoch` (the run stored more answers)
// refetches the pages on screen in place, so rows fill in while the run goes. An Evaluate cell's
// focus keeps the list to one benchmark's items (and split), shown as a chip with × to drop it.
import { useVirtualizer } from '@tanstack/react-virtual';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { BenchmarkName, InferenceRun, PredictionRow } from '../../common/api/contract';
import { errorMessage, useClient, useNotify, useRefreshEpoch } from '../app/api';
import { emptyPages, missingPages, PAGE_SIZE, rowAt, withPage, type RowPages } from '../library/rowPages';
import { focusLabel } from '../evaluate/evalTables';
import { formatProbability } from './runLabels';

const ROW_HEIGHT = 44;

export interface PredictionListHandle {
  /** Selects the next (1) or previous (−1) sample of the list. */
  move(delta: number): void;
}

/** ✓ right, ✗ wrong, ! failed, … not asked yet. */
function verdict(row: PredictionRow): { mark: string; className: string; title: string } {
  if (row.isPending) return { mark: '…', className: 'muted', title: 'not answered yet' };
  if (row.error !== null) return { mark: '!', className: 'bad', title: row.error };
  if (row.accuracy === null) return { mark: '?', className: 'muted', title: 'no reference answer' };
  return row.accuracy > 0 ? { mark: '✓', className: 'ok', title: 'right' } : { mark: '✗', className: 'bad', title: 'wrong' };
}

export const PredictionList = forwardRef<PredictionListHandle, {
  run: InferenceRun;
  /** Only the run's items of this benchmark (and split); null for all of its samples. */
  focus: { benchmark: BenchmarkName; split?: string } | null;
  onClearFocus: () => void;
  epoch: number;
  onlyWrong: boolean;
  onOnlyWrong: (onlyWrong: boolean) => void;
  selectedId: number | null;
  onSelect: (sampleId: number) => void;
}>(function PredictionList({ run, focus, onClearFocus, epoch, onlyWrong, onOnlyWrong, selectedId, onSelect }, ref) {
  const client = useClient();
  const notify = useNotify();
  const refreshEpoch = useRefreshEpoch();
  const [pages, setPages] = useState<RowPages<PredictionRow>>(() => emptyPages(0));
  const generationRef = useRef(0);
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const scrollRef = useRef<HTMLDivElement>(null);

  const fetchPage = useCallback((generation: number, page: number) => {
    setPages((state) => (state.generation === generation ? { ...state, loading: new Set(state.loading).add(page) } : state));
    client.call('inference.rows', {
      runId: run.id, offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...(onlyWrong ? { onlyWrong } : {}),
      ...(focus ? { benchmark: focus.benchmark, ...(focus.split !== undefined ? { split: focus.split } : {}) } : {}),
    }).then(
      (result) => setPages((state) => (state.generation === generation ? withPage(state, page, result.rows, result.total) : state)),
      (error: unknown) => {
        setPages((state) => {
          if (state.generation !== generation) return state;
          const loading = new Set(state.loading);
          loading.delete(page);
          return { ...state, total: state.total ?? 0, loading };
        });
        notify('error', `inference.rows: ${errorMessage(error)}`);
      },
    );
  }, [client, run.id, onlyWrong, notify, focus?.benchmark, focus?.split]);

  // "Only wrong" is a new list; new answers (epoch) or a refresh refetch the pages held, rows kept on screen meanwhile.
  const lastOnlyWrong = useRef<boolean | null>(null);
  // Which list the pages hold: until the effect below starts the new one, the render after the
  // toggle still has the old list's total, which must not be shown as the new list's.
  const [pagesOnlyWrong, setPagesOnlyWrong] = useState<boolean | null>(null);
  useEffect(() => {
    const generation = ++generationRef.current;
    const previous = pagesRef.current;
    const isSameList = lastOnlyWrong.current === onlyWrong;
    lastOnlyWrong.current = onlyWrong;
    if (!isSameList) {
      setPages(emptyPages(generation));
      setPagesOnlyWrong(onlyWrong);
      scrollRef.current?.scrollTo({ top: 0 });
      fetchPage(generation, 0);
      return;
    }
    setPages({ ...previous, generation, loading: new Set(), pages: new Map(previous.pages) });
    const held = [...previous.pages.keys()];
    for (const page of held.length > 0 ? held : [0]) fetchPage(generation, page);
  }, [onlyWrong, epoch, refreshEpoch, fetchPage]);

  const total = pages.total ?? 0;
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const firstVisible = items[0]?.index ?? 0;
  const lastVisible = items.at(-1)?.index ?? -1;
  useEffect(() => {
    for (const page of missingPages(pages, firstVisible, lastVisible)) fetchPage(pages.generation, page);
  }, [pages, firstVisible, lastVisible, fetchPage]);

  // The first sample is shown when none is chosen; a sample chosen in another run stays (the same sample, this run's answer).
  const firstRow = rowAt(pages, 0);
  useEffect(() => {
    if (selectedId === null && firstRow) onSelect(firstRow.sampleId);
  }, [selectedId, firstRow, onSelect]);

  const indexOfSelected = useCallback((): number => {
    const state = pagesRef.current;
    for (const [page, rows] of state.pages) {
      const at = rows.findIndex((row) => row.sampleId === selectedId);
      if (at >= 0) return page * PAGE_SIZE + at;
    }
    return -1;
  }, [selectedId]);

  const move = useCallback((delta: number) => {
    const index = indexOfSelected();
    const next = Math.max(0, Math.min(total - 1, (index < 0 ? -1 : index) + delta));
    const row = rowAt(pagesRef.current, next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    if (row) onSelect(row.sampleId);
  }, [indexOfSelected, total, virtualizer, onSelect]);
  useImperativeHandle(ref, () => ({ move }), [move]);

  return (
    <section className="inspect-rows" data-testid="inspect-rows">
      <header className="inspect-rows-head">
        <h3>Samples</h3>
        <span className="muted" data-testid="inspect-rows-total">{pages.total === null || pagesOnlyWrong !== onlyWrong ? '…' : `${total.toLocaleString()}${onlyWrong ? ' wrong or failed' : ''}`}</span>
        <span className="spacer" />
        <label className="check" title="Only the samples answered wrong or failed (W)">
          <input type="checkbox" checked={onlyWrong} onChange={(event) => onOnlyWrong(event.target.checked)} data-testid="only-wrong" />
          only wrong
        </label>
      </header>
      {focus && (
        <div className="inspect-focus">
          <span className="chip" data-testid="inspect-focus-chip" title="Only the run's items of this benchmark (an Evaluate cell)">
            <span className="chip-text">{focusLabel(focus)}</span>
            <button className="chip-remove" onClick={onClearFocus} aria-label="Show every sample of the run" title="Show every sample of the run" data-testid="inspect-focus-remove">×</button>
          </span>
        </div>
      )}
      <div
        className="inspect-rows-body"
        ref={scrollRef}
        tabIndex={0}
        role="listbox"
        aria-label="Samples of the run"
        onKeyDown={(event) => {
          if (event.altKey || event.ctrlKey || event.metaKey) return;
          if (event.key === 'ArrowDown') move(1);
          else if (event.key === 'ArrowUp') move(-1);
          else return;
          event.preventDefault();
          event.stopPropagation();
        }}
      >
        <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rowAt(pages, item.index);
            if (!row) return <div key={item.key} className="prediction-row loading-row" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>…</div>;
            const { mark, className, title } = verdict(row);
            const isSelected = row.sampleId === selectedId;
            return (
              <div
                key={item.key}
                role="option"
                aria-selected={isSelected}
                data-testid="prediction-row"
                data-sample={row.sampleId}
                data-pending={row.isPending}
                className={`prediction-row${isSelected ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => onSelect(row.sampleId)}
              >
                <span className={`verdict ${className}`} title={title}>{mark}</span>
                <span className="prediction-clip" title={row.clipName}>{row.clipName || `sample ${row.sampleId}`}</span>
                <span className="prediction-answer" title={`answered ${row.prediction ?? '–'} · reference ${row.answer ?? '–'}`}>
                  {row.isPending ? '' : `${(row.prediction ?? '–').slice(0, 12)} / ${row.answer ?? '–'}`}
                </span>
                {row.yesProbability !== null && <span className="muted prediction-p" title="P(Yes) at the answer token">{formatProbability(row.yesProbability)}</span>}
                {row.contradictions > 0 && <span className="bad prediction-flags" title="Claims contradicting the analyzer's reading of the clip">⚠{row.contradictions}</span>}
                <span className="prediction-question muted" title={row.question}>{row.question}</span>
              </div>
            );
          })}
        </div>
        {pages.total === 0 && pagesOnlyWrong === onlyWrong && <div className="empty">{onlyWrong ? 'No wrong or failed answers.' : focus ? `This run has no items of ${focusLabel(focus)}.` : 'This run has no samples.'}</div>}
      </div>
    </section>
  );
});
