// The studio's Library: filtered, sorted, paged sample rows, facets, bulk edits, saved views,
// and the per-sample lint cache (migration 4) those filters read. The Library must answer at
// 100k samples within 100 ms, so every filter is a column, an indexed lookup or a JSON list
// bound as one parameter (`json_each(?)`): the SQL text depends only on WHICH filters are set,
// never on their values, so statements stay prepared (db/statements.ts caches by text).
import type { LibraryFilter } from '../common/api/contract';
import type { ReadableDB, WritableDB } from './connection';
import { refreshSearchIndex } from './chains';
import { now, statement } from './statements';
import { writeTransaction } from './writers';

/** The filter fields db/ understands; mirrors common/api/contract.ts LibraryFilter. */
export interface SampleFilter {
  status?: readonly string[];
  split?: readonly string[];
  kind?: readonly string[];
  source?: readonly string[];
  primitive?: readonly string[];
  answer?: readonly string[];
  /** Lint codes, or 'any' / 'none'; a sample matches when it has any listed code. */
  lint?: readonly string[];
  hasContradiction?: boolean;
  tag?: readonly string[];
  /** An FTS5 query (already made safe by the caller: see ftsQuery). */
  search?: string;
  clipInSeveralSplits?: boolean;
  /** Media status of the sample's clip; 'none' = no clip. */
  media?: readonly string[];
  /** Substring of the clip's file name, case-insensitive. */
  clip?: string;
  sampleIds?: readonly number[];
  /** Words in the current chain, in [min, max); 0 for a sample without one. */
  chainLength?: { min?: number; max?: number };
}

export type SampleSortKey = 'id' | 'clip' | 'primitive' | 'answer' | 'status' | 'split' | 'updated' | 'chainLength';

/** Chain-length band outside which a chain is a 'length-outlier' (characters; see common/ota/lint.ts). */
export interface OutlierBand {
  below: number;
  above: number;
}

export const LENGTH_OUTLIER = 'length-outlier';

const SORT_COLUMNS = {
  id: 's.id',
  clip: 'c.name',
  primitive: 's.primitive',
  answer: 's.answer',
  status: 's.status',
  split: 's.split',
  updated: 's.updated_at',
  chainLength: 'l.chain_words',
} satisfies Record<SampleSortKey, string>;

const FROM = `FROM samples s
  LEFT JOIN clips c ON c.id = s.clip_id
  LEFT JOIN sample_lint l ON l.sample_id = s.id`;

/** Turns a person's search box text into an FTS5 query: words and "quoted phrases", ANDed; the last bare word matches as a prefix (search as you type). Never an FTS5 syntax error. */
export function ftsQuery(text: string): string | null {
  const parts: string[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  let match: RegExpExecArray | null;
  let lastWord = -1;
  // FTS5 reads its query as a C string: a NUL ended it inside a phrase ("unterminated string",
  // an internal error for a search of "\u0000"). Control characters (Cc) and lone surrogates
  // (Cs; a pair is one code point under /u) are no part of any word the tokenizer indexes.
  const clean = text.replace(/[\p{Cc}\p{Cs}]/gu, ' ');
  while ((match = pattern.exec(clean)) !== null) {
    const phrase = match[1] ?? match[2] ?? '';
    // FTS5 strings escape a double quote by doubling it; the tokenizer drops punctuation anyway.
    const words = phrase.replaceAll('"', ' ').trim();
    if (words === '') continue;
    parts.push(`"${words}"`);
    if (match[2] !== undefined) lastWord = parts.length - 1;
  }
  if (parts.length === 0) return null;
  if (lastWord === parts.length - 1) parts[lastWord] = `${parts[lastWord]}*`;
  return parts.join(' ');
}

interface WhereClause {
  sql: string;
  params: unknown[];
}

function whereOf(filter: SampleFilter, band: OutlierBand | null): WhereClause {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly unknown[] | undefined) => {
    if (values === undefined) return;
    clauses.push(`${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  inList('s.status', filter.status);
  inList('s.split', filter.split);
  inList('s.kind', filter.kind);
  inList('s.primitive', filter.primitive);
  inList('s.answer', filter.answer);
  inList('s.id', filter.sampleIds);
  if (filter.source !== undefined) {
    clauses.push(`s.id IN (SELECT ss.sample_id FROM sample_sources ss JOIN sources so ON so.id = ss.source_id
                           WHERE so.path IN (SELECT value FROM json_each(?)))`);
    params.push(JSON.stringify(filter.source));
  }
  if (filter.tag !== undefined) {
    clauses.push("EXISTS (SELECT 1 FROM json_each(s.tags) t WHERE t.value IN (SELECT value FROM json_each(?)))");
    params.push(JSON.stringify(filter.tag));
  }
  if (filter.lint !== undefined) {
    const alternatives: string[] = [];
    const codes = filter.lint.filter((code) => code !== 'any' && code !== 'none' && code !== LENGTH_OUTLIER);
    const outlier = band === null ? '0' : '(l.revision_id IS NOT NULL AND (l.chain_chars < ? OR l.chain_chars > ?))';
    const outlierParams = band === null ? [] : [band.below, band.above];
    if (codes.length > 0) {
      alternatives.push('s.id IN (SELECT sample_id FROM sample_lint_codes WHERE code IN (SELECT value FROM json_each(?)))');
      params.push(JSON.stringify(codes));
    }
    if (filter.lint.includes(LENGTH_OUTLIER)) {
      alternatives.push(outlier);
      params.push(...outlierParams);
    }
    if (filter.lint.includes('any')) {
      alternatives.push(`(l.codes <> '[]' OR ${outlier})`);
      params.push(...outlierParams);
    }
    if (filter.lint.includes('none')) {
      alternatives.push(`(coalesce(l.codes, '[]') = '[]' AND NOT ${outlier})`);
      params.push(...outlierParams);
    }
    clauses.push(alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : '0');
  }
  if (filter.hasContradiction !== undefined) {
    clauses.push(filter.hasContradiction ? 'l.contradictions > 0' : 'coalesce(l.contradictions, 0) = 0');
  }
  if (filter.search !== undefined) {
    clauses.push('s.id IN (SELECT rowid FROM chain_search WHERE chain_search MATCH ?)');
    params.push(filter.search);
  }
  if (filter.chainLength?.min !== undefined) {
    clauses.push('coalesce(l.chain_words, 0) >= ?');
    params.push(filter.chainLength.min);
  }
  if (filter.chainLength?.max !== undefined) {
    clauses.push('coalesce(l.chain_words, 0) < ?');
    params.push(filter.chainLength.max);
  }
  if (filter.media !== undefined) {
    clauses.push("coalesce(c.media_status, 'none') IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(filter.media));
  }
  if (filter.clip !== undefined && filter.clip.trim() !== '') {
    // instr over lower(): LIKE would need its % and _ escaped, and names are short.
    clauses.push('instr(lower(c.name), ?) > 0');
    params.push(filter.clip.trim().toLowerCase());
  }
  if (filter.clipInSeveralSplits !== undefined) {
    const leaking = 'SELECT clip_id FROM samples WHERE clip_id IS NOT NULL GROUP BY clip_id HAVING count(DISTINCT split) > 1';
    clauses.push(filter.clipInSeveralSplits ? `s.clip_id IN (${leaking})` : `(s.clip_id IS NULL OR s.clip_id NOT IN (${leaking}))`);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function orderOf(sort: { key: SampleSortKey; direction: 'asc' | 'desc' }): string {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  // The id tie-break keeps paging stable when many rows share a value.
  return sort.key === 'id' ? `ORDER BY s.id ${direction}` : `ORDER BY ${SORT_COLUMNS[sort.key]} ${direction} NULLS LAST, s.id ${direction}`;
}

export interface LibraryRowRecord {
  id: number;
  clip_id: number | null;
  clip_name: string | null;
  media_status: 'ok' | 'missing' | 'error' | null;
  question: string;
  kind: string;
  primitive: string | null;
  answer: string | null;
  split: string;
  status: string;
  tags: string;
  chain_words: number | null;
  chain_chars: number | null;
  has_chain: number;
  codes: string | null;
  contradictions: number | null;
  updated_at: string;
}

/** Makes sure the FTS index covers every chain before a search reads it (imports defer indexing). */
/** The contract's filter as db/ reads it: the search box text becomes a safe FTS5 query. */
export function toSampleFilter(filter: LibraryFilter): SampleFilter {
  const search = filter.search === undefined ? null : ftsQuery(filter.search);
  const { search: _search, ...rest } = filter;
  return search === null ? rest : { ...rest, search };
}

export function prepareSearch(db: WritableDB, filter: SampleFilter): void {
  if (filter.search !== undefined) refreshSearchIndex(db);
}

export function countSamples(db: WritableDB, filter: SampleFilter, band: OutlierBand | null): number {
  prepareSearch(db, filter);
  const where = whereOf(filter, band);
  return statement<unknown[], { n: number }>(db, `SELECT count(*) AS n ${FROM} ${where.sql}`).get(...where.params)?.n ?? 0;
}

export function querySamples(
  db: WritableDB,
  filter: SampleFilter,
  sort: { key: SampleSortKey; direction: 'asc' | 'desc' },
  band: OutlierBand | null,
  page: { offset: number; limit: number },
): LibraryRowRecord[] {
  prepareSearch(db, filter);
  const where = whereOf(filter, band);
  return statement<unknown[], LibraryRowRecord>(
    db,
    `SELECT s.id, s.clip_id, c.name AS clip_name, c.media_status, s.question, s.kind, s.primitive, s.answer, s.split, s.status, s.tags,
            l.chain_words, l.chain_chars, s.head_revision_id IS NOT NULL AS has_chain, l.codes, l.contradictions, s.updated_at
       ${FROM} ${where.sql} ${orderOf(sort)} LIMIT ? OFFSET ?`,
  ).all(...where.params, page.limit, page.offset);
}

export function sampleIdsMatching(
  db: WritableDB,
  filter: SampleFilter,
  sort: { key: SampleSortKey; direction: 'asc' | 'desc' },
  band: OutlierBand | null,
): number[] {
  prepareSearch(db, filter);
  const where = whereOf(filter, band);
  return statement<unknown[], { id: number }>(db, `SELECT s.id ${FROM} ${where.sql} ${orderOf(sort)}`)
    .all(...where.params)
    .map((row) => row.id);
}

export type FacetCounts = Record<string, number>;

export const FACET_NAMES = ['status', 'split', 'kind', 'source', 'primitive', 'answer', 'lint', 'tag', 'media'] as const;
export type FacetName = (typeof FACET_NAMES)[number];
export type Facets = Record<FacetName, FacetCounts>;

/** Facets that are a column of the Library's row (one value per sample): counted together in one pass. */
const COLUMN_FACETS = {
  status: 's.status',
  split: 's.split',
  kind: 's.kind',
  primitive: 's.primitive',
  answer: 's.answer',
  media: "coalesce(c.media_status, 'none')",
} satisfies Partial<Record<FacetName, string>>;
type ColumnFacet = keyof typeof COLUMN_FACETS;
const COLUMN_FACET_NAMES = Object.keys(COLUMN_FACETS) as ColumnFacet[];

function grouped(db: ReadableDB, sql: string, params: unknown[] = []): FacetCounts {
  const counts: FacetCounts = {};
  for (const row of statement<unknown[], { value: string | null; n: number }>(db, sql).all(...params)) {
    if (row.value !== null) counts[row.value] = row.n;
  }
  return counts;
}

function without(filter: SampleFilter, name: FacetName): SampleFilter {
  const { [name]: _own, ...rest } = filter;
  return rest;
}

/** `SELECT s.id … WHERE …` as a subquery, or null when nothing narrows the samples (the cheaper unfiltered query applies). */
function matchingIds(where: WhereClause): string | null {
  return where.sql === '' ? null : `SELECT s.id ${FROM} ${where.sql}`;
}

/**
 * The queries behind libraryFacets, each a single pass over the samples (tens of ms at 100k).
 * Standard faceted search: each facet is counted under every active filter except its own, so a
 * menu keeps offering the values next to the ones chosen. The column facets whose own filter is
 * not active share one WHERE, so they are counted together in one GROUP BY over their combined
 * values. Reads only: a search filter needs the full-text index current first (libraryFacets, or
 * the studio's caller of its facet worker, refresh it).
 */
function libraryFacetSteps(db: ReadableDB, filter: SampleFilter, band: OutlierBand | null): Array<() => Partial<Facets>> {
  const steps: Array<() => Partial<Facets>> = [];
  const isActive = (name: FacetName) => filter[name] !== undefined;

  const shared = COLUMN_FACET_NAMES.filter((name) => !isActive(name));
  if (shared.length > 0) {
    steps.push(() => {
      const where = whereOf(filter, band);
      const columns = shared.map((name, index) => `${COLUMN_FACETS[name]} AS v${index}`).join(', ');
      const groups = shared.map((_, index) => `v${index}`).join(', ');
      const counts: Partial<Facets> = Object.fromEntries(shared.map((name) => [name, {}]));
      const rows = statement<unknown[], Record<string, string | number | null>>(db, `SELECT ${columns}, count(*) AS n ${FROM} ${where.sql} GROUP BY ${groups}`).all(...where.params);
      for (const row of rows) {
        const n = Number(row['n']);
        shared.forEach((name, index) => {
          const value = row[`v${index}`];
          const facet = counts[name] as FacetCounts;
          if (value !== null && value !== undefined) facet[String(value)] = (facet[String(value)] ?? 0) + n;
        });
      }
      // GROUP BY's order is lost in the sums: sort the values as the per-facet queries did.
      for (const name of shared) counts[name] = sortedCounts(counts[name] as FacetCounts);
      return counts;
    });
  }
  for (const name of COLUMN_FACET_NAMES.filter(isActive)) {
    steps.push(() => {
      const where = whereOf(without(filter, name), band);
      return { [name]: grouped(db, `SELECT ${COLUMN_FACETS[name]} AS value, count(*) AS n ${FROM} ${where.sql} GROUP BY 1 ORDER BY 1`, where.params) };
    });
  }

  steps.push(() => {
    const where = whereOf(without(filter, 'source'), band);
    const ids = matchingIds(where);
    return {
      source: grouped(
        db,
        `SELECT so.path AS value, count(DISTINCT ss.sample_id) AS n FROM sample_sources ss JOIN sources so ON so.id = ss.source_id
          ${ids === null ? '' : `WHERE ss.sample_id IN (${ids})`} GROUP BY so.path ORDER BY so.path`,
        where.params,
      ),
    };
  });
  steps.push(() => {
    const where = whereOf(without(filter, 'tag'), band);
    return { tag: grouped(db, `SELECT t.value AS value, count(*) AS n ${FROM} JOIN json_each(s.tags) t ${where.sql} GROUP BY 1 ORDER BY 1`, where.params) };
  });
  steps.push(() => {
    const where = whereOf(without(filter, 'lint'), band);
    const ids = matchingIds(where);
    const lint = grouped(
      db,
      `SELECT code AS value, count(*) AS n FROM sample_lint_codes ${ids === null ? '' : `WHERE sample_id IN (${ids})`} GROUP BY code ORDER BY code`,
      where.params,
    );
    if (band !== null) {
      const outlier = 'l.revision_id IS NOT NULL AND (l.chain_chars < ? OR l.chain_chars > ?)';
      const outliers = statement<unknown[], { n: number }>(
        db,
        `SELECT count(*) AS n ${FROM} ${where.sql === '' ? `WHERE ${outlier}` : `${where.sql} AND ${outlier}`}`,
      ).get(...where.params, band.below, band.above)?.n ?? 0;
      if (outliers > 0) lint[LENGTH_OUTLIER] = outliers;
    }
    return { lint };
  });
  return steps;
}

function sortedCounts(counts: FacetCounts): FacetCounts {
  return Object.fromEntries(Object.entries(counts).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
}

/** Values present for each Library filter with how many samples carry each, under the other active filters (libraryFacetSteps). */
export function countFacets(db: ReadableDB, filter: SampleFilter, band: OutlierBand | null): Facets {
  const facets: Facets = { status: {}, split: {}, kind: {}, source: {}, primitive: {}, answer: {}, lint: {}, tag: {}, media: {} };
  for (const step of libraryFacetSteps(db, filter, band)) Object.assign(facets, step());
  return facets;
}

/** countFacets on a writable connection, the full-text index brought up to date first. */
export function libraryFacets(db: WritableDB, filter: SampleFilter, band: OutlierBand | null): Facets {
  prepareSearch(db, filter);
  return countFacets(db, filter, band);
}

// ---------------------------------------------------------------------------------------------
// Bulk edits

export interface BulkUpdate {
  ids: readonly number[];
  status?: string;
  split?: string;
  addTags?: readonly string[];
  removeTags?: readonly string[];
}

/** Samples that held one status, split and tag list (tags as stored: a sorted, unique JSON array). */
export interface SampleStateGroup {
  status: string;
  split: string;
  tags: string;
  ids: number[];
}

export interface BulkUpdateResult {
  /** The ids that exist (what was updated), ascending. */
  ids: number[];
  /** What those samples held before, grouped by equal values: what an Undo restores. */
  previous: SampleStateGroup[];
}

/**
 * One transaction for the whole selection: a bulk status change over 10k samples either
 * happens or does not (and SQLite writes it once, not 10k times). The samples' values before the
 * change are read inside the same transaction, so an Undo restores exactly what this replaced.
 */
export function bulkUpdateSamples(db: WritableDB, update: BulkUpdate): BulkUpdateResult {
  return writeTransaction(db, (): BulkUpdateResult => {
    const timestamp = now();
    const ids = JSON.stringify(update.ids);
    const before = statement<[string], { id: number; status: string; split: string; tags: string }>(
      db,
      'SELECT s.id, s.status, s.split, s.tags FROM json_each(?) k JOIN samples s ON s.id = k.value GROUP BY s.id ORDER BY s.id',
    ).all(ids);
    const found = before.map((row) => row.id);
    if (found.length === 0) return { ids: found, previous: [] };
    const existing = JSON.stringify(found);
    if (update.status !== undefined) {
      statement(db, 'UPDATE samples SET status = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))').run(update.status, timestamp, existing);
    }
    if (update.split !== undefined) {
      statement(db, 'UPDATE samples SET split = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))').run(update.split, timestamp, existing);
    }
    if ((update.addTags?.length ?? 0) > 0 || (update.removeTags?.length ?? 0) > 0) {
      // Tags stay a sorted, unique JSON array: set semantics, stable output for exports.
      statement(
        db,
        `UPDATE samples SET updated_at = ?, tags = (
           SELECT coalesce(json_group_array(value), '[]') FROM (
             SELECT DISTINCT value FROM (
               SELECT value FROM json_each(samples.tags) UNION SELECT value FROM json_each(?)
             ) WHERE value NOT IN (SELECT value FROM json_each(?)) ORDER BY value))
         WHERE id IN (SELECT value FROM json_each(?))`,
      ).run(timestamp, JSON.stringify(update.addTags ?? []), JSON.stringify(update.removeTags ?? []), existing);
    }
    const groups = new Map<string, SampleStateGroup>();
    for (const row of before) {
      const key = JSON.stringify([row.status, row.split, row.tags]);
      const group = groups.get(key);
      if (group) group.ids.push(row.id);
      else groups.set(key, { status: row.status, split: row.split, tags: row.tags, ids: [row.id] });
    }
    return { ids: found, previous: [...groups.values()] };
  });
}

/**
 * Puts samples back to the values a bulk change replaced (bulkUpdateSamples' `previous`), all or
 * nothing: an Undo that restored half a selection would leave a state nobody chose. Returns the
 * ids that still exist (what was restored), ascending.
 */
export function restoreSamples(db: WritableDB, groups: readonly SampleStateGroup[]): number[] {
  return writeTransaction(db, (): number[] => {
    const timestamp = now();
    const restore = statement(
      db,
      'UPDATE samples SET status = ?, split = ?, tags = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?)) RETURNING id',
    );
    const restored: number[] = [];
    for (const group of groups) {
      for (const row of restore.all(group.status, group.split, group.tags, timestamp, JSON.stringify(group.ids)) as Array<{ id: number }>) restored.push(row.id);
    }
    return restored.sort((left, right) => left - right);
  });
}

export function setSampleStatus(db: WritableDB, id: number, status: string): { status: string; updated_at: string } | null {
  const timestamp = now();
  const result = statement(db, 'UPDATE samples SET status = ?, updated_at = ? WHERE id = ?').run(status, timestamp, id);
  return result.changes === 0 ? null : { status, updated_at: timestamp };
}

// ---------------------------------------------------------------------------------------------
// Saved views

export interface SavedViewRow {
  name: string;
  filter: string;
  sort: string;
  updated_at: string;
}

export function listSavedViews(db: ReadableDB): SavedViewRow[] {
  return statement<[], SavedViewRow>(db, 'SELECT name, filter, sort, updated_at FROM saved_views ORDER BY name').all();
}

/** Saving under an existing name replaces that view (the Library's "save view as…" overwrites). */
export function saveView(db: WritableDB, name: string, filter: string, sort: string): void {
  statement(
    db,
    'INSERT INTO saved_views(name, filter, sort, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET filter = excluded.filter, sort = excluded.sort, updated_at = excluded.updated_at',
  ).run(name, filter, sort, now());
}

export function deleteView(db: WritableDB, name: string): boolean {
  return statement(db, 'DELETE FROM saved_views WHERE name = ?').run(name).changes > 0;
}

// ---------------------------------------------------------------------------------------------
// The lint cache

export interface PendingLintRow {
  sample_id: number;
  revision_id: number | null;
  text: string | null;
  options: string;
  primitive: string | null;
  clip_id: number | null;
}

export function pendingLintCount(db: ReadableDB): number {
  return statement<[], { n: number }>(db, 'SELECT count(*) AS n FROM sample_lint_pending').get()?.n ?? 0;
}

export function hasPendingLint(db: ReadableDB): boolean {
  return statement<[], { one: number }>(db, 'SELECT 1 AS one FROM sample_lint_pending LIMIT 1').get() !== undefined;
}

/** A batch of samples whose cache row is stale, with what linting them needs (-1: all of them). */
export function pendingLint(db: ReadableDB, limit: number): PendingLintRow[] {
  return statement<[number], PendingLintRow>(
    db,
    `SELECT s.id AS sample_id, s.head_revision_id AS revision_id, r.text, s.options, s.primitive, s.clip_id
       FROM sample_lint_pending p JOIN samples s ON s.id = p.sample_id
       LEFT JOIN chain_revisions r ON r.id = s.head_revision_id
      ORDER BY p.sample_id LIMIT ?`,
  ).all(limit);
}

export interface LintCacheEntry {
  sampleId: number;
  revisionId: number | null;
  words: number;
  chars: number;
  /** Sorted, unique, without 'length-outlier'. */
  codes: readonly string[];
  contradictions: number;
}

/** Writes cache rows and clears their pending marks. Call inside the caller's transaction or alone. */
export function writeLintCache(db: WritableDB, entries: readonly LintCacheEntry[], pendingIds: readonly number[] = []): void {
  const upsert = statement(
    db,
    `INSERT INTO sample_lint(sample_id, revision_id, chain_words, chain_chars, codes, contradictions) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(sample_id) DO UPDATE SET revision_id = excluded.revision_id, chain_words = excluded.chain_words,
       chain_chars = excluded.chain_chars, codes = excluded.codes, contradictions = excluded.contradictions`,
  );
  const clearCodes = statement(db, 'DELETE FROM sample_lint_codes WHERE sample_id = ? AND code NOT IN (SELECT value FROM json_each(?))');
  const addCode = statement(db, 'INSERT OR IGNORE INTO sample_lint_codes(code, sample_id) VALUES (?, ?)');
  const unmark = statement(db, 'DELETE FROM sample_lint_pending WHERE sample_id = ?');
  // IMMEDIATE when alone (db/writers.ts); inside the caller's transaction, a savepoint of it.
  writeTransaction(db, () => {
    for (const entry of entries) {
      const codes = JSON.stringify(entry.codes);
      upsert.run(entry.sampleId, entry.revisionId, entry.words, entry.chars, codes, entry.contradictions);
      clearCodes.run(entry.sampleId, codes);
      for (const code of entry.codes) addCode.run(code, entry.sampleId);
    }
    for (const id of pendingIds) unmark.run(id);
  });
}

export interface LintCacheRow {
  sample_id: number;
  revision_id: number | null;
  chain_words: number;
  chain_chars: number;
  codes: string;
  contradictions: number;
}

/** The whole cache; without the rows marked stale when `isPendingLeftOut` (the caller lints those itself). */
export function lintCacheRows(db: ReadableDB, isPendingLeftOut: boolean): LintCacheRow[] {
  const where = isPendingLeftOut ? 'WHERE NOT EXISTS (SELECT 1 FROM sample_lint_pending p WHERE p.sample_id = l.sample_id)' : '';
  return statement<[], LintCacheRow>(
    db,
    `SELECT l.sample_id, l.revision_id, l.chain_words, l.chain_chars, l.codes, l.contradictions FROM sample_lint l ${where}`,
  ).all();
}

/** Marks samples stale (their clip was re-analyzed: contradiction counts may change). */
export function markLintPending(db: WritableDB, sampleIds: readonly number[]): void {
  statement(db, 'INSERT OR IGNORE INTO sample_lint_pending(sample_id) SELECT value FROM json_each(?)').run(JSON.stringify(sampleIds));
}

/** Every current chain length in characters (what lint's length norms are computed from). */
export function chainCharLengths(db: ReadableDB): number[] {
  return statement<[], { n: number }>(db, 'SELECT chain_chars AS n FROM sample_lint WHERE revision_id IS NOT NULL')
    .all()
    .map((row) => row.n);
}

export function chainWordLengths(db: ReadableDB): number[] {
  return statement<[], { n: number }>(db, 'SELECT chain_words AS n FROM sample_lint WHERE revision_id IS NOT NULL ORDER BY n')
    .all()
    .map((row) => row.n);
}

export function contradictionCount(db: ReadableDB): number {
  return statement<[], { n: number }>(db, 'SELECT count(*) AS n FROM sample_lint WHERE contradictions > 0').get()?.n ?? 0;
}

export function sampleIdsOfClip(db: ReadableDB, clipId: number): number[] {
  return statement<[number], { id: number }>(db, 'SELECT id FROM samples WHERE clip_id = ? ORDER BY id').all(clipId).map((row) => row.id);
}
