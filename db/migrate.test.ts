import Database from 'better-sqlite3';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectError } from '../common/errors';
import { tempDir, track } from '../tests/support/tempDir';
import { createProject, openProject } from './connection';
import { checksum, migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';

function projectError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectError);
    return (error as Error).message;
  }
  throw new Error('expected a ProjectError');
}

describe('migrations', () => {
  it('creates a project at the newest version in WAL mode with STRICT tables', () => {
    const path = join(tempDir(), 'p.frustum');
    const db = track(createProject(path));
    const versions = db.prepare('SELECT version FROM migrations ORDER BY version').all() as Array<{ version: number }>;
    expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%' AND name NOT LIKE 'chain_search%'").all() as Array<{ name: string; sql: string }>;
    for (const table of tables) expect(table.sql, table.name).toMatch(/STRICT/);
    db.close();
  });

  it('a read-only open of an older project upgrades it first, then reads it', () => {
    const path = join(tempDir(), 'old.frustum');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    migrate(raw, path, { target: MIGRATIONS.length - 1 });
    raw.close();
    const db = track(openProject(path, { readonly: true }));
    const applied = db.prepare('SELECT max(version) AS v FROM migrations').get() as { v: number };
    expect(applied.v).toBe(MIGRATIONS.length);
    expect(db.readonly).toBe(true);
    db.close();
  });

  // Signal's migration_N_test habit: every migration is applied to a file at N-1 that holds data.
  it.each(MIGRATIONS.map((migration) => [migration.version, migration.name] as const))('migrates %i (%s) from the version before it', (version) => {
    const path = join(tempDir(), 'p.frustum');
    const raw = track(new Database(path));
    migrate(raw, path, { target: version - 1 });
    if (version > 1) raw.prepare("INSERT INTO project_meta(key, value) VALUES ('probe', 'kept')").run();
    migrate(raw, path, { target: version });
    const applied = raw.prepare('SELECT max(version) AS v FROM migrations').get() as { v: number };
    expect(applied.v).toBe(version);
    if (version > 1) expect(raw.prepare("SELECT value FROM project_meta WHERE key = 'probe'").get()).toEqual({ value: 'kept' });
    raw.close();
  });

  it('keeps the clips of a version-1 file through migration 2 (media columns)', () => {
    const path = join(tempDir(), 'p.frustum');
    const raw = track(new Database(path));
    migrate(raw, path, { target: 1 });
    raw.prepare("INSERT INTO clips(name, ref, file_path, media_status, content_hash, probe, created_at) VALUES ('a.mp4', 'video/a.mp4', '/v/a.mp4', 'ok', 'abc', '{\"x\":1}', 'then'), ('b.mp4', 'video/b.mp4', NULL, 'missing', NULL, NULL, 'then')").run();
    migrate(raw, path, { target: 2 });
    const clips = raw.prepare('SELECT name, ref, file_path, media_status, content_hash, probe, media_error, probed_at, file_size, file_mtime FROM clips ORDER BY id').all();
    expect(clips).toEqual([
      { name: 'a.mp4', ref: 'video/a.mp4', file_path: '/v/a.mp4', media_status: 'ok', content_hash: 'abc', probe: '{"x":1}', media_error: null, probed_at: null, file_size: null, file_mtime: null },
      { name: 'b.mp4', ref: 'video/b.mp4', file_path: null, media_status: 'missing', content_hash: null, probe: null, media_error: null, probed_at: null, file_size: null, file_mtime: null },
    ]);
    // Still STRICT: a text size is refused.
    expect(() => raw.prepare("UPDATE clips SET file_size = 'big'").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    raw.close();
  });

  it('keeps the clips of a version-2 file through migration 3 (clip analyses)', () => {
    const path = join(tempDir(), 'p.frustum');
    const raw = track(new Database(path));
    raw.pragma('foreign_keys = ON');
    migrate(raw, path, { target: 2 });
    raw.prepare("INSERT INTO clips(name, ref, file_path, media_status, content_hash, probe, created_at, file_size) VALUES ('a.mp4', 'video/a.mp4', '/v/a.mp4', 'ok', 'abc', '{}', 'then', 10)").run();
    migrate(raw, path, { target: 3 });
    expect(raw.prepare('SELECT name, content_hash, file_size FROM clips').all()).toEqual([{ name: 'a.mp4', content_hash: 'abc', file_size: 10 }]);
    expect(raw.prepare('SELECT count(*) AS n FROM clip_analyses').get()).toEqual({ n: 0 });
    const insert = raw.prepare(`INSERT OR REPLACE INTO clip_analyses(clip_id, analyzer, analyzer_version, settings, content_hash, clip_fps,
      scores, evidence, summary, timeline, segments, created_at) VALUES (?, 'frustum-analyzer', ?, '{}', 'abc', ?, '{}', '{}', '{}', '[]', '[]', 'now')`);
    insert.run(1, '1', 25);
    insert.run(1, '2', 25);
    // The same clip, version, settings and content replace their row, which gets the highest id.
    insert.run(1, '1', 30);
    expect(raw.prepare('SELECT id, analyzer_version, clip_fps FROM clip_analyses ORDER BY id').all()).toEqual([
      { id: 2, analyzer_version: '2', clip_fps: 25 },
      { id: 3, analyzer_version: '1', clip_fps: 30 },
    ]);
    // STRICT, the clip must exist, and a clip's own rate is positive.
    expect(() => insert.run(1, '3', 'fast')).toThrow(/cannot store TEXT value in REAL column/);
    expect(() => insert.run(99, '1', 25)).toThrow(/FOREIGN KEY/);
    expect(() => insert.run(1, '4', 0)).toThrow(/CHECK constraint/);
    raw.close();
  });

  it('keeps the clips of a version-4 file through migration 5 (media roots), unconfined until used', () => {
    const path = join(tempDir(), 'p.frustum');
    const raw = track(new Database(path));
    migrate(raw, path, { target: 4 });
    raw.prepare("INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES ('a.mp4', 'video/a.mp4', '/v/a.mp4', 'ok', 'then')").run();
    migrate(raw, path, { target: 5 });
    // NULL: linked before confinement; backend/media/confine.ts decides at each use.
    expect(raw.prepare('SELECT name, file_path, media_status, media_root FROM clips').all()).toEqual([{ name: 'a.mp4', file_path: '/v/a.mp4', media_status: 'ok', media_root: null }]);
    raw.close();
  });

  it('keeps the sources, records and runs of a version-9 file through migration 10 (benchmarks), the sources table rebuilt under foreign keys', () => {
    const path = join(tempDir(), 'p.frustum');
    const raw = track(new Database(path));
    raw.pragma('foreign_keys = ON');
    migrate(raw, path, { target: 9 });
    raw.exec(`INSERT INTO sources(path, format, style, container, content, sha256, record_count, imported_at)
                VALUES ('/d/a.json', 'eval', '{}', NULL, '[{"x": 1}]', 'aa', 1, 'then'), ('/d/r.json', 'results', '{}', '{"meta": {}}', '{"results": []}', 'bb', 0, 'then');
              INSERT INTO samples(key, kind, question, options, problem_type, created_at, updated_at) VALUES ('k', 'eval', 'q', '[]', 'multiple choice', 'now', 'now');
              INSERT INTO sample_sources(source_id, record_index, sample_id, start_offset, end_offset) VALUES (1, 0, 1, 1, 9);
              INSERT INTO runs(kind, model, source_id, created_at) VALUES ('evaluation', 'm', 2, 'now');
              INSERT INTO predictions(run_id, sample_id, output) VALUES (1, 1, 'B');`);
    const before = raw.prepare('SELECT * FROM sources ORDER BY id').all();
    migrate(raw, path, { target: 10 });
    expect(raw.prepare('SELECT * FROM sources ORDER BY id').all()).toEqual(before);
    expect(raw.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(raw.prepare('SELECT source_id, sample_id FROM sample_sources').all()).toEqual([{ source_id: 1, sample_id: 1 }]);
    expect(raw.prepare('SELECT source_id FROM runs').all()).toEqual([{ source_id: 2 }]);
    // The new formats are accepted, others still refused; children still need their source.
    const insertSource = raw.prepare("INSERT INTO sources(path, format, style, content, sha256, record_count, imported_at) VALUES ('p', ?, '{}', '', 's', 0, 'now')");
    for (const format of ['camerabench-vqa', 'camerabench-caption', 'shotbench', 'refineshot']) insertSource.run(format);
    expect(() => insertSource.run('xlsx')).toThrow(/CHECK constraint/);
    expect(() => raw.prepare('INSERT INTO sample_sources(source_id, record_index, sample_id, start_offset, end_offset) VALUES (99, 0, 1, 0, 1)').run()).toThrow(/FOREIGN KEY/);
    // benchmark_items: one item per (benchmark, key), a VQA item with its pair, a caption with its reference.
    const insertItem = raw.prepare('INSERT INTO benchmark_items(benchmark, item_key, sample_id, split, task, group_key, role, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insertItem.run('camerabench-vqa', 't.jsonl_0', 1, 'has_motion', 't', 'has_motion/t#0', 'pos_text_pos_image', null);
    insertItem.run('camerabench-vqa', 't.jsonl_1', 1, 'has_motion', 't', 'has_motion/t#0', 'pos_text_neg_image', null);
    expect(() => insertItem.run('camerabench-vqa', 't.jsonl_0', 1, 'has_motion', 't', 'has_motion/t#0', 'pos_text_pos_image', null)).toThrow(/UNIQUE/);
    expect(() => insertItem.run('camerabench-vqa', 't.jsonl_2', 1, 'has_motion', 't', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insertItem.run('camerabench-caption', 'a.mp4', 1, 'caption', null, null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insertItem.run('shotbench', '1', 1, 'camera movement', null, null, 'sideways', null)).toThrow(/CHECK constraint/);
    expect(() => insertItem.run('vlmevalkit', '1', 1, 's', null, null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insertItem.run('shotbench', '2', 99, 's', null, null, null, null)).toThrow(/FOREIGN KEY/);
    raw.close();
  });

  it('refuses a file whose migration history was edited', () => {
    const path = join(tempDir(), 'p.frustum');
    createProject(path).close();
    const raw = new Database(path);
    raw.prepare("UPDATE migrations SET checksum = 'deadbeef' WHERE version = 1").run();
    raw.close();
    expect(projectError(() => openProject(path))).toMatch(/out of sync/);
  });

  it('refuses a file from a newer Frustum', () => {
    const path = join(tempDir(), 'p.frustum');
    createProject(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO migrations VALUES (999, 'future', 'x', 'now')").run();
    raw.close();
    expect(projectError(() => openProject(path))).toMatch(/newer Frustum/);
  });

  it('refuses files that are not projects, naming the file', () => {
    const folder = tempDir();
    const text = join(folder, 'notes.frustum');
    writeFileSync(text, 'just some text that is longer than sixteen bytes');
    expect(projectError(() => openProject(text))).toMatch(/notes\.frustum: is not a Frustum project \(not an SQLite file\)/);
    const empty = join(folder, 'empty.frustum');
    writeFileSync(empty, '');
    expect(projectError(() => openProject(empty))).toMatch(/is empty/);
    const directory = join(folder, 'dir.frustum');
    mkdirSync(directory);
    expect(projectError(() => openProject(directory))).toMatch(/is a directory/);
    expect(projectError(() => openProject(join(folder, 'absent.frustum')))).toMatch(/no such project file/);
    const other = join(folder, 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE t(x)');
    foreign.close();
    expect(projectError(() => openProject(other))).toMatch(/not a Frustum project/);
  });

  it('never overwrites an existing file on init', () => {
    const path = join(tempDir(), 'p.frustum');
    writeFileSync(path, 'keep me');
    expect(projectError(() => createProject(path))).toMatch(/already exists/);
  });

  it('keeps chain revisions append-only', () => {
    const path = join(tempDir(), 'p.frustum');
    const db = track(createProject(path));
    db.prepare("INSERT INTO samples(key, kind, question, options, problem_type, created_at, updated_at) VALUES ('k', 'sft', 'q', '[]', 'multiple choice', 'now', 'now')").run();
    db.prepare("INSERT INTO chain_revisions(sample_id, text, author_kind, author, created_at) VALUES (1, 'x', 'person', 'me', 'now')").run();
    expect(() => db.prepare("UPDATE chain_revisions SET text = 'y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM chain_revisions').run()).toThrow(/append-only/);
    db.close();
  });

  it('checksums are stable', () => {
    expect(checksum('abc')).toBe(checksum('abc'));
    expect(checksum('abc')).not.toBe(checksum('abd'));
  });
});
