// The Library: paged rows, every id of a filter, facets, bulk edits and saved views.
import { ApiError, savedView, type LibraryFilter, type LibraryRow } from '../../../common/api/contract';
import { isPrimitive, type Primitive } from '../../../common/camerabench/primitives';
import {
  bulkUpdateSamples, countSamples, deleteView, ftsQuery, libraryFacets, listSavedViews, querySamples, sampleIdsMatching, saveView,
  type LibraryRowRecord, type OutlierBand, type SampleFilter,
} from '../../../db/library';
import type { Handlers, StudioContext } from '../context';
import { parseJsonList } from './json';

type LibraryMethods = 'library.query' | 'library.ids' | 'library.facets' | 'library.bulkUpdate' | 'views.list' | 'views.save' | 'views.delete';

function primitiveOrNull(value: string | null): Primitive | null {
  return value !== null && isPrimitive(value) ? value : null;
}

/** The contract's filter as db/ reads it: the search box text becomes a safe FTS5 query. */
export function toSampleFilter(filter: LibraryFilter): SampleFilter {
  const search = filter.search === undefined ? null : ftsQuery(filter.search);
  const { search: _search, ...rest } = filter;
  return search === null ? rest : { ...rest, search };
}

function toRow(record: LibraryRowRecord, band: OutlierBand | null): LibraryRow {
  const lint = parseJsonList(record.codes);
  const chars = record.chain_chars ?? 0;
  if (band !== null && record.has_chain && (chars < band.below || chars > band.above)) lint.push('length-outlier');
  return {
    id: record.id,
    clipId: record.clip_id,
    clipName: record.clip_name ?? '',
    mediaStatus: record.media_status,
    question: record.question,
    kind: record.kind,
    primitive: primitiveOrNull(record.primitive),
    answer: record.answer,
    split: record.split,
    status: record.status as LibraryRow['status'],
    tags: parseJsonList(record.tags),
    chainLength: record.chain_words ?? 0,
    lint: lint.sort(),
    contradictions: record.contradictions ?? 0,
    updatedAt: record.updated_at,
  };
}

export function libraryHandlers(context: StudioContext): Handlers<LibraryMethods> {
  const { db, lint, emit, log } = context;
  return {
    'library.query': (request) => {
      const band = lint.band();
      const filter = toSampleFilter(request.filter);
      const total = countSamples(db, filter, band);
      const rows = total === 0 ? [] : querySamples(db, filter, request.sort, band, { offset: request.offset, limit: request.limit });
      return { total, rows: rows.map((row) => toRow(row, band)) };
    },
    'library.ids': (request) => ({ ids: sampleIdsMatching(db, toSampleFilter(request.filter), request.sort, lint.band()) }),
    'library.facets': () => libraryFacets(db, lint.band()),
    'library.bulkUpdate': (request) => {
      if (request.status === undefined && request.split === undefined && !request.addTags?.length && !request.removeTags?.length) {
        throw new ApiError('bad-request', 'library.bulkUpdate: nothing to change (give status, split, addTags or removeTags)');
      }
      const updated = bulkUpdateSamples(db, request);
      lint.markStale();
      if (updated.length > 0) emit('samples.changed', { ids: updated, reason: 'bulk' });
      return { updated: updated.length };
    },

    'views.list': () => ({
      // Each view is checked on its own: one unreadable view (hand-edited, or saved by another
      // version) is skipped and logged instead of failing the whole list.
      views: listSavedViews(db).flatMap((row) => {
        let parsed;
        try {
          parsed = savedView.safeParse({ name: row.name, filter: JSON.parse(row.filter) as unknown, sort: JSON.parse(row.sort) as unknown });
        } catch {
          parsed = null;
        }
        if (parsed?.success) return [parsed.data];
        log(`saved view ${JSON.stringify(row.name)} cannot be read; skipped`);
        return [];
      }),
    }),
    'views.save': (request) => {
      saveView(db, request.name, JSON.stringify(request.filter), JSON.stringify(request.sort));
      return { ok: true };
    },
    'views.delete': (request) => {
      if (!deleteView(db, request.name)) throw new ApiError('not-found', `no saved view named ${JSON.stringify(request.name)}`);
      return { ok: true };
    },
  };
}
