// Keeps the Library's lint cache (migration 4, backend/facts/lintCache.ts) current while the
// studio is open. Triggers list the samples whose chain anyone changed (this studio, the CLI's
// import while the studio is open, the analyzer) in sample_lint_pending. A few hundred stale
// rows are relinted before the query that needs them (tens of ms); more — a first open of a big
// project, a big import — are relinted in small chunks between calls (lint costs ~0.2 ms a
// chain: 100k chains would hold the event loop for seconds), and queries meanwhile read the
// cache as it is. When done, a 'samples.changed' event tells the renderer to refetch.
import { refreshSearchIndex } from '../../db/chains';
import type { WritableDB } from '../../db/connection';
import { pendingLintCount, type OutlierBand } from '../../db/library';
import { isBusyError } from '../../db/writers';
import { lengthBand, refreshLintCache, refreshLintCacheChunk, type readingForChecks } from '../facts/lintCache';

const INLINE_RELINT_LIMIT = 500;
/** ~10 ms of linting per turn: a Library query arriving meanwhile waits at most that long. */
const BACKGROUND_CHUNK = 50;
/** The length band (percentiles over every chain) takes tens of ms at 100k samples: refreshed every few seconds while relinting. */
const BAND_REFRESH_MS = 3000;

export interface LintRefresher {
  /** Relints what is cheap now (or starts the background pass) and returns the current length-outlier band. */
  band(): OutlierBand | null;
  /** The length band follows the whole dataset: call after any change to chains or the cache. */
  markStale(): void;
  /** Stops the background pass after its current chunk and waits for it. */
  close(): Promise<void>;
}

export function createLintRefresher(db: WritableDB, events: { onRelinted: () => void; log: (line: string) => void }): LintRefresher {
  let isClosed = false;
  let background: Promise<void> | null = null;
  let isBandStale = true;
  let band: OutlierBand | null = null;

  async function relintInBackground(): Promise<void> {
    const readings = new Map<number, ReturnType<typeof readingForChecks>>();
    try {
      // Imports defer full-text indexing to the first search; do it first, while nobody waits.
      refreshSearchIndex(db);
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
      if (!isClosed) events.onRelinted();
    } catch (error) {
      // Another program writing the project for longer than the studio waits (db/writers.ts) is
      // no failure: the pass stops, and the next Library call (the refetch that program's
      // commit brings, backend/studio/externalWrites.ts) starts it again.
      if (!isBusyError(error)) events.log(`relinting the Library cache failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      background = null;
    }
  }

  function currentBand(): OutlierBand | null {
    if (background === null && !isClosed) {
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

  return {
    band: currentBand,
    markStale: () => {
      isBandStale = true;
    },
    close: async () => {
      isClosed = true;
      await background;
    },
  };
}
