// Numbered migrations, recorded with a checksum in `migrations`. Like Actual Budget's
// out-of-sync check, a file whose recorded history differs from this build's migrations is
// refused instead of being "repaired": guessing with someone's data is worse than stopping.
import type Database from 'better-sqlite3';
import { ProjectError } from '../common/errors';
import { MIGRATIONS, type Migration } from './migrations/index';

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

export function migrate(
  db: Database.Database,
  file: string,
  options: { isReadonly?: boolean; migrations?: readonly Migration[]; target?: number } = {},
): void {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = options.target ?? migrations.length;
  const applied = appliedMigrations(db);
  if (applied === null) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) throw new ProjectError(file, 'is an SQLite file but not a Frustum project (no migrations table)');
    if (options.isReadonly) throw new ProjectError(file, 'is an empty SQLite file, not a Frustum project');
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
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, checksum(migration.sql), new Date().toISOString());
    })();
  }
}
