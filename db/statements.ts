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
