// A fresh temporary folder per test, removed afterwards; SQLite handles opened through
// `track` must be closed by the end of the test (STYLE.md §11: no leaked handles).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';

const folders: string[] = [];
const handles: Array<{ open: boolean; name: string }> = [];

export function tempDir(prefix = 'frustum-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

export function track<T extends { open: boolean; name: string }>(db: T): T {
  handles.push(db);
  return db;
}

afterEach(() => {
  const leaked = handles.filter((db) => db.open).map((db) => db.name);
  for (const db of handles.splice(0)) if (db.open) (db as unknown as { close(): void }).close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  expect(leaked, 'database handles left open by the test').toEqual([]);
});
