// The studio's backend over one open project: every method of the contract
// (common/api/contract.ts) as a handler, the push events, the clip media service, and an
// orderly close. Hosts (main/web, main/electron, the in-process client) wrap `call` in their
// transport; none of them touches the database.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import {
  ApiError, EVENTS, savedView, type ApiHandlers, type ClipDetail, type EventName, type EventPayload, type LibraryFilter,
  type LibraryRow, type MethodRequest, type MethodResponse, type ProjectInfo, type ProjectStats, type Revision,
} from '../../common/api/contract';
import { isPrimitive, PRIMITIVES, type Primitive } from '../../common/camerabench/primitives';
import { InputError } from '../../common/errors';
import { percentile } from '../../common/metrics/percentiles';
import { loadClipAnalysis } from '../../db/analysis';
import type { RevisionRow } from '../../db/chains';
import { openProject, type WritableDB } from '../../db/connection';
import {
  bulkUpdateSamples, chainWordLengths, contradictionCount, countSamples, deleteView, ftsQuery, libraryFacets, pendingLintCount,
  listSavedViews, markLintPending, querySamples, sampleIdsMatching, sampleIdsOfClip, saveView, setSampleStatus, writeLintCache,
  type LibraryRowRecord, type OutlierBand, type SampleFilter,
} from '../../db/library';
import {
  appendRevisionIfHead, clipById, countSamplesAndClips, labelsOfClip, revisionById, revisionCount, sampleById, samplesBySource,
  setClipLabel, sourcePathsOfSample, splitsOfClip,
} from '../../db/samples';
import { refreshSearchIndex, revisionsOf } from '../../db/chains';
import { clipsInSeveralSplits, projectCounts } from '../../db/stats';
import { importFilesInWorker } from '../formats/importInWorker';
import { createFrameCache, parseStoredProbe, type FrameCache } from '../media';
import { analyzeProjectClip } from './analyzeClip';
import { dispatch, type CallOutcome, type DispatchOptions } from './dispatch';
import { contradictionsOf, lengthBand, lintEntry, readingForChecks, refreshLintCache, refreshLintCacheChunk } from './lintCache';
import { createClipMediaService, type ClipMediaService, type MediaUrls } from './media';

export type StudioHost = ProjectInfo['host'];

export interface StudioOptions {
  projectPath: string;
  host: StudioHost;
  /** How this host addresses clip media (web: /media/… with the token; Electron: frustum-media://…). */
  mediaUrls: MediaUrls;
  /** The name a person's revisions carry; default: the OS user name. */
  author?: string;
  /** Frame cache folder; default: `frustum-cache` beside the project. */
  cacheRoot?: string;
  log?: (line: string) => void;
  dispatch?: Omit<DispatchOptions, 'log'>;
  /** Longest clip (frames) extracted whole for scrubbing; longer ones decode frame by frame. */
  wholeClipFrameLimit?: number;
}

export interface Studio {
  readonly projectPath: string;
  readonly handlers: ApiHandlers;
  readonly media: ClipMediaService;
  /** Validated, timed, logged call: what every transport uses. Never throws. */
  call(method: string, request: unknown): Promise<CallOutcome>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Any event, for transports that forward everything (WebSocket, IPC). */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void;
  /** Waits for calls in flight (up to `graceMs`), cancels background work, closes the database. */
  close(graceMs?: number): Promise<void>;
}

function defaultAuthor(): string {
  try {
    return userInfo().username || 'curator';
  } catch {
    return 'curator';
  }
}

function parseJsonList(json: string | null): string[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function primitiveOrNull(value: string | null): Primitive | null {
  return value !== null && isPrimitive(value) ? value : null;
}

function toRevision(row: RevisionRow): Revision {
  return { id: row.id, parentId: row.parent_id, text: row.text, authorKind: row.author_kind, author: row.author, createdAt: row.created_at };
}

function toSampleFilter(filter: LibraryFilter): SampleFilter {
  const search = filter.search === undefined ? null : ftsQuery(filter.search);
  const { search: _search, ...rest } = filter;
  return search === null ? rest : { ...rest, search };
}

export function openStudio(options: StudioOptions): Studio {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const author = options.author ?? defaultAuthor();
  const db: WritableDB = openProject(options.projectPath);
  let isClosed = false;
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const inFlight = new Set<Promise<unknown>>();
  let cache: FrameCache;
  let media: ClipMediaService;
  let jobCounter = 0;
  const newJobId = (kind: string) => `${kind}-${Date.now().toString(36)}-${(jobCounter++).toString(36)}`;

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Events are checked like responses: a bad payload is our bug and must not reach a renderer.
    const parsed = EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      log(`event ${event} not sent: ${parsed.error.message}`);
      return;
    }
    for (const listener of [...listeners]) {
      try {
        listener(event, parsed.data);
      } catch (error) {
        log(`event listener for ${event} failed: ${String(error)}`);
      }
    }
  }

  try {
    cache = createFrameCache(options.cacheRoot !== undefined ? { root: options.cacheRoot } : { projectPath: options.projectPath });
    media = createClipMediaService(db, cache, {
      onFramesProgress: (clipId, done, total) => emit('job.progress', { jobId: `frames-${clipId}`, kind: 'frames', done, total, message: `extracting frames of clip ${clipId}` }),
      onFramesFinished: (clipId, error) => emit('job.finished', { jobId: `frames-${clipId}`, error }),
    }, options.wholeClipFrameLimit);
  } catch (error) {
    db.close();
    throw error;
  }

  // The Library cache (migration 4) goes stale wherever anyone changed a chain: triggers list
  // those samples in sample_lint_pending, whoever wrote (this studio, the CLI's import while the
  // studio is open, the analyzer). A few hundred stale rows are relinted before the query that
  // needs them (tens of ms); more — a first open of a big project, a big import — are relinted
  // in small chunks between calls (lint costs ~0.2 ms a chain: 100k chains would hold the event
  // loop for seconds), and queries meanwhile read the cache as it is. When done, a
  // 'samples.changed' event tells the renderer to refetch.
  const INLINE_RELINT_LIMIT = 500;
  // ~10 ms of linting per turn: a Library query arriving meanwhile waits at most that long.
  const BACKGROUND_CHUNK = 50;
  const BAND_REFRESH_MS = 3000;
  let background: Promise<void> | null = null;
  /** The length band (lint's 'length-outlier') follows the whole dataset: recomputed after the cache changed. */
  let isBandStale = true;
  let band: OutlierBand | null = null;

  async function relintInBackground(): Promise<void> {
    const readings = new Map<number, ReturnType<typeof readingForChecks>>();
    try {
      // Imports defer full-text indexing to the first search; do it first, while nobody waits.
      refreshSearchIndex(db);
      // The length band (percentiles over every chain) takes tens of milliseconds at 100k
      // samples: refreshed every few seconds while relinting, not before every Library query.
      let bandRefreshedAt = performance.now();
      while (!isClosed) {
        const count = refreshLintCacheChunk(db, BACKGROUND_CHUNK, readings);
        if (count === 0) break;
        if (performance.now() - bandRefreshedAt > BAND_REFRESH_MS) {
          isBandStale = true;
          bandRefreshedAt = performance.now();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      isBandStale = true;
      if (!isClosed) emit('samples.changed', { ids: [], reason: 'analysis' });
    } catch (error) {
      log(`relinting the Library cache failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      background = null;
    }
  }

  function freshBand(): OutlierBand | null {
    if (background === null) {
      const pending = pendingLintCount(db);
      if (pending > 0 && pending <= INLINE_RELINT_LIMIT) {
        refreshLintCache(db);
        isBandStale = true;
      } else if (pending > 0) {
        background = relintInBackground();
      }
    }
    if (isBandStale) {
      band = lengthBand(db)?.band ?? null;
      isBandStale = false;
    }
    return band;
  }
  // Start on open: by the time the Library asks, a big project is (being) relinted. Deferred
  // one turn so a host's listeners are attached before the first event.
  setImmediate(() => {
    if (!isClosed) freshBand();
  });

  function toRow(record: LibraryRowRecord, currentBand: OutlierBand | null): LibraryRow {
    const lint = parseJsonList(record.codes);
    const chars = record.chain_chars ?? 0;
    if (currentBand !== null && record.has_chain && (chars < currentBand.below || chars > currentBand.above)) lint.push('length-outlier');
    return {
      id: record.id,
      clipId: record.clip_id,
      clipName: record.clip_name ?? '',
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

  function clipDetail(clipId: number | null): ClipDetail | null {
    if (clipId === null) return null;
    const clip = clipById(db, clipId);
    if (!clip) return null;
    const probe = parseStoredProbe(clip.probe);
    const fps = probe ? (probe.averageFrameRate > 0 ? probe.averageFrameRate : probe.realFrameRate) : null;
    return {
      id: clip.id,
      name: clip.name,
      mediaStatus: clip.media_status,
      mediaError: clip.media_error,
      durationSeconds: probe?.durationSeconds ?? null,
      fps: fps !== null && fps > 0 ? fps : null,
      frameCount: probe?.frameCount ?? null,
      width: probe?.displayWidth ?? null,
      height: probe?.displayHeight ?? null,
      splits: splitsOfClip(db, clip.id),
    };
  }

  function requireSample(id: number) {
    const sample = sampleById(db, id);
    if (!sample) throw new ApiError('not-found', `no sample ${id} in this project`);
    return sample;
  }

  function requireClip(clipId: number) {
    const clip = clipById(db, clipId);
    if (!clip) throw new ApiError('not-found', `no clip ${clipId} in this project`);
    return clip;
  }

  /** Appends a person's revision if the head is still `parent`; refreshes the sample's cache row in the same transaction. */
  function saveRevision(id: number, text: string, parent: number | null): { revision: Revision; contradictions: MethodResponse<'sample.saveChain'>['contradictions'] } {
    const sample = requireSample(id);
    const reading = readingForChecks(db, sample.clip_id);
    const outcome = appendRevisionIfHead(db, id, parent, text, { kind: 'person', name: author }, (revision) => {
      writeLintCache(
        db,
        [lintEntry({ sample_id: id, revision_id: revision.id, text, options: sample.options, primitive: sample.primitive, clip_id: sample.clip_id }, () => reading)],
        [id],
      );
    });
    if (!outcome.ok) {
      if (outcome.reason === 'no-sample') throw new ApiError('not-found', `no sample ${id} in this project`);
      throw new ApiError(
        'conflict',
        `sample ${id} was changed meanwhile (its chain is now revision ${outcome.headRevisionId ?? 'none'}, you edited ${parent ?? 'an empty chain'}); reload it and apply your edit again`,
      );
    }
    isBandStale = true;
    emit('samples.changed', { ids: [id], reason: 'chain' });
    return { revision: toRevision(outcome.revision), contradictions: contradictionsOf(text, reading, sample.primitive, sample.options) };
  }

  function labelsOf(clipId: number): MethodResponse<'clip.labels'>['labels'] {
    const byPrimitive = new Map(labelsOfClip(db, clipId).map((label) => [label.primitive, label]));
    return PRIMITIVES.map((primitive) => {
      const label = byPrimitive.get(primitive);
      return { primitive, value: label === undefined ? null : label.value === 1 ? 1 : 0, author: label?.author ?? null };
    });
  }

  function stats(): ProjectStats {
    const currentBand = freshBand();
    const counts = projectCounts(db);
    const facets = libraryFacets(db, currentBand);
    const words = chainWordLengths(db);
    const at = (q: number) => (words.length === 0 ? 0 : Math.round(percentile(words, q)));
    const histogram: ProjectStats['chainLengthHistogram'] = [];
    if (words.length > 0) {
      const max = words[words.length - 1] ?? 0;
      const width = Math.max(1, Math.ceil((max + 1) / 12));
      for (let from = 0; from <= max; from += width) histogram.push({ from, to: from + width, count: 0 });
      for (const length of words) {
        const bucket = histogram[Math.floor(length / width)];
        if (bucket) bucket.count += 1;
      }
    }
    const warnings: ProjectStats['warnings'] = [];
    const letters = Object.entries(counts.samples.byAnswer).filter(([letter]) => /^[A-Z]$/.test(letter));
    const lettered = letters.reduce((sum, [, n]) => sum + n, 0);
    const [top] = [...letters].sort((a, b) => b[1] - a[1]);
    // Same rule as `frustum stats` (main/cli/commands/stats.ts): ≥ 20 answers, one letter over 75 %.
    if (top && letters.length > 1 && lettered >= 20 && top[1] / lettered > 0.75) {
      warnings.push({
        code: 'answer-imbalance',
        message: `answer-letter imbalance: ${top[0]} is the answer of ${((top[1] / lettered) * 100).toFixed(1)}% of samples`,
        filter: { answer: [top[0]] },
      });
    }
    const leaks = clipsInSeveralSplits(db);
    if (leaks.length > 0) {
      warnings.push({
        code: 'clip-in-several-splits',
        message: `${leaks.length} clip(s) have samples in more than one split (train/test leak)`,
        filter: { clipInSeveralSplits: true },
      });
    }
    const contradictions = contradictionCount(db);
    if (contradictions > 0) {
      warnings.push({ code: 'contradictions', message: `${contradictions} chain(s) contradict the analyzer's measurement of their clip`, filter: { hasContradiction: true } });
    }
    const outliers = facets.lint['length-outlier'] ?? 0;
    if (outliers > 0) {
      warnings.push({ code: 'length-outliers', message: `${outliers} chain(s) are far shorter or longer than the dataset's norm`, filter: { lint: ['length-outlier'] } });
    }
    const missing = counts.samples.total - counts.samples.withChain;
    if (missing > 0 && counts.samples.withChain > 0) {
      warnings.push({ code: 'without-chain', message: `${missing} sample(s) have no O-T-A chain yet`, filter: { chainLength: { max: 1 } } });
    }
    const clipStatus = counts.clips.byStatus;
    return {
      clips: { total: counts.clips.total, ok: clipStatus['ok'] ?? 0, missing: clipStatus['missing'] ?? 0, error: clipStatus['error'] ?? 0 },
      samples: counts.samples.total,
      byKind: counts.samples.byKind,
      byStatus: counts.samples.byStatus,
      bySplit: counts.samples.bySplit,
      byPrimitive: counts.samples.byPrimitive,
      byAnswer: counts.samples.byAnswer,
      bySource: samplesBySource(db),
      chainLength: { count: words.length, p5: at(5), p25: at(25), p50: at(50), p75: at(75), p95: at(95) },
      chainLengthHistogram: histogram,
      lint: facets.lint,
      contradictions,
      warnings,
    };
  }

  async function importDropped(request: MethodRequest<'import.files'>): Promise<MethodResponse<'import.files'>> {
    const jobId = newJobId('import');
    // importFiles reads paths (and detects formats by content and extension): give each dropped
    // file its own folder so two files of the same name cannot collide, and keep its name.
    const folder = mkdtempSync(join(tmpdir(), 'frustum-drop-'));
    try {
      const paths = request.files.map((file, index) => {
        const name = basename(file.name).replace(/[^\w.\- ]/g, '_') || `file-${index}${extname(file.name)}`;
        const directory = join(folder, String(index));
        mkdirSync(directory);
        const path = join(directory, name === '.' || name === '..' ? `file-${index}` : name);
        writeFileSync(path, file.content, 'utf8');
        return path;
      });
      emit('job.progress', { jobId, kind: 'import', done: 0, total: 1, message: `importing ${paths.length} file(s)` });
      let report;
      try {
        // On a worker thread: the host keeps answering, and progress reaches the page as it happens.
        report = await importFilesInWorker(
          // Dropped files have no folder of their own: look for clips beside the project.
          { projectPath: options.projectPath, paths, options: { format: request.format ?? 'auto', videosDir: dirname(options.projectPath) } },
          (done, total) => emit('job.progress', { jobId, kind: 'import', done, total, message: 'importing records' }),
        );
      } catch (error) {
        // Problems name the temporary copy; people know the file by the name they dropped.
        const message = error instanceof Error ? error.message.replaceAll(`${folder}/`, '').replace(/(^|\s)\d+\//g, '$1') : String(error);
        emit('job.finished', { jobId, error: message });
        if (error instanceof InputError) throw new ApiError('bad-request', `nothing was imported: ${message}`);
        throw error;
      }
      isBandStale = true;
      emit('job.finished', { jobId, error: null });
      emit('samples.changed', { ids: [], reason: 'import' });
      return { jobId, samplesAdded: report.samplesAdded, samplesUpdated: report.samplesMerged, clipsAdded: report.clipsAdded };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  const handlers: ApiHandlers = {
    'project.info': () => {
      const totals = countSamplesAndClips(db);
      return {
        path: options.projectPath,
        name: basename(options.projectPath, extname(options.projectPath)),
        host: options.host,
        sampleCount: totals.samples,
        clipCount: totals.clips,
        readOnly: false,
      };
    },

    'library.query': (request) => {
      const currentBand = freshBand();
      const filter = toSampleFilter(request.filter);
      const total = countSamples(db, filter, currentBand);
      const rows = total === 0 ? [] : querySamples(db, filter, request.sort, currentBand, { offset: request.offset, limit: request.limit });
      return { total, rows: rows.map((row) => toRow(row, currentBand)) };
    },
    'library.ids': (request) => ({ ids: sampleIdsMatching(db, toSampleFilter(request.filter), request.sort, freshBand()) }),
    'library.facets': () => libraryFacets(db, freshBand()),
    'library.bulkUpdate': (request) => {
      if (request.status === undefined && request.split === undefined && !request.addTags?.length && !request.removeTags?.length) {
        throw new ApiError('bad-request', 'library.bulkUpdate: nothing to change (give status, split, addTags or removeTags)');
      }
      const updated = bulkUpdateSamples(db, request);
      isBandStale = true;
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

    'sample.get': (request) => {
      const sample = requireSample(request.id);
      const head = sample.head_revision_id === null ? undefined : revisionById(db, sample.head_revision_id);
      const contradictions = head ? contradictionsOf(head.text, readingForChecks(db, sample.clip_id), sample.primitive, sample.options) : [];
      return {
        id: sample.id,
        kind: sample.kind,
        problemId: sample.problem_id,
        question: sample.question,
        options: parseJsonList(sample.options),
        problemType: sample.problem_type,
        answer: sample.answer,
        primitive: primitiveOrNull(sample.primitive),
        split: sample.split,
        status: sample.status as MethodResponse<'sample.get'>['status'],
        tags: parseJsonList(sample.tags),
        sources: sourcePathsOfSample(db, sample.id),
        clip: clipDetail(sample.clip_id),
        head: head ? toRevision(head) : null,
        revisionCount: revisionCount(db, sample.id),
        contradictions,
        updatedAt: sample.updated_at,
      };
    },
    'sample.saveChain': (request) => saveRevision(request.id, request.text, request.parentRevisionId),
    'sample.setStatus': (request) => {
      const result = setSampleStatus(db, request.id, request.status);
      if (result === null) throw new ApiError('not-found', `no sample ${request.id} in this project`);
      isBandStale = true;
      emit('samples.changed', { ids: [request.id], reason: 'status' });
      return { status: request.status, updatedAt: result.updated_at };
    },
    'sample.revisions': (request) => {
      requireSample(request.id);
      return { revisions: revisionsOf(db, request.id).map(toRevision) };
    },
    'sample.restore': (request) => {
      requireSample(request.id);
      const old = revisionById(db, request.revisionId);
      if (!old || old.sample_id !== request.id) throw new ApiError('not-found', `sample ${request.id} has no revision ${request.revisionId}`);
      return { revision: saveRevision(request.id, old.text, request.parentRevisionId).revision };
    },

    'clip.media': (request) => media.describe(request.clipId, options.mediaUrls),
    'clip.analysis': (request) => {
      requireClip(request.clipId);
      return { analysis: loadClipAnalysis(db, request.clipId) };
    },
    'clip.analyze': async (request) => {
      const clip = requireClip(request.clipId);
      const jobId = newJobId('analyze');
      emit('job.progress', { jobId, kind: 'analyze', done: 0, total: 1, message: `analyzing ${clip.name}` });
      try {
        await analyzeProjectClip(db, request.clipId);
      } catch (error) {
        emit('job.finished', { jobId, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      emit('job.progress', { jobId, kind: 'analyze', done: 1, total: 1, message: `analyzed ${clip.name}` });
      emit('job.finished', { jobId, error: null });
      const ids = sampleIdsOfClip(db, request.clipId);
      // A new reading changes what the clip's chains contradict: relint them.
      markLintPending(db, ids);
      isBandStale = true;
      emit('samples.changed', { ids, reason: 'analysis' });
      const analysis = loadClipAnalysis(db, request.clipId);
      if (analysis === null) throw new ApiError('internal', `clip.analyze: the reading of ${clip.name} was not stored`);
      return { analysis };
    },
    'clip.labels': (request) => {
      requireClip(request.clipId);
      return { labels: labelsOf(request.clipId) };
    },
    'clip.setLabel': (request) => {
      requireClip(request.clipId);
      setClipLabel(db, request.clipId, request.primitive, request.value, author);
      emit('samples.changed', { ids: sampleIdsOfClip(db, request.clipId), reason: 'labels' });
      return { labels: labelsOf(request.clipId) };
    },

    'stats.get': () => stats(),

    'import.files': (request) => importDropped(request),
  };

  async function call(method: string, request: unknown): Promise<CallOutcome> {
    if (isClosed) return { ok: false, error: { code: 'unavailable', message: 'the project is closed' } };
    const running = dispatch(handlers, method, request, { ...options.dispatch, log });
    inFlight.add(running);
    try {
      return await running;
    } finally {
      inFlight.delete(running);
    }
  }

  return {
    projectPath: options.projectPath,
    handlers,
    media,
    call,
    on: (event, listener) => {
      const wrapped = (name: EventName, payload: unknown) => {
        if (name === event) listener(payload as EventPayload<typeof event>);
      };
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    onAny: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async (graceMs = 5000) => {
      if (isClosed) return;
      isClosed = true;
      // Drain: a save in flight finishes (and commits) before the database closes.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      // The background relint checks isClosed between chunks: let its current chunk finish.
      await background;
      media.close();
      listeners.clear();
      db.close();
    },
  };
}
