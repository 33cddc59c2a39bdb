// Reading samples for export with everything an exporter needs in one pass.
import type { ReadableDB } from './connection';
import type { SampleRecord } from './samples';
import type { RecordSpan } from './sources';
import { statement } from './statements';

export interface ExportSampleRow extends Omit<SampleRecord, 'tags' | 'clip_id' | 'head_revision_id' | 'updated_at'> {
  key: string;
  clip_ref: string | null;
  clip_name: string | null;
  chain: string | null;
}

export interface SampleSourceRow extends RecordSpan {
  format: string;
  style: string;
}

export interface ExportFilter {
  split?: string | undefined;
  status?: string | undefined;
}

export function samplesForExport(db: ReadableDB, filter: ExportFilter): ExportSampleRow[] {
  return statement<[{ split: string | null; status: string | null }], ExportSampleRow>(
    db,
    `SELECT s.id, s.key, s.kind, s.problem_id, s.question, s.options, s.problem_type, s.answer, s.primitive,
            s.split, s.status, c.ref AS clip_ref, c.name AS clip_name, r.text AS chain
       FROM samples s
       LEFT JOIN clips c ON c.id = s.clip_id
       LEFT JOIN chain_revisions r ON r.id = s.head_revision_id
      WHERE (@split IS NULL OR s.split = @split) AND (@status IS NULL OR s.status = @status)
      ORDER BY s.id`,
  ).all({ split: filter.split ?? null, status: filter.status ?? null });
}

/** Source records of the given format, in file order. */
export function sourceRecordsOfFormat(db: ReadableDB, format: string): SampleSourceRow[] {
  return statement<[string], SampleSourceRow>(
    db,
    `SELECT ss.sample_id, ss.source_id, ss.record_index, ss.start_offset, ss.end_offset, so.format, so.style
       FROM sample_sources ss JOIN sources so ON so.id = ss.source_id
      WHERE so.format = ?
      ORDER BY ss.source_id, ss.record_index`,
  ).all(format);
}

export function sourcePaths(db: ReadableDB): string[] {
  return statement<[], { path: string }>(db, 'SELECT path FROM sources').all().map((row) => row.path);
}
