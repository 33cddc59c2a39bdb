// The Library: paged rows, every id of a filter, facets, bulk edits (and their undo) and saved views.
import { ApiError, reviewStatus, savedView, type LibraryRow, type SampleState } from '../../../common/api/contract';
import { primitiveOrNull } from '../../../common/camerabench/primitives';
import {
  bulkUpdateSamples, countSamples, deleteView, listSavedViews, prepareSearch, querySamples, restoreSamples, sampleIdsMatching,
  saveView, toSampleFilter, type LibraryRowRecord, type OutlierBand, type SampleStateGroup,
} from '../../../db/library';
import type { Handlers, StudioContext } from '../context';
import { parseJsonList } from './json';

type LibraryMethods =
  | 'library.query' | 'library.ids' | 'library.facets' | 'library.bulkUpdate' | 'library.restore' | 'views.list' | 'views.save' | 'views.delete';

/** The most samples one library.restore may name (what one bulk update may change). */
const MAX_RESTORED = 100_000;

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

function toSampleState(group: SampleStateGroup): SampleState {
  return { status: reviewStatus.parse(group.status), split: group.split, tags: parseJsonList(group.tags), ids: group.ids };
}

/** Tags back as stored: the sorted, unique JSON array bulk updates keep (the order given is the order read). */
function toStateGroup(state: SampleState): SampleStateGroup {
  return { status: state.status, split: state.split, tags: JSON.stringify(state.tags), ids: state.ids };
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
    'library.facets': (request) => {
      const filter = toSampleFilter(request.filter);
      // The worker reads only; a search needs the full-text index current (imports defer it).
      prepareSearch(db, filter);
      return context.facets.count(filter, lint.band());
    },
    'library.bulkUpdate': (request) => {
      if (request.status === undefined && request.split === undefined && !request.addTags?.length && !request.removeTags?.length) {
        throw new ApiError('bad-request', 'library.bulkUpdate: nothing to change (give status, split, addTags or removeTags)');
      }
      const result = bulkUpdateSamples(db, request);
      lint.markStale();
      if (result.ids.length > 0) emit('samples.changed', { ids: result.ids, reason: 'bulk' });
      return { updated: result.ids.length, previous: result.previous.map(toSampleState) };
    },
    'library.restore': (request) => {
      const named = request.samples.reduce((sum, group) => sum + group.ids.length, 0);
      if (named > MAX_RESTORED) throw new ApiError('bad-request', `library.restore: ${named} ids; at most ${MAX_RESTORED} in one call`);
      const seen = new Set<number>();
      for (const group of request.samples) {
        for (const id of group.ids) {
          // Two values for one sample: which one "restores" it? Refuse rather than guess.
          if (seen.has(id)) throw new ApiError('bad-request', `library.restore: sample ${id} is named twice`);
          seen.add(id);
        }
      }
      const restored = restoreSamples(db, request.samples.map(toStateGroup));
      lint.markStale();
      if (restored.length > 0) emit('samples.changed', { ids: restored, reason: 'bulk' });
      return { restored: restored.length };
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
