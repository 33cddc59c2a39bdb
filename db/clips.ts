import type { ReadableDB, WritableDB } from './connection';
import { now, statement } from './statements';
import { writeTransaction } from './writers';

export interface ClipRow {
  id: number;
  name: string;
  ref: string;
  file_path: string | null;
  media_status: 'ok' | 'missing' | 'error';
  media_error: string | null;
  /** The real path of the folder the file must stay inside (migration 5); null for clips linked before it. */
  media_root: string | null;
}

/** How many of these clips (by name) the project holds without a usable file: missing, or refused/unreadable. */
export function countClipsWithoutMedia(db: ReadableDB, names: readonly string[]): number {
  return statement<[string], { n: number }>(db, "SELECT count(*) AS n FROM clips WHERE name IN (SELECT value FROM json_each(?)) AND media_status <> 'ok'")
    .get(JSON.stringify(names))?.n ?? 0;
}

export function listClips(db: ReadableDB): ClipRow[] {
  return statement<[], ClipRow>(db, 'SELECT id, name, ref, file_path, media_status, media_error, media_root FROM clips ORDER BY id').all();
}

/** Points clips at files found on disk, each confined to `mediaRoot`, in one transaction. */
export function relinkClips(db: WritableDB, found: ReadonlyArray<{ id: number; filePath: string; mediaRoot: string }>): number {
  // The old reason no longer applies to the new file; the next probe re-checks it (the file
  // size/mtime it compares were of the old file, or null).
  const update = statement(
    db,
    "UPDATE clips SET file_path = ?, media_root = ?, media_status = 'ok', media_error = NULL, file_size = NULL, file_mtime = NULL WHERE id = ?",
  );
  // IMMEDIATE (db/writers.ts), like every write: waits its turn behind another program's write.
  return writeTransaction(db, () => found.reduce((changed, clip) => changed + update.run(clip.filePath, clip.mediaRoot, clip.id).changes, 0));
}

/** Paths of the dataset files a clip's samples were imported from (the legacy confinement rule, backend/media/confine.ts). */
export function legacyMediaSources(db: ReadableDB, clipId: number): string[] {
  return statement<[number], { path: string }>(
    db,
    `SELECT DISTINCT so.path FROM samples s
       JOIN sample_sources ss ON ss.sample_id = s.id
       JOIN sources so ON so.id = ss.source_id
      WHERE s.clip_id = ?`,
  )
    .all(clipId)
    .map((row) => row.path);
}

/** The samples of these clips, in id order. */
export function sampleIdsOfClips(db: ReadableDB, clipIds: readonly number[]): number[] {
  if (clipIds.length === 0) return [];
  return statement<[string], { id: number }>(db, 'SELECT s.id FROM json_each(?) AS k JOIN samples s ON s.clip_id = k.value ORDER BY s.id')
    .all(JSON.stringify(clipIds))
    .map((row) => row.id);
}

export interface ClipMediaRow {
  id: number;
  name: string;
  file_path: string | null;
  media_status: 'ok' | 'missing' | 'error';
  media_error: string | null;
  content_hash: string | null;
  probe: string | null;
  probed_at: string | null;
  file_size: number | null;
  file_mtime: string | null;
  media_root: string | null;
}

/** Every clip with what the media probe stored about it. */
export function listClipMedia(db: ReadableDB): ClipMediaRow[] {
  return statement<[], ClipMediaRow>(
    db,
    'SELECT id, name, file_path, media_status, media_error, content_hash, probe, probed_at, file_size, file_mtime, media_root FROM clips ORDER BY id',
  ).all();
}

export type ClipMediaUpdate =
  | { id: number; status: 'ok'; probe: unknown; contentHash: string; fileSize: number; fileMtime: string }
  | { id: number; status: 'missing' | 'error'; reason: string; fileSize?: number | null; fileMtime?: string | null };

/**
 * Saves probe results and errors, in one transaction. An error keeps the clip's last good
 * probe and hash (they describe the file as it was; media_status says it is unusable now).
 */
export function saveClipMedia(db: WritableDB, updates: readonly ClipMediaUpdate[], probedAt = now()): number {
  const saveProbe = statement(
    db,
    "UPDATE clips SET media_status = 'ok', media_error = NULL, probe = ?, content_hash = ?, file_size = ?, file_mtime = ?, probed_at = ? WHERE id = ?",
  );
  const saveError = statement(db, 'UPDATE clips SET media_status = ?, media_error = ?, file_size = ?, file_mtime = ?, probed_at = ? WHERE id = ?');
  // One transaction per batch: the CLI saves every few dozen clips, so a crash loses at most
  // one batch of probing, never half of one. IMMEDIATE (db/writers.ts), like every write.
  return writeTransaction(db, () =>
    updates.reduce((changed, update) => {
      const result =
        update.status === 'ok'
          ? saveProbe.run(JSON.stringify(update.probe), update.contentHash, update.fileSize, update.fileMtime, probedAt, update.id)
          : saveError.run(update.status, update.reason, update.fileSize ?? null, update.fileMtime ?? null, probedAt, update.id);
      return changed + result.changes;
    }, 0),
  );
}
