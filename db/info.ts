// Versions of the storage engine, for `frustum doctor`.
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';

export interface StorageInfo {
  betterSqlite3Version: string;
  sqliteVersion: string;
}

/** Opens an in-memory database: proves the native module loads and reports SQLite's version. */
export function storageInfo(): StorageInfo {
  const db = new Database(':memory:');
  try {
    const row = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
    const manifest = createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string };
    return { betterSqlite3Version: manifest.version, sqliteVersion: row.version };
  } finally {
    db.close();
  }
}
