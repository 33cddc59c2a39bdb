// The Train view's metrics, outside React: one RunMetrics per job being watched, filled by
// training.metrics and kept current by 'training.metrics' events, and the charts told once per
// animation frame which keys changed (a trainer that logs 50 lines a second repaints at most
// once a frame, and no React render happens on the way: charts call uPlot's setData).
//
// Order matters where a resumed job logs a step again: a fetch answers the state as of its
// `seq`, so events that arrive while it is in flight wait, and only those newer than its seq
// are applied after it. An event whose seq does not follow on (./metrics.ts classifyEvent) is
// applied at once and the points stored in between are fetched with afterSeq.
import type { ApiClient, EventPayload } from '../../common/api/contract';
import type { StudioClient } from '../api/client';
import { classifyEvent, createRunMetrics, mergeSeries, type RunMetrics } from './metrics';

type MetricsEvent = EventPayload<'training.metrics'>;
export type MetricsListener = (changedKeys: ReadonlySet<string>) => void;
export type MetricsStatus = 'loading' | 'ready' | 'error';

const RELEASE_AFTER_MS = 10_000;

interface Followed {
  run: RunMetrics;
  listeners: Set<MetricsListener>;
  status: MetricsStatus;
  error: string | null;
  isFetching: boolean;
  /** Events that arrived while a fetch was in flight. */
  waiting: MetricsEvent[];
  /** Keys changed since the last frame's notification. */
  changed: Set<string>;
}

export interface MetricsHub {
  /** Follows a job while anyone watches it; `listener` hears which keys changed, once per frame. */
  watch(jobId: number, listener: MetricsListener): () => void;
  get(jobId: number): RunMetrics | undefined;
  status(jobId: number): { status: MetricsStatus; error: string | null } | undefined;
  dispose(): void;
}

export interface MetricsHubOptions {
  /** Runs the notification before the next paint (requestAnimationFrame; tests pass their own). */
  schedule?: (callback: () => void) => void;
}

/** The contract's client; with the transport's connection state where it has one (StudioClient). */
export type HubClient = ApiClient & Partial<Pick<StudioClient, 'onConnection'>>;

export function createMetricsHub(client: HubClient, options: MetricsHubOptions = {}): MetricsHub {
  const schedule = options.schedule ?? ((callback: () => void) => requestAnimationFrame(() => callback()));
  const followed = new Map<number, Followed>();
  let isFlushScheduled = false;
  let isDisposed = false;

  function flush(): void {
    isFlushScheduled = false;
    for (const entry of followed.values()) {
      if (entry.changed.size === 0) continue;
      const changed = entry.changed;
      entry.changed = new Set();
      for (const listener of [...entry.listeners]) listener(changed);
    }
  }

  function markChanged(entry: Followed, keys: Iterable<string>): void {
    for (const key of keys) entry.changed.add(key);
    if (entry.changed.size > 0 && !isFlushScheduled && !isDisposed) {
      isFlushScheduled = true;
      schedule(flush);
    }
  }

  function fetch(entry: Followed, afterSeq: number | undefined): void {
    entry.isFetching = true;
    const jobId = entry.run.jobId;
    client.call('training.metrics', afterSeq === undefined ? { jobId } : { jobId, afterSeq }).then(
      (answer) => {
        if (followed.get(jobId) !== entry) return;
        const keys = mergeSeries(entry.run, answer.series);
        entry.run.seq = Math.max(entry.run.seq, answer.seq);
        entry.isFetching = false;
        entry.status = 'ready';
        entry.error = null;
        // A status change is news even without points (the chart stops saying "loading").
        markChanged(entry, keys.size > 0 || afterSeq === undefined ? [...keys, ''] : keys);
        replayWaiting(entry);
      },
      (error: unknown) => {
        if (followed.get(jobId) !== entry) return;
        entry.isFetching = false;
        entry.status = entry.status === 'ready' ? 'ready' : 'error';
        entry.error = error instanceof Error ? error.message : String(error);
        markChanged(entry, ['']);
        // The waiting events still hold news; a later event retries the catch-up.
        replayWaiting(entry);
      },
    );
  }

  function replayWaiting(entry: Followed): void {
    const waiting = entry.waiting;
    entry.waiting = [];
    for (const event of waiting) {
      if (entry.isFetching) entry.waiting.push(event);
      else apply(entry, event);
    }
  }

  function apply(entry: Followed, event: MetricsEvent): void {
    if (entry.isFetching) {
      entry.waiting.push(event);
      return;
    }
    const decision = classifyEvent(entry.run.seq, event);
    if (decision === 'stale') return;
    const base = entry.run.seq;
    markChanged(entry, mergeSeries(entry.run, event.series));
    if (decision === 'next' && entry.status === 'ready') entry.run.seq = event.seq;
    else fetch(entry, entry.status === 'ready' ? base : undefined);
  }

  const offEvent = client.on('training.metrics', (event) => {
    const entry = followed.get(event.jobId);
    if (entry) apply(entry, event);
  });
  // Events sent while the connection was down are gone: back up, every run catches up from its seq.
  let wasClosed = false;
  const offConnection = client.onConnection?.((state) => {
    if (state === 'closed') wasClosed = true;
    if (state !== 'open' || !wasClosed) return;
    wasClosed = false;
    for (const entry of followed.values()) {
      if (!entry.isFetching) fetch(entry, entry.status === 'ready' ? entry.run.seq : undefined);
    }
  });

  return {
    watch(jobId, listener) {
      let entry = followed.get(jobId);
      if (!entry) {
        entry = { run: createRunMetrics(jobId), listeners: new Set(), status: 'loading', error: null, isFetching: false, waiting: [], changed: new Set() };
        followed.set(jobId, entry);
        fetch(entry, undefined);
      }
      entry.listeners.add(listener);
      const current = entry;
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0) return;
        // Nobody shows it any more: let go of its columns (100k points a key add up), after a
        // while, so that a chart rebuilt on a setting's change finds them still there.
        setTimeout(() => {
          if (current.listeners.size === 0 && followed.get(jobId) === current) followed.delete(jobId);
        }, RELEASE_AFTER_MS);
      };
    },
    get: (jobId) => followed.get(jobId)?.run,
    status(jobId) {
      const entry = followed.get(jobId);
      return entry ? { status: entry.status, error: entry.error } : undefined;
    },
    dispose() {
      isDisposed = true;
      offEvent();
      offConnection?.();
      followed.clear();
    },
  };
}
