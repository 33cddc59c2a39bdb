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
 * statement up to VALUES, `tail` anything after the value lists (ON CONFLICT …). `values` holds
 * the rows one after another: one array for the whole insert instead of one per row (tens of
 * thousands of them were a good part of an import's garbage).
 *
 * `row` is the number of values per row, or one entry per column: null for a value taken from
 * `values`, or a string that every row has, written into the statement as a literal. Binding a
 * string costs better-sqlite3 a conversion and a copy; an import's timestamps, kinds and
 * authors were a third of the strings it bound.
 *
 * With `rowidsOf`, returns the rowid given to the first row (null when there are none). SQLite
 * gives a new row max(rowid) + 1 (no AUTOINCREMENT tables here), so one INSERT's rows get
 * consecutive rowids above the old maximum; this is checked per batch rather than trusted, so
 * row i got the returned rowid + i.
 */
export function insertRows(
  db: ReadableDB,
  head: string,
  row: number | ReadonlyArray<string | null>,
  values: readonly unknown[],
  tail = '',
  rowidsOf?: string,
): number | null {
  const slots = typeof row === 'number' ? new Array<null>(row).fill(null) : row;
  const width = slots.filter((slot) => slot === null).length;
  const rowCount = width === 0 ? 0 : values.length / width;
  if (rowCount === 0) return null;
  if (!Number.isInteger(rowCount)) throw new Error(`insertRows: ${values.length} values do not make rows of ${width}`);
  let before = rowidsOf === undefined ? 0 : (statement<[], { m: number | null }>(db, `SELECT max(rowid) AS m FROM ${rowidsOf}`).get()?.m ?? 0);
  const first = before + 1;
  const group = `(${slots.map((slot) => (slot === null ? '?' : sqlString(slot))).join(', ')})`;
  // Statements with literals change with every import (timestamps): prepared here, not kept in
  // the connection's cache. The full-batch statement is looked up once: its SQL is kilobytes
  // long, and hashing it for the cache on every batch showed up in profiles of 50,000-row imports.
  const prepare = width === slots.length ? (sql: string) => statement<[unknown[]]>(db, sql) : (sql: string) => db.prepare<[unknown[]]>(sql);
  const fullBatch = prepare(batchSql(head, group, BATCH_ROWS, tail));
  for (let start = 0; start < rowCount; start += BATCH_ROWS) {
    const count = Math.min(BATCH_ROWS, rowCount - start);
    const prepared = count === BATCH_ROWS ? fullBatch : prepare(batchSql(head, group, count, tail));
    // One array argument binds positionally without spreading hundreds of arguments.
    const result = prepared.run(values.slice(start * width, (start + count) * width));
    if (rowidsOf !== undefined) {
      if (result.changes !== count || Number(result.lastInsertRowid) !== before + count) {
        throw new Error(`batched insert into ${rowidsOf} did not get consecutive rowids`);
      }
      before += count;
    }
  }
  return rowidsOf === undefined ? null : first;
}

/** A string as an SQL literal; one holding U+0000 (which ends SQL text) as UTF-8 in hex. */
export function sqlString(value: string): string {
  return value.includes('\u0000') ? `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)` : `'${value.replaceAll("'", "''")}'`;
}

function batchSql(head: string, group: string, rowCount: number, tail: string): string {
  return `${head} VALUES ${new Array(rowCount).fill(group).join(', ')} ${tail}`;
}
