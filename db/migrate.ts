// Numbered migrations, recorded with a checksum in `migrations`. Like Actual Budget's
// out-of-sync check, a file whose recorded history differs from this build's migrations is
// refused instead of being "repaired": guessing with someone's data is worse than stopping.
import type Database from 'better-sqlite3';
import { ProjectError } from '../common/errors';
import type { WritableDB } from './connection';
import { MIGRATIONS, type Migration } from './migrations/index';
import { writeTransaction } from './writers';

/** FNV-1a over the SQL text: enough to notice an edited migration, no crypto needed. */
export function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

function appliedMigrations(db: Database.Database): AppliedMigration[] | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  if (!table) return null;
  return db.prepare('SELECT version, name, checksum FROM migrations ORDER BY version').all() as AppliedMigration[];
}

/**
 * Brings the file up to `target` (default: all migrations). Each migration runs in its own
 * transaction with its record, so a crash leaves the file at a whole version.
 */
/** A read-only open found an older file; db/connection.ts upgrades it with a writable open. */
export class NeedsMigrationError extends ProjectError {
  constructor(file: string, readonly pendingCount: number) {
    super(file, `needs ${pendingCount} migration(s) before it can be read`);
  }
}

/**
 * Refuses another application's SQLite file (tables, but no `migrations`) and, for a read-only
 * open, an empty one. Only reads: db/connection.ts calls it before anything that writes, so a
 * refused file is left byte for byte as it was.
 */
export function refuseForeignFile(db: Database.Database, file: string, options: { isReadonly?: boolean } = {}): void {
  if (appliedMigrations(db) !== null) return;
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
  if (tables.n > 0) throw new ProjectError(file, 'is an SQLite file but not a Frustum project (no migrations table)');
  if (options.isReadonly) throw new ProjectError(file, 'is an empty SQLite file, not a Frustum project');
}

export function migrate(
  db: Database.Database,
  file: string,
  options: { isReadonly?: boolean; migrations?: readonly Migration[]; target?: number } = {},
): void {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = options.target ?? migrations.length;
  const applied = appliedMigrations(db);
  if (applied === null) {
    refuseForeignFile(db, file, options);
    db.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  }
  const history = applied ?? [];
  for (const [index, record] of history.entries()) {
    const known = migrations[index];
    if (!known || known.version !== record.version) {
      throw new ProjectError(
        file,
        `was written by a newer Frustum (migration ${record.version} "${record.name}" is unknown to this version); update Frustum`,
      );
    }
    if (checksum(known.sql) !== record.checksum || known.name !== record.name) {
      throw new ProjectError(file, `its migration history is out of sync (migration ${record.version} differs); refusing to open it`);
    }
  }
  const pending = migrations.slice(history.length, target);
  if (pending.length === 0) return;
  if (options.isReadonly) throw new NeedsMigrationError(file, pending.length);
  const record = db.prepare('INSERT INTO migrations(version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM migrations WHERE version = ?');
  for (const migration of pending) {
    // Begun IMMEDIATE and checked again under the write lock (db/writers.ts): two commands that
    // open a project right after an upgrade both find it behind, and the second must not apply
    // what the first just committed. A writable open: the read-only one returned above.
    writeTransaction(db as WritableDB, () => {
      if (isApplied.get(migration.version) !== undefined) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, checksum(migration.sql), new Date().toISOString());
    });
  }
}
