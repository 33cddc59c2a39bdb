// The Library's filter bar: chain search and clip-name search (debounced), a menu per facet with
// counts under the other active filters, saved views, and a chip for every active filter with ×
// to drop it — including the filters no menu shows (chain length and the chosen samples from
// Stats, the hygiene warnings' flags), which otherwise narrowed the list invisibly.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LibraryFilter, LibrarySort, MethodResponse } from '../../common/api/contract';
import { shortPathLabels } from '../app/pathLabels';
import { FacetMenu } from './FacetMenu';

export type FacetCounts = MethodResponse<'library.facets'>;
type SetFilter = (filter: LibraryFilter, inputAt?: number, options?: { replace?: boolean }) => void;

type ArrayFilterKey = 'status' | 'split' | 'kind' | 'source' | 'primitive' | 'answer' | 'lint' | 'tag' | 'media';
const FACETS: Array<{ key: ArrayFilterKey; label: string }> = [
  { key: 'status', label: 'Status' },
  { key: 'split', label: 'Split' },
  { key: 'kind', label: 'Kind' },
  { key: 'source', label: 'Source' },
  { key: 'primitive', label: 'Primitive' },
  { key: 'answer', label: 'Answer' },
  { key: 'lint', label: 'Lint' },
  { key: 'tag', label: 'Tag' },
  { key: 'media', label: 'Media' },
];

/** Values shown in words rather than as stored. */
const LINT_WORDS: Record<string, string> = { any: 'any issue', none: 'clean' };
const MEDIA_WORDS: Record<string, string> = { ok: 'on disk', missing: 'missing', error: 'unreadable', none: 'no clip' };

/** How long typing rests before a search goes out (the bench times from the query, not the key). */
const TYPING_DEBOUNCE_MS = 200;

/**
 * A text field whose value becomes a filter after typing rests. A value still waiting dies with
 * the Library (Enter opened Review: firing later it would route back to the Library) and with
 * `cancel` (clear filters, the chip's ×).
 */
function useDebouncedText(current: string | undefined, commit: (value: string) => void) {
  const [text, setText] = useState(current ?? '');
  useEffect(() => setText(current ?? ''), [current]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  const cancel = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  useEffect(() => cancel, [cancel]);
  const change = useCallback((value: string) => {
    setText(value);
    cancel();
    timer.current = setTimeout(() => {
      timer.current = null;
      commitRef.current(value);
    }, TYPING_DEBOUNCE_MS);
  }, [cancel]);
  const clear = useCallback(() => {
    cancel();
    setText('');
  }, [cancel]);
  return { text, change, clear };
}

export function FilterBar({ filter, facets, isFacetsStale, setFilter, views, onApplyView, onSaveView, onDeleteView }: {
  filter: LibraryFilter;
  facets: FacetCounts | undefined;
  /** The counts are of a filter the person has since changed (new ones are on their way). */
  isFacetsStale: boolean;
  setFilter: SetFilter;
  views: Array<{ name: string; filter: LibraryFilter; sort: LibrarySort }>;
  onApplyView: (view: { name: string; filter: LibraryFilter; sort: LibrarySort }) => void;
  onSaveView: (name: string) => Promise<void>;
  onDeleteView: (name: string) => Promise<void>;
}) {
  const [viewName, setViewName] = useState('');
  // The filter as of now, not as of the render that started the timer: a debounced search must
  // not bring back a facet dropped since.
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const search = useDebouncedText(filter.search, (value) => setFilter({ ...filterRef.current, search: value }, performance.now(), { replace: true }));
  const clip = useDebouncedText(filter.clip, (value) => setFilter({ ...filterRef.current, clip: value }, performance.now(), { replace: true }));
  const sourceLabels = useMemo(
    () => Object.fromEntries(shortPathLabels([...Object.keys(facets?.source ?? {}), ...(filter.source ?? [])])),
    [facets?.source, filter.source],
  );
  const labelsOf = (key: ArrayFilterKey): Record<string, string> | undefined => {
    if (key === 'source') return sourceLabels;
    if (key === 'media') return MEDIA_WORDS;
    if (key === 'lint') return LINT_WORDS;
    return undefined;
  };
  const hasFilter = Object.keys(filter).length > 0;
  return (
    <div className="filterbar">
      <div className="filter-controls">
        <input
          id="library-search"
          type="search"
          className="search"
          placeholder="Search chains…  (/)"
          aria-label="Search chains"
          value={search.text}
          onChange={(event) => search.change(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' || event.key === 'Enter') (event.target as HTMLInputElement).blur();
          }}
        />
        <input
          id="library-clip-search"
          type="search"
          className="clip-search"
          placeholder="Clip name…"
          aria-label="Search clip names"
          value={clip.text}
          onChange={(event) => clip.change(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' || event.key === 'Enter') (event.target as HTMLInputElement).blur();
          }}
        />
        {FACETS.map((facet) => {
          const labels = labelsOf(facet.key);
          return (
            <FacetMenu
              key={facet.key}
              label={facet.label}
              counts={facets?.[facet.key] ?? {}}
              isStale={isFacetsStale}
              extra={facet.key === 'lint' ? LINT_WORDS : undefined}
              {...(labels ? { labels } : {})}
              selected={filter[facet.key] ?? []}
              onChange={(values, inputAt) => setFilter({ ...filter, [facet.key]: values }, inputAt)}
            />
          );
        })}
        <label className="check">
          <input type="checkbox" checked={filter.hasContradiction === true} onChange={(event) => setFilter({ ...filter, hasContradiction: event.target.checked }, event.nativeEvent.timeStamp)} />
          contradictions
        </label>
        {(hasFilter || search.text !== '' || clip.text !== '') && <button onClick={(event) => {
          // Clears a search still waiting in the debounce too.
          search.clear();
          clip.clear();
          setFilter({}, event.nativeEvent.timeStamp);
        }}>clear filters</button>}
      </div>
      {/* Chips and saved views share the second row: it is always there, so the table does not jump when a first filter is set. */}
      <div className="filter-row">
        {hasFilter ? (
          <FilterChips
            filter={filter}
            sourceLabels={sourceLabels}
            onRemove={(key, inputAt) => {
              // A search typed but not yet gone out must not bring the chip back.
              if (key === 'search') search.clear();
              if (key === 'clip') clip.clear();
              const { [key]: _removed, ...rest } = filter;
              setFilter(rest, inputAt);
            }}
          />
        ) : <span className="filter-hint muted">No filters: every sample</span>}
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
    </div>
  );
}

interface Chip {
  label: string;
  text: string;
}

const list = (values: readonly string[], words?: Record<string, string>) => values.map((value) => words?.[value] ?? value).join(', ');
const quoted = (text: string) => `“${text}”`;

/** "words 20–40" for [20, 40); a bound left out reads as ≥ or <. */
export function chainLengthText(range: { min?: number | undefined; max?: number | undefined }): string {
  if (range.min !== undefined && range.max !== undefined) return `words ${range.min}–${range.max}`;
  if (range.min !== undefined) return `words ≥ ${range.min}`;
  if (range.max !== undefined) return `words < ${range.max}`;
  return 'any length';
}

/**
 * What each filter's chip says. A Record over every key of the filter: a filter added to the
 * contract without a chip here does not compile (the chain-length filter once had none).
 */
const CHIP_OF: { [K in keyof Required<LibraryFilter>]: (value: Required<LibraryFilter>[K], sourceLabels: Record<string, string>) => Chip } = {
  status: (values) => ({ label: 'status', text: list(values) }),
  split: (values) => ({ label: 'split', text: list(values) }),
  kind: (values) => ({ label: 'kind', text: list(values) }),
  source: (values, labels) => ({ label: 'source', text: list(values, labels) }),
  primitive: (values) => ({ label: 'primitive', text: list(values) }),
  answer: (values) => ({ label: 'answer', text: list(values) }),
  lint: (values) => ({ label: 'lint', text: list(values, LINT_WORDS) }),
  hasContradiction: (value) => ({ label: '', text: value ? 'contradicts the analyzer' : 'no contradictions' }),
  tag: (values) => ({ label: 'tag', text: list(values) }),
  search: (text) => ({ label: 'search', text: quoted(text) }),
  media: (values) => ({ label: 'media', text: list(values, MEDIA_WORDS) }),
  clip: (text) => ({ label: 'clip', text: quoted(text) }),
  clipInSeveralSplits: (value) => ({ label: '', text: value ? 'clip in several splits' : 'clip in one split' }),
  sampleIds: (ids) => ({ label: '', text: `${ids.length.toLocaleString()} chosen sample${ids.length === 1 ? '' : 's'}` }),
  chainLength: (range) => ({ label: '', text: chainLengthText(range) }),
};

function chipOf<K extends keyof LibraryFilter>(key: K, value: Required<LibraryFilter>[K], sourceLabels: Record<string, string>): Chip {
  return CHIP_OF[key](value, sourceLabels);
}

function FilterChips({ filter, sourceLabels, onRemove }: {
  filter: LibraryFilter;
  sourceLabels: Record<string, string>;
  onRemove: (key: keyof LibraryFilter, inputAt: number) => void;
}) {
  const keys = (Object.keys(filter) as Array<keyof LibraryFilter>).filter((key) => filter[key] !== undefined);
  return (
    <div className="filter-chips" data-testid="filter-chips">
      {keys.map((key) => {
        const chip = chipOf(key, filter[key] as Required<LibraryFilter>[typeof key], sourceLabels);
        const words = chip.label ? `${chip.label}: ${chip.text}` : chip.text;
        return (
          <span key={key} className="chip" data-filter={key} title={key === 'source' ? list(filter.source ?? []) : words}>
            {chip.label && <span className="chip-label">{chip.label}</span>}
            <span className="chip-text">{chip.text}</span>
            <button className="chip-remove" aria-label={`Remove filter ${words}`} onClick={(event) => onRemove(key, event.nativeEvent.timeStamp)}>×</button>
          </span>
        );
      })}
    </div>
  );
}
