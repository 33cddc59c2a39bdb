// Where the studio is, kept in the URL's hash so that a reload (or a bookmark) returns to the
// same tab, sample and filter; the query part stays free for the host's token.
import { array, number, object, optional, string } from 'zod';
import { benchmarkName, libraryFilter, librarySort, type BenchmarkName, type LibraryFilter, type LibrarySort } from '../../common/api/contract';

export type Tab = 'library' | 'review' | 'train' | 'inspect' | 'evaluate' | 'stats';
/** In the order of the tab bar (DESIGN.md: Library ─ Review ─ Train ─ Inspect ─ Evaluate ─ Stats); Alt+1… follow it. */
export const TABS: readonly Tab[] = ['library', 'review', 'train', 'inspect', 'evaluate', 'stats'];

const runId = number().int().positive();
/**
 * Inspect opened on a run, its sample list kept to one benchmark's items (and split): where an
 * Evaluate cell leads. The same shape as 'inference.rows' takes them.
 */
const inspectFocus = object({ runId, benchmark: optional(benchmarkName), split: optional(string().max(200)) });
export interface InspectFocus {
  runId: number;
  benchmark?: BenchmarkName;
  split?: string;
}
/** Evaluate's choice: the runs side by side (the first is the one the others' deltas are against) and the benchmark shown. */
const evaluateChoice = object({ runIds: array(runId).max(20), benchmark: optional(benchmarkName) });
export interface EvaluateChoice {
  runIds: number[];
  benchmark?: BenchmarkName;
}

export interface Route {
  tab: Tab;
  /** The sample open in Review. */
  sampleId: number | null;
  /** The Library filter and sort (Review navigates over the same list). */
  filter: LibraryFilter;
  sort: LibrarySort;
  /** Inspect: the run and benchmark items an Evaluate cell opened (a removable chip there). Kept across tabs, like the filter. */
  inspect?: InspectFocus;
  /** Evaluate: the runs compared and the benchmark. */
  evaluate?: EvaluateChoice;
}

export const DEFAULT_SORT: LibrarySort = { key: 'id', direction: 'asc' };
export const DEFAULT_ROUTE: Route = { tab: 'library', sampleId: null, filter: {}, sort: DEFAULT_SORT };

export function parseRoute(hash: string): Route {
  const match = /^#?\/?([a-z]*)(?:\/(\d+))?(?:\?(.*))?$/.exec(hash);
  if (!match) return DEFAULT_ROUTE;
  const tab = TABS.find((candidate) => candidate === match[1]) ?? 'library';
  const id = match[2] ? Number(match[2]) : null;
  const params = new URLSearchParams(match[3] ?? '');
  const inspect = parseJson(params.get('inspect'), inspectFocus);
  const evaluate = parseJson(params.get('evaluate'), evaluateChoice);
  return {
    tab,
    sampleId: id !== null && Number.isSafeInteger(id) && id > 0 ? id : null,
    filter: parseJson(params.get('filter'), libraryFilter) ?? {},
    sort: parseJson(params.get('sort'), librarySort) ?? DEFAULT_SORT,
    ...(inspect ? { inspect: withoutUndefined(inspect) } : {}),
    ...(evaluate ? { evaluate: withoutUndefined(evaluate) } : {}),
  };
}

/** zod's optional fields come back as absent keys already; this keeps a hand-written `{ split: undefined }` out of the hash too. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function parseJson<T>(text: string | null, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): T | null {
  if (!text) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (Object.keys(route.filter).length > 0) params.set('filter', JSON.stringify(route.filter));
  if (route.sort.key !== DEFAULT_SORT.key || route.sort.direction !== DEFAULT_SORT.direction) params.set('sort', JSON.stringify(route.sort));
  if (route.inspect) params.set('inspect', JSON.stringify(withoutUndefined(route.inspect)));
  if (route.evaluate && route.evaluate.runIds.length > 0) params.set('evaluate', JSON.stringify(withoutUndefined(route.evaluate)));
  const query = params.toString();
  const path = route.tab === 'review' && route.sampleId !== null ? `/review/${route.sampleId}` : `/${route.tab}`;
  return `#${path}${query ? `?${query}` : ''}`;
}

/** What the app remembers for the Review tab, in memory only (the Library's hash keeps no sample). */
export interface ReviewMemory {
  /** The sample Review showed last. */
  lastReviewed: number | null;
  /** The Library's cursor row, when the person has put it on one. */
  libraryCursor: number | null;
}

/**
 * The route a tab of the tab bar (or Alt+1…6) opens. Review reopens the Library's cursor row when
 * it comes from the Library with a row under the cursor, else the sample last reviewed; only
 * with neither does it start at the list's first sample (issue #9: it always did).
 */
export function tabRoute(route: Route, tab: Tab, memory: ReviewMemory): Route {
  if (tab !== 'review') return { ...route, tab };
  const cursor = route.tab === 'library' ? memory.libraryCursor : null;
  return { ...route, tab, sampleId: cursor ?? memory.lastReviewed ?? route.sampleId };
}

/** A filter without empty arrays, blank search or false flags: what the server needs to see. */
export function cleanFilter(filter: LibraryFilter): LibraryFilter {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    clean[key] = value;
  }
  return clean as LibraryFilter;
}
