import type { ReadableDB } from './connection';
import { statement } from './statements';

/** A source's text; records are slices of it. Cached per connection: files can be large. */
const contents = new WeakMap<ReadableDB, Map<number, string>>();

export function sourceContent(db: ReadableDB, sourceId: number): string {
  let cache = contents.get(db);
  if (!cache) {
    cache = new Map();
    contents.set(db, cache);
  }
  let text = cache.get(sourceId);
  if (text === undefined) {
    text = statement<[number], { content: string }>(db, 'SELECT content FROM sources WHERE id = ?').get(sourceId)?.content ?? '';
    cache.set(sourceId, text);
  }
  return text;
}

export interface RecordSpan {
  sample_id: number;
  source_id: number;
  record_index: number;
  start_offset: number;
  end_offset: number;
}

export function recordText(db: ReadableDB, span: RecordSpan): string {
  return sourceContent(db, span.source_id).slice(span.start_offset, span.end_offset);
}

/** Every source record of these samples, as text. */
export function recordTextsOfSamples(db: ReadableDB, sampleIds: readonly number[]): Map<number, string[]> {
  const texts = new Map<number, string[]>();
  const spans = statement<[string], RecordSpan>(
    db,
    `SELECT ss.sample_id, ss.source_id, ss.record_index, ss.start_offset, ss.end_offset
       FROM json_each(?) AS k JOIN sample_sources ss ON ss.sample_id = k.value`,
  ).all(JSON.stringify(sampleIds));
  for (const span of spans) {
    const list = texts.get(span.sample_id) ?? [];
    list.push(recordText(db, span));
    texts.set(span.sample_id, list);
  }
  return texts;
}

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

const SOURCE_COLUMNS = 'id, path, format, style, container, sha256, record_count, imported_at';

export function findSourceBySha(db: ReadableDB, sha256: string, format: string): SourceRow | undefined {
  return statement<[string, string], SourceRow>(db, `SELECT ${SOURCE_COLUMNS} FROM sources WHERE sha256 = ? AND format = ? ORDER BY id LIMIT 1`).get(
    sha256,
    format,
  );
}

export function listSources(db: ReadableDB): SourceRow[] {
  return statement<[], SourceRow>(db, `SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY id`).all();
}
