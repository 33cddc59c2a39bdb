// The studio's backend over one open project, put together in one place for every host (the
// web mode, Electron's backend process, the in-process client): it opens the project, makes the
// shared context (./context.ts), composes the handler files of each area (./handlers/) into the
// one handler map the contract asks for, and closes everything in order. Hosts wrap `call` in
// their transport; none of them touches the database.
import { userInfo } from 'node:os';
import { EVENTS, type ApiHandlers, type EventName, type EventPayload } from '../../common/api/contract';
import { openProject, type WritableDB } from '../../db/connection';
import { isBusyError, setLockWait } from '../../db/writers';
import { createJobSupervisor } from '../jobs/supervisor';
import { createFrameCache, type FrameCache } from '../media';
import type { StudioContext, StudioHost } from './context';
import { dispatch, type CallOutcome, type DispatchOptions } from './dispatch';
import { watchExternalWrites } from './externalWrites';
import { clipsHandlers } from './handlers/clips';
import { dialogHandlers } from './handlers/dialog';
import { enginesHandlers } from './handlers/engines';
import { evaluationHandlers } from './handlers/evaluation';
import { importsHandlers } from './handlers/imports';
import { inferenceHandlers, inferenceProgressOf } from './handlers/inference';
import { jobsHandlers } from './handlers/jobs';
import { libraryHandlers } from './handlers/library';
import { projectHandlers } from './handlers/project';
import { relinkHandlers } from './handlers/relink';
import { samplesHandlers } from './handlers/samples';
import { statsHandlers } from './handlers/stats';
import { auditHandlers } from './handlers/audit';
import { createFacetCounter } from './facetCounter';
import { createLintRefresher } from './lintRefresher';
import { createClipMediaService, type ClipMediaService, type MediaUrls } from './media';

export type { StudioHost } from './context';

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

export function openStudio(options: StudioOptions): Studio {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const db: WritableDB = openProject(options.projectPath);
  // Its thread answers every call: it waits only a moment for another program's write, and
  // dispatch retries a busy call without blocking (db/writers.ts).
  setLockWait(db, 'eventLoop');
  let isClosed = false;
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const inFlight = new Set<Promise<unknown>>();

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Events are checked like responses: a bad payload is our bug and must not reach a renderer.
    const parsed = EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      log(`event ${event} not sent: ${parsed.error.message}`);
      return;
    }
    // A refetch of everything (no ids): what other connections wrote so far (a finished job's
    // process, a dropped import among them) needs no second one.
    if (event === 'samples.changed' && (parsed.data as EventPayload<'samples.changed'>).ids.length === 0) externalWrites.resync();
    for (const listener of [...listeners]) {
      try {
        listener(event, parsed.data);
      } catch (error) {
        log(`event listener for ${event} failed: ${String(error)}`);
      }
    }
  }

  let cache: FrameCache;
  let media: ClipMediaService;
  try {
    cache = createFrameCache(options.cacheRoot !== undefined ? { root: options.cacheRoot } : { projectPath: options.projectPath });
    media = createClipMediaService(db, cache, {
      onFramesProgress: (clipId, done, total) => emit('frames.progress', { clipId, done, total }),
      onFramesFinished: (clipId, error) => emit('frames.finished', { clipId, error }),
    }, options.wholeClipFrameLimit);
  } catch (error) {
    db.close();
    throw error;
  }
  const lint = createLintRefresher(db, { onRelinted: () => emit('samples.changed', { ids: [], reason: 'analysis' }), log });
  const externalWrites = watchExternalWrites({ db, lint, emit, log });
  const facets = createFacetCounter(options.projectPath, log);
  const jobs = createJobSupervisor({
    db,
    projectPath: options.projectPath,
    emit,
    log,
    // What a finished job wrote (readings, samples, clips) is on screen somewhere: refetch it.
    onFinished: (job) => {
      if (job.kind === 'infer') relayInferenceProgress(job.id);
      if (job.state !== 'succeeded') return;
      lint.markStale();
      emit('samples.changed', { ids: [], reason: job.kind === 'analyze' ? 'analysis' : 'import' });
    },
  });

  // A run's job moved on: the Inspect view refetches the run's rows (a job's progress says answers, not which run).
  function relayInferenceProgress(jobId: number): void {
    try {
      const progress = inferenceProgressOf({ db }, jobId);
      if (progress !== null) emit('inference.progress', progress);
    } catch (error) {
      if (!isBusyError(error)) log(`inference progress of job ${jobId}: ${String(error)}`);
    }
  }
  listeners.add((event, payload) => {
    if (event === 'job.progress' && (payload as EventPayload<'job.progress'>).kind === 'infer') relayInferenceProgress((payload as EventPayload<'job.progress'>).jobId);
  });

  const context: StudioContext = {
    db,
    projectPath: options.projectPath,
    host: options.host,
    author: options.author ?? defaultAuthor(),
    mediaUrls: options.mediaUrls,
    media,
    lint,
    facets,
    jobs,
    log,
    emit,
  };
  // Every area's handlers; the type makes a method the contract names and no area answers a compile error.
  const handlers: ApiHandlers = {
    ...projectHandlers(context),
    ...libraryHandlers(context),
    ...samplesHandlers(context),
    ...clipsHandlers(context),
    ...statsHandlers(context),
    ...auditHandlers(context),
    ...importsHandlers(context),
    ...relinkHandlers(context),
    ...jobsHandlers(context),
    ...enginesHandlers(context),
    ...inferenceHandlers(context),
    ...evaluationHandlers(context),
    ...dialogHandlers(context),
  };

  // Start relinting on open: by the time the Library asks, a big project is (being) relinted.
  // Deferred one turn so a host's listeners are attached before the first event.
  setImmediate(() => {
    if (isClosed) return;
    try {
      lint.band();
    } catch (error) {
      // Outside any call, so nothing else would catch it. A project another program is writing
      // (db/writers.ts) is relinted by the first Library call instead.
      if (!isBusyError(error)) log(`relinting the Library cache failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  });

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
      externalWrites.stop();
      // Drain: a save in flight finishes (and commits) before the database closes.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      // The background relint stops between chunks: let its current chunk finish.
      await lint.close();
      jobs.close();
      await facets.close();
      media.close();
      listeners.clear();
      db.close();
    },
  };
}
