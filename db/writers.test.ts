// How writers share one project file (db/writers.ts), on two real connections to one file, as
// the studio and `frustum import` hold them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, track } from '../tests/support/tempDir';
import { createProject, openProject, type WritableDB } from './connection';
import { dataVersion, ProjectBusyError, retryWhileBusy, setLockWait, writeTransaction } from './writers';

function twoConnections(): { path: string; first: WritableDB; second: WritableDB; close: () => void } {
  const path = join(tempDir(), 'shared.frustum');
  const first = track(createProject(path));
  const second = track(openProject(path));
  return {
    path,
    first,
    second,
    close: () => {
      second.close();
      first.close();
    },
  };
}

const put = (db: WritableDB, key: string) => db.prepare('INSERT INTO project_meta(key, value) VALUES (?, ?)').run(key, 'x');
const has = (db: WritableDB, key: string) => db.prepare('SELECT 1 FROM project_meta WHERE key = ?').get(key) !== undefined;
const count = (db: WritableDB) => (db.prepare('SELECT count(*) AS n FROM project_meta').get() as { n: number }).n;

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('many writers, one file', () => {
  it('a transaction begun DEFERRED that read first fails at once after another commit: the bug IMMEDIATE fixes', () => {
    const { first, second, close } = twoConnections();
    // What better-sqlite3's db.transaction(fn)() does: the read takes a snapshot, another
    // connection commits, and the write cannot upgrade a stale snapshot, whatever busy_timeout says.
    const error = thrown(() =>
      first.transaction(() => {
        count(first);
        put(second, 'theirs');
        put(first, 'mine');
      })(),
    );
    expect((error as { code?: string }).code).toBe('SQLITE_BUSY_SNAPSHOT');
    expect(has(first, 'mine')).toBe(false);
    // The same work begun IMMEDIATE reads the newest project and writes.
    const seen = writeTransaction(first, () => {
      const rows = count(first);
      put(first, 'mine');
      return rows;
    });
    expect(seen).toBe(count(first) - 1);
    expect(has(first, 'theirs') && has(first, 'mine')).toBe(true);
    close();
  });

  it('waits for the write lock, and when it stays taken fails before writing, naming the file', () => {
    const { path, first, second, close } = twoConnections();
    setLockWait(second, 'eventLoop');
    first.exec('BEGIN IMMEDIATE');
    const error = thrown(() => writeTransaction(second, () => put(second, 'blocked')));
    expect(error).toBeInstanceOf(ProjectBusyError);
    expect((error as Error).message).toContain(path);
    first.exec('COMMIT');
    expect(has(second, 'blocked')).toBe(false);
    writeTransaction(second, () => put(second, 'later'));
    expect(has(first, 'later')).toBe(true);
    close();
  });

  it('retryWhileBusy tries again without blocking until the lock is free, and gives up at its deadline', async () => {
    const { first, second, close } = twoConnections();
    setLockWait(second, 'eventLoop');
    first.exec('BEGIN IMMEDIATE');
    let tries = 0;
    const release = setTimeout(() => first.exec('COMMIT'), 300);
    await retryWhileBusy(() => {
      tries++;
      writeTransaction(second, () => put(second, 'retried'));
    }, performance.now() + 30_000);
    clearTimeout(release);
    expect(tries).toBeGreaterThan(1);
    expect(has(first, 'retried')).toBe(true);

    first.exec('BEGIN IMMEDIATE');
    await expect(retryWhileBusy(() => writeTransaction(second, () => put(second, 'never')), performance.now() + 200)).rejects.toBeInstanceOf(ProjectBusyError);
    first.exec('ROLLBACK');
    expect(has(second, 'never')).toBe(false);

    // Anything but a busy project is not retried.
    tries = 0;
    await expect(
      retryWhileBusy(() => {
        tries++;
        throw new Error('not busy');
      }, performance.now() + 30_000),
    ).rejects.toThrow('not busy');
    expect(tries).toBe(1);
    close();
  });

  it('dataVersion changes with another connection’s commit, never with this connection’s own', () => {
    const { first, second, close } = twoConnections();
    const before = dataVersion(first);
    writeTransaction(first, () => put(first, 'own'));
    put(first, 'own too');
    expect(dataVersion(first)).toBe(before);
    put(second, 'theirs');
    expect(dataVersion(first)).not.toBe(before);
    close();
  });
});
