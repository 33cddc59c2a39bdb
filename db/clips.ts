import type { ReadableDB, WritableDB } from './connection';
import { statement } from './statements';

export interface ClipRow {
  id: number;
  name: string;
  ref: string;
  file_path: string | null;
  media_status: 'ok' | 'missing' | 'error';
}

export function listClips(db: ReadableDB): ClipRow[] {
  return statement<[], ClipRow>(db, 'SELECT id, name, ref, file_path, media_status FROM clips ORDER BY id').all();
}

/** Points clips at files found on disk, in one transaction. */
export function relinkClips(db: WritableDB, found: ReadonlyArray<{ id: number; filePath: string }>): number {
  const update = statement(db, "UPDATE clips SET file_path = ?, media_status = 'ok' WHERE id = ?");
  return db.transaction(() => found.reduce((changed, clip) => changed + update.run(clip.filePath, clip.id).changes, 0))();
}
