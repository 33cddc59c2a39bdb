// Statements are prepared once per connection (preparing costs more than running a small
// query, and imports run them tens of thousands of times).
import type Database from 'better-sqlite3';
import type { ReadableDB } from './connection';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function statement<Params extends unknown[] = unknown[], Row = unknown>(
  db: ReadableDB,
  sql: string,
): Database.Statement<Params, Row> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared as unknown as Database.Statement<Params, Row>;
}

export function now(): string {
  return new Date().toISOString();
}

/** Rows per multi-row INSERT: fewer native calls; SQLite allows 32,766 parameters. */
const BATCH_ROWS = 64;

/**
 * Inserts rows with multi-row `INSERT … VALUES (…), (…)` statements, in order. `head` is the
 * statement up to VALUES, `tail` anything after the value lists (ON CONFLICT …).
 *
 * With `rowidsOf`, returns the rowid given to each row. SQLite gives a new row max(rowid) + 1
 * (no AUTOINCREMENT tables here), so one INSERT's rows get consecutive rowids above the old
 * maximum; this is checked per batch rather than trusted.
 */
export function insertRows(db: ReadableDB, head: string, rows: readonly unknown[][], tail = '', rowidsOf?: string): number[] {
  const rowids: number[] = [];
  if (rows.length === 0) return rowids;
  const width = rows[0]?.length ?? 0;
  const maximum = rowidsOf === undefined ? null : statement<[], { m: number | null }>(db, `SELECT max(rowid) AS m FROM ${rowidsOf}`);
  // The full-batch statement is looked up once: its SQL is kilobytes long, and hashing it for
  // the statement cache on every batch showed up in profiles of 50,000-row imports.
  const fullBatch = statement<[unknown[]]>(db, batchSql(head, width, BATCH_ROWS, tail));
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const before = maximum?.get()?.m ?? 0;
    const prepared = batch.length === BATCH_ROWS ? fullBatch : statement<[unknown[]]>(db, batchSql(head, width, batch.length, tail));
    // One array argument binds positionally without spreading hundreds of arguments.
    const result = prepared.run(batch.flat());
    if (maximum !== null) {
      if (result.changes !== batch.length || Number(result.lastInsertRowid) !== before + batch.length) {
        throw new Error(`batched insert into ${rowidsOf} did not get consecutive rowids`);
      }
      for (let offset = 1; offset <= batch.length; offset++) rowids.push(before + offset);
    }
  }
  return rowids;
}

function batchSql(head: string, width: number, rowCount: number, tail: string): string {
  const group = `(${new Array(width).fill('?').join(', ')})`;
  return `${head} VALUES ${new Array(rowCount).fill(group).join(', ')} ${tail}`;
}
