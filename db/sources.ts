import type { ReadableDB } from './connection';
import { statement } from './statements';

export interface SourceRow {
  id: number;
  path: string;
  format: string;
  style: string;
  container: string | null;
  sha256: string;
  record_count: number;
  imported_at: string;
}

export function findSourceBySha(db: ReadableDB, sha256: string, format: string): SourceRow | undefined {
  return statement<[string, string], SourceRow>(db, 'SELECT * FROM sources WHERE sha256 = ? AND format = ? ORDER BY id LIMIT 1').get(
    sha256,
    format,
  );
}

export function listSources(db: ReadableDB): SourceRow[] {
  return statement<[], SourceRow>(db, 'SELECT * FROM sources ORDER BY id').all();
}
