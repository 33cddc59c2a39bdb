// What the shortcut audit (common/audit) reads of a project: every sample with a reference
// letter (its question, options, split, primitive and clip's file name), and which samples
// each imported file holds, so the audit can report per source.
import type { ReadableDB } from './connection';
import { statement } from './statements';

export interface AuditRow {
  id: number;
  question: string;
  /** JSON array of option strings, as stored. */
  options: string;
  answer: string;
  split: string;
  primitive: string | null;
  /** The clip's file name; null for a sample without a clip. */
  clip: string | null;
}

export function auditRows(db: ReadableDB): AuditRow[] {
  return statement<[], AuditRow>(
    db,
    `SELECT s.id, s.question, s.options, s.answer, s.split, s.primitive, c.name AS clip
       FROM samples s LEFT JOIN clips c ON c.id = s.clip_id
      WHERE s.answer IS NOT NULL AND s.answer <> '' ORDER BY s.id`,
  ).all();
}

export interface SourceSamples {
  id: number;
  path: string;
  format: string;
  sampleIds: number[];
}

/** Each imported file with the ids of the samples it holds (those with a reference letter). */
export function auditSources(db: ReadableDB): SourceSamples[] {
  const sources = new Map<number, SourceSamples>();
  for (const row of statement<[], { id: number; path: string; format: string }>(db, 'SELECT id, path, format FROM sources ORDER BY id').all()) {
    sources.set(row.id, { ...row, sampleIds: [] });
  }
  for (const row of statement<[], { source_id: number; sample_id: number }>(
    db,
    `SELECT DISTINCT ss.source_id, ss.sample_id FROM sample_sources ss JOIN samples s ON s.id = ss.sample_id
      WHERE s.answer IS NOT NULL AND s.answer <> '' ORDER BY ss.source_id, ss.sample_id`,
  ).all()) {
    sources.get(row.source_id)?.sampleIds.push(row.sample_id);
  }
  return [...sources.values()].filter((source) => source.sampleIds.length > 0);
}

export interface BenchmarkSamples {
  benchmark: string;
  /** What the benchmark averages over: a primitive, a VQA skill, a ShotBench category. */
  split: string;
  sampleIds: number[];
}

/**
 * The samples of each benchmark split (migration 10's benchmark_items), ids ascending. A
 * project made before that migration has no such table until it is opened for writing, and a
 * read-only audit must not be the one to fail on it: no table, no benchmark groups.
 */
export function auditBenchmarks(db: ReadableDB): BenchmarkSamples[] {
  const hasTable = statement<[], { n: number }>(db, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'benchmark_items'").get()?.n === 1;
  if (!hasTable) return [];
  const splits = new Map<string, BenchmarkSamples>();
  for (const row of statement<[], { benchmark: string; split: string; sample_id: number }>(
    db,
    `SELECT DISTINCT b.benchmark, b.split, b.sample_id FROM benchmark_items b JOIN samples s ON s.id = b.sample_id
      WHERE s.answer IS NOT NULL AND s.answer <> '' ORDER BY b.benchmark, b.split, b.sample_id`,
  ).all()) {
    const key = `${row.benchmark}\u001f${row.split}`;
    let entry = splits.get(key);
    if (!entry) {
      entry = { benchmark: row.benchmark, split: row.split, sampleIds: [] };
      splits.set(key, entry);
    }
    entry.sampleIds.push(row.sample_id);
  }
  return [...splits.values()];
}
