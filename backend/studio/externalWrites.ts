// Notices writes the studio did not make: `frustum import` or `frustum analyze` run beside it,
// the studio's own import worker, a job's process (issue 9: after a CLI import the page went on
// showing the project as it was). SQLite counts the commits of OTHER connections to the file
// (`PRAGMA data_version`, db/writers.ts); polling that count on the studio's connection costs
// microseconds and needs no change table or trigger. On a change the page is told to refetch
// ('samples.changed', reason 'external') and the Library's length band is recomputed on its
// next query. At most one event per poll, however many commits came in between.
import { dataVersion } from '../../db/writers';
import type { StudioContext } from './context';

/** Half a second: soon enough for a person watching the Library, rare enough to cost nothing. */
export const EXTERNAL_WRITES_POLL_MS = 500;

export interface ExternalWrites {
  /**
   * The studio is telling the page to refetch everything for a reason of its own: take what
   * other connections wrote so far as told (its import worker's commit, a finished job's).
   */
  resync(): void;
  stop(): void;
}

export function watchExternalWrites(
  context: Pick<StudioContext, 'db' | 'lint' | 'emit' | 'log'>,
  intervalMs = EXTERNAL_WRITES_POLL_MS,
): ExternalWrites {
  const { db, lint, emit, log } = context;
  let seen = dataVersion(db);
  let isStopped = false;

  /** Whether another connection committed since the last look. */
  function hasChanged(): boolean {
    const version = dataVersion(db);
    if (version === seen) return false;
    seen = version;
    lint.markStale();
    return true;
  }

  const timer = setInterval(() => {
    try {
      if (hasChanged()) emit('samples.changed', { ids: [], reason: 'external' });
    } catch (error) {
      // Reading the count fails only when the file itself is in trouble, which every call
      // reports; stop instead of logging it twice a second.
      stop();
      log(`watching for other programs' writes stopped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, intervalMs);
  // The studio's close() stops it; an open studio alone must not keep a process alive.
  timer.unref();

  function stop(): void {
    isStopped = true;
    clearInterval(timer);
  }

  return {
    resync: () => {
      if (!isStopped) hasChanged();
    },
    stop,
  };
}
