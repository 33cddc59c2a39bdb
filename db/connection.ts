// Opening a project file. Handles are branded (after Signal Desktop's ReadableDB/WritableDB):
// code that only reads takes a ReadableDB and cannot be handed a write path by mistake.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { damagedProjectError, noteProjectFile, ProjectError } from '../common/errors';
import { migrate, NeedsMigrationError, refuseForeignFile } from './migrate';
import { setLockWait } from './writers';

declare const readable: unique symbol;
declare const writable: unique symbol;
export type ReadableDB = Database.Database & { readonly [readable]: true };
export type WritableDB = ReadableDB & { readonly [writable]: true };

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function checkIsSqliteFile(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new ProjectError(path, 'no such project file (create one with `frustum init`)');
  }
  if (stats.isDirectory()) throw new ProjectError(path, 'is a directory, not a project file');
  if (stats.size === 0) throw new ProjectError(path, 'is empty, not a Frustum project');
  if (!hasSqliteHeader(path)) throw new ProjectError(path, 'is not a Frustum project (not an SQLite file)');
}

/** Whether a regular file starts with SQLite's 16-byte header (cheap; opens nothing in SQLite). */
export function hasSqliteHeader(path: string): boolean {
  const header = Buffer.alloc(16);
  try {
    if (!statSync(path).isFile()) return false;
    const descriptor = openSync(path, 'r');
    try {
      readSync(descriptor, header, 0, 16, 0);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    return false;
  }
  return header.toString('latin1') === SQLITE_MAGIC;
}

function configure(db: Database.Database, isReadonly: boolean): void {
  // Another process may be writing (db/writers.ts): wait for it. The studio shortens this for
  // its event loop and retries instead.
  setLockWait(db, 'thread');
  db.pragma('foreign_keys = ON');
  if (!isReadonly) {
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk when it returns, so "saved" in the UI means saved.
    db.pragma('synchronous = FULL');
    // 64 MiB of page cache (a bound, not an allocation). With the default 2 MB, an import's
    // transaction overflows the cache and spills the same pages to the WAL again and again:
    // 13,000 page writes for a 7,679-record file instead of about one per page.
    db.pragma('cache_size = -65536');
    // Statement journals (each multi-row INSERT inside an import's transaction keeps one, to
    // undo just that statement on a constraint error) in memory instead of a temp file: they
    // were 10,000 of an import's 13,000 write calls.
    db.pragma('temp_store = MEMORY');
  }
}

/** Creates a new, empty project file; refuses to overwrite anything. */
export function createProject(path: string): WritableDB {
  if (existsSync(path)) throw new ProjectError(path, 'already exists; choose a new file name');
  noteProjectFile(path);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new ProjectError(path, `cannot create: ${(error as Error).message}`);
  }
  // 8 KiB pages: an import writes tens of thousands of ~1 KB rows; bigger pages mean fewer
  // page splits (measured: import 8% faster than with 4 KiB). Must precede WAL and any table.
  db.pragma('page_size = 8192');
  configure(db, false);
  migrate(db, path);
  db.prepare('INSERT INTO project_meta(key, value) VALUES (?, ?), (?, ?)').run(
    'created_at',
    new Date().toISOString(),
    'application',
    'frustum',
  );
  return db as WritableDB;
}

export function openProject(path: string, options: { readonly: true }): ReadableDB;
export function openProject(path: string, options?: { readonly?: false }): WritableDB;
export function openProject(path: string, options: { readonly?: boolean } = {}): ReadableDB | WritableDB {
  checkIsSqliteFile(path);
  const isReadonly = options.readonly === true;
  noteProjectFile(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: isReadonly, fileMustExist: true });
  } catch (error) {
    throw damagedProjectError(error, path) ?? new ProjectError(path, `cannot be opened: ${(error as Error).message}`);
  }
  try {
    // Before configure: its journal_mode = WAL rewrites the header (bytes 18–19) of whatever
    // file this is, and another application's SQLite file must be refused untouched. Reading
    // sqlite_master also tells a damaged file (SQLITE_NOTADB, SQLITE_CORRUPT) early.
    refuseForeignFile(db, path, { isReadonly });
    configure(db, isReadonly);
  } catch (error) {
    db.close();
    if (error instanceof ProjectError) throw error;
    throw damagedProjectError(error, path) ?? new ProjectError(path, `cannot be opened: ${(error as Error).message}`);
  }
  try {
    migrate(db, path, { isReadonly });
  } catch (error) {
    db.close();
    const damage = damagedProjectError(error, path);
    if (damage !== null) throw damage;
    // An older project read by a read-only command (stats, validate): upgrade it the way any
    // writing command would, then read it. Migrations are transactional, and the newer-file
    // and edited-history refusals are not this error, so nothing unsafe runs here.
    if (isReadonly && error instanceof NeedsMigrationError) {
      openProject(path).close();
      return openProject(path, { readonly: true });
    }
    throw error;
  }
  return db as WritableDB;
}

/** Runs `work` with the project open and always closes it. */
export function withProject<T>(path: string, options: { readonly: true }, work: (db: ReadableDB) => T): T;
export function withProject<T>(path: string, options: { readonly?: false }, work: (db: WritableDB) => T): T;
export function withProject<T>(path: string, options: { readonly?: boolean }, work: (db: WritableDB) => T): T {
  const db = options.readonly ? openProject(path, { readonly: true }) : openProject(path);
  try {
    return work(db as WritableDB);
  } catch (error) {
    // Damage surfaces at whichever query first reads a bad page; here the file is known.
    throw damagedProjectError(error, path) ?? error;
  } finally {
    db.close();
  }
}
