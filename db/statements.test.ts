import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { track } from '../tests/support/tempDir';
import type { ReadableDB } from './connection';
import { insertRows } from './statements';

describe('insertRows', () => {
  it('inserts rows in order, in batches, with literal columns written as they are', () => {
    const db = track(new Database(':memory:')) as unknown as ReadableDB;
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER) STRICT');
    const odd = "it's \u0000 é 😀 '' ?";
    const values: unknown[] = [];
    for (let index = 0; index < 150; index++) values.push(`a${index}`, index);
    const first = insertRows(db, 'INSERT INTO t(a, b, c)', [null, odd, null], values, '', 't');
    expect(first).toBe(1);
    const rows = db.prepare('SELECT id, a, b, c FROM t ORDER BY id').all() as Array<{ id: number; a: string; b: string; c: number }>;
    expect(rows).toHaveLength(150);
    expect(rows.every((row, index) => row.id === index + 1 && row.a === `a${index}` && row.b === odd && row.c === index)).toBe(true);
    expect(insertRows(db, 'INSERT INTO t(a, b, c)', 3, ['x', 'y', 1], '', 't')).toBe(151);
    expect(insertRows(db, 'INSERT INTO t(a, b, c)', 3, [])).toBeNull();
    expect(() => insertRows(db, 'INSERT INTO t(a, b, c)', 3, ['x'])).toThrow(/do not make rows of 3/);
    db.close();
  });
});
