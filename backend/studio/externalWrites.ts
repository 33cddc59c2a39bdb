// Notices writes the studio did not make: `frustum import` or `frustum analyze` run beside it,
// or a job's process (the studio's own dropped imports and analyses run as jobs). Issue 9: after
// a CLI import the page went on showing the project as it was. SQLite counts the commits of
// OTHER connections to the file (`PRAGMA data_version`, db/writers.ts); polling that count on the
// studio's connection costs microseconds and needs no change table or trigger. On a change the
// page is told to refetch ('samples.changed', reason 'external') and the Library's length band is
// recomputed on its next query. At most one event per poll, however many commits came between.
// A running job's progress rows are commits too: after a commit the watcher compares what the
// pages show (db/writers.ts shownDataFingerprint) and stays quiet when only jobs moved (the
// supervisor tells of those with job.* events).
import { dataVersion, shownDataFingerprint } from '../../db/writers';
import type { StudioContext } from './context';

/** Half a second: soon enough for a person watching the Library, rare enough to cost nothing. */
export const EXTERNAL_WRITES_POLL_MS = 500;

export interface ExternalWrites {
  /**
   * The studio is telling the page to refetch everything for a reason of its own: take what
   * other connections wrote so far as told (a job it announces as finished).
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
  let shown = shownDataFingerprint(db);
  let isStopped = false;

  /** Whether another connection committed something the pages show since the last look. */
  function hasChanged(): boolean {
    const version = dataVersion(db);
    if (version === seen) return false;
    seen = version;
    const fingerprint = shownDataFingerprint(db);
    if (fingerprint === shown) return false;
    shown = fingerprint;
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
